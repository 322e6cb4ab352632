"""The scopes of public data, whose versions (``ScopeVersion``) key cached pages and
figures so that one publication makes stale only what shows it.

- ``m:<municipality id>``: the municipality's evaluations (their rows, scores, texts,
  status; drafts' too, since the workspace previews a draft with the same cached
  figures) and its action plan: what its own pages show.
- ``p:<version code>:<country>``: the published evaluations of one version in one
  country: what comparisons with other municipalities, statistics and maps read.
- ``*``: everything else public (catalogue texts, municipalities, reference values,
  peer groups); part of every scoped key.

The database triggers of migration ``evaluations/0008_scope_version`` raise them;
``summaries.scoped_version`` reads them (``evaluation_version``, ``municipality_version``:
with the page's place, in one query)."""

from __future__ import annotations

from kompass.municipalities.models import Country

EVERYTHING = "*"
COUNTRIES = tuple(Country.values)  # read once: the enum builds the list anew on every use
LARGEST_ID = 2**63 - 1


def municipality_scope(municipality_id: int) -> str:
    return f"m:{municipality_id}"


def peers_scope(version: str, country: str) -> str:
    return f"p:{version}:{country}"


def version_scopes(version: str) -> list[str]:
    """The version's published evaluations in every country."""
    return [peers_scope(version, country) for country in COUNTRIES]


def evaluation_scopes_at(municipality: int, version: str, country: str, *, peers: bool = True, role_models: bool = False) -> list[str]:
    """An evaluation's page, of ``municipality`` on ``version`` in ``country``: its
    municipality (the evaluation itself, its history), with ``peers`` the comparison with
    the other municipalities of its version and country, with ``role_models`` its version
    in every country (role models are found there)."""
    scopes = [municipality_scope(municipality)]
    if role_models:
        scopes += version_scopes(version)
    elif peers:
        scopes.append(peers_scope(version, country))
    return scopes
