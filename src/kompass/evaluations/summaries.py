"""The derived-score cache (``EvaluationSummary``) and the data version.

Every change of an evaluation's scores or status refreshes its summary when the
transaction commits (signals, so that no write path can forget it); bulk writers call
``summaries_refresh`` themselves. The numbers come from ``scoring.summarise`` alone.
The data version (``DataVersion``) is raised by database triggers on every write of a
summary and every insert, delete and change of status of an evaluation; beside it the
scope versions (``ScopeVersion``, ``evaluations.scopes``) say which part of the public
data changed, so that a figure or a page can be keyed by the parts it shows."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models import F

from kompass import scoring
from kompass.code_version import code_stamp
from kompass.catalogue import definitions
from kompass.evaluations import scopes as scope_names
from kompass.evaluations.models import DataVersion, Evaluation, EvaluationSummary, ScopeVersion
from kompass.evaluations.selectors import evaluation_scoresheets

BATCH = 500


def summaries_refresh(evaluation_ids: Iterable[int]) -> int:
    """Recompute the summaries of these evaluations in batches; returns how many."""
    ids = sorted(set(evaluation_ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        done += _refresh_batch(batch)
    return done


def _refresh_batch(ids: list[int]) -> int:
    evaluations = list(Evaluation.objects.filter(pk__in=ids).select_related("framework").only(
        "pk", "total_score", "total_low", "total_high", "framework__code"
    ))
    sheets = evaluation_scoresheets(evaluations)
    rows = []
    for evaluation in evaluations:
        result = scoring.summarise(definitions.get(evaluation.framework.code), sheets[evaluation.pk])
        rows.append(
            EvaluationSummary(
                evaluation_id=evaluation.pk,
                total=result.total.score if result.total.known else None,
                areas={str(a.area.number): str(a.score.score) for a in result.areas if a.score.known},
            )
        )
    EvaluationSummary.objects.filter(evaluation_id__in=ids).delete()
    EvaluationSummary.objects.bulk_create(rows)
    return len(rows)


def summaries_missing() -> int:
    """Refresh every evaluation without a summary (after a migration or a bulk load)."""
    missing = Evaluation.objects.filter(summary__isnull=True).values_list("pk", flat=True)
    return summaries_refresh(list(missing))


def refresh_on_commit(evaluation_id: int) -> None:
    """Drop one evaluation's summary now and rebuild it when the transaction commits; many
    changes to one evaluation in one transaction rebuild it once. A reader that comes
    first (in the same transaction) rebuilds what is missing itself: see data_version."""
    EvaluationSummary.objects.filter(evaluation_id=evaluation_id).delete()
    _missing.possible = True
    transaction.on_commit(lambda: _refresh_if_missing(evaluation_id))


def _refresh_if_missing(evaluation_id: int) -> None:
    if not EvaluationSummary.objects.filter(evaluation_id=evaluation_id).exists():
        summaries_refresh(Evaluation.objects.filter(pk=evaluation_id).values_list("pk", flat=True))


# Set when this process dropped a summary whose rebuild waits for a commit: a read in the
# same transaction (or a test, whose transaction never commits) rebuilds it first. Other
# processes only ever see committed data, whose summaries are rebuilt on commit.
_missing = threading.local()


def summaries_ensure() -> None:
    """Rebuild summaries this process may have dropped, before reading them."""
    if getattr(_missing, "possible", False):
        _missing.possible = False
        if EvaluationSummary.objects.count() != Evaluation.objects.count():
            summaries_missing()


_request = threading.local()


class DataVersionPerRequest:
    """Middleware: the data version is read once per request, however many cached
    figures the page uses (a request sees one state of the data anyway)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _request.version = None
        _request.scopes = {}
        _request.active = True
        try:
            return self.get_response(request)
        finally:
            _request.active = False
            _request.version = None
            _request.scopes = {}


def data_version() -> str:
    if getattr(_request, "active", False):
        if _request.version is None:
            _request.version = _data_version()
        return _request.version
    return _data_version()


def _data_version() -> str:
    """Changes whenever a summary changes or an evaluation is added, deleted, published or
    withdrawn: the key for caches of derived figures. One row by its key, raised by
    database triggers (``DataVersion``), so it costs the same at any scale."""
    summaries_ensure()
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL)
        row = cursor.fetchone()
    if row is None:  # a database emptied by a flush (tests): a new epoch, so no old key recurs
        version, _created = DataVersion.objects.get_or_create(pk=1, defaults={"epoch": secrets.token_hex(8)})
        row = (version.epoch, version.counter)
    return f"{row[0]}.{row[1]}"


_VERSION_SQL = f"SELECT epoch, counter FROM {DataVersion._meta.db_table} WHERE id = 1"


def scoped_version(scopes) -> str:
    """The version of the given scopes (names of ``evaluations.scopes``), ``*`` always
    among them: the data version's epoch and each scope's counter, e.g.
    ``3f2a….*=4,m:12=7,p:2010:SE=31``. It changes whenever one of the scopes is raised; a
    request reads each scope once (as ``data_version``). One query, by primary keys."""
    wanted = sorted({scope_names.EVERYTHING, *scopes})
    memo = _request.scopes if getattr(_request, "active", False) else {}
    missing = [scope for scope in wanted if scope not in memo]
    if missing or "" not in memo:
        memo.update(_scope_counters(missing))
    return _version_text(memo, wanted)


def _scope_counters(scopes: list[str]) -> dict[str, object]:
    summaries_ensure()
    marks = ", ".join(["%s"] * len(scopes)) or "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.epoch, s.scope, s.counter FROM {DataVersion._meta.db_table} d"
            f" LEFT JOIN {ScopeVersion._meta.db_table} s ON s.scope IN ({marks}) WHERE d.id = 1",
            scopes,
        )
        rows = cursor.fetchall()
    if not rows:  # a database emptied by a flush: a new epoch (see _data_version)
        data_version()
        return _scope_counters(scopes)
    found = {scope: 0 for scope in scopes}
    found.update({scope: counter for _epoch, scope, counter in rows if scope is not None})
    found[""] = rows[0][0]
    return found


def evaluation_version(pk, *, peers: bool = True, role_models: bool = False) -> str | None:
    """``scoped_version`` of an evaluation's page (``scopes.evaluation_scopes_at``) with the
    evaluation's place read in the same query; None where there is no such evaluation
    (its page goes by the whole data version: any new evaluation may bring it)."""
    if not isinstance(pk, int) or not 0 < pk <= scope_names.LARGEST_ID:
        return None
    return _place_version(
        _EVALUATION_SQL[peers, role_models], [pk],
        lambda municipality, version, country: scope_names.evaluation_scopes_at(
            municipality, version, country, peers=peers, role_models=role_models
        ),
    )


def _evaluation_sql(peers: bool, role_models: bool) -> str:
    names = ["'m:' || e.municipality_id"]
    if role_models:  # the countries are the code's own constants
        names += [f"'p:' || f.code || ':{country}'" for country in scope_names.COUNTRIES]
    elif peers:
        names.append("'p:' || f.code || ':' || m.country")
    return (
        "SELECT d.epoch, e.municipality_id, f.code, m.country, s.scope, s.counter FROM evaluations_evaluation e"
        " JOIN catalogue_framework f ON f.id = e.framework_id JOIN municipalities_municipality m ON m.id = e.municipality_id"
        f" JOIN {DataVersion._meta.db_table} d ON d.id = 1"
        f" LEFT JOIN {ScopeVersion._meta.db_table} s ON s.scope IN ('*', {', '.join(names)}) WHERE e.id = %s"
    )


_EVALUATION_SQL = {(peers, role_models): _evaluation_sql(peers, role_models) for peers in (False, True) for role_models in (False, True)}


def municipality_version(country: str, code: str) -> str | None:
    """``scoped_version`` of a municipality's page, its id read in the same query; None
    where there is no such municipality (a new one raises the data version)."""
    return _place_version(
        f"SELECT d.epoch, mu.id, s.scope, s.counter FROM municipalities_municipality mu"
        f" JOIN {DataVersion._meta.db_table} d ON d.id = 1"
        f" LEFT JOIN {ScopeVersion._meta.db_table} s ON s.scope IN ('*', 'm:' || mu.id) WHERE mu.country = %s AND mu.code = %s",
        [country, code],
        lambda municipality: [scope_names.municipality_scope(municipality)],
    )


def _place_version(sql: str, params: list, names) -> str | None:
    """Runs ``sql`` (rows: epoch, the place's columns, scope, counter) and gives the
    version of the scopes ``names(*place)``, or None where there is no row."""
    summaries_ensure()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    wanted = sorted({scope_names.EVERYTHING, *names(*rows[0][1:-2])})
    found = {scope: 0 for scope in wanted}
    found.update({row[-2]: row[-1] for row in rows if row[-2] is not None})
    found[""] = rows[0][0]
    if getattr(_request, "active", False):
        _request.scopes.update(found)
    return _version_text(found, wanted)


def _version_text(counters: dict, wanted: list[str]) -> str:
    return counters[""] + "." + ",".join(f"{scope}={counters[scope]}" for scope in wanted)


def derived(key: str, compute, *, timeout: int = 7 * 24 * 60 * 60, municipalities=(), version: str | None = None,
            country: str | None = None):
    """A figure derived from the data (statistics, comparisons, drawn charts), computed
    once per data version and code in the shared cache: every copy goes stale at once
    when the data or the code changes, and old ones expire.

    A figure that names what it reads is kept by those scopes instead of the whole data
    version: ``municipalities`` (ids or objects) whose own published evaluations it
    shows, ``version`` (a version's code) whose published evaluations it compares, in
    ``country`` or, without one, in every country. Anything else (catalogue texts,
    municipality names, reference values, peer groups) is in the ``*`` scope."""
    full = f"derived:{code_stamp()}:{_version_of(municipalities, version, country)}:{key}"
    value = cache.get(full)
    if value is None:
        value = compute()
        cache.set(full, value, timeout=timeout)
    return value


def _version_of(municipalities, version, country) -> str:
    if not municipalities and version is None:
        return data_version()
    if isinstance(municipalities, (int, models.Model)):
        municipalities = [municipalities]
    names = [scope_names.municipality_scope(getattr(m, "pk", m)) for m in municipalities]
    if version is not None:
        names += [scope_names.peers_scope(version, country)] if country else scope_names.version_scopes(version)
    return scoped_version(names)


def data_version_raise(scopes=None) -> None:
    """A new data version for a public change the triggers do not see (a municipality
    publishing its action plan), and a new version of ``scopes`` (names of
    ``evaluations.scopes``; without them ``*``, everything): the cached public answers
    that show it are rendered afresh."""
    DataVersion.objects.filter(pk=1).update(counter=F("counter") + 1)
    table = ScopeVersion._meta.db_table
    with connection.cursor() as cursor:
        for scope in sorted(set(scopes or [scope_names.EVERYTHING])):
            cursor.execute(
                f"INSERT INTO {table} (scope, counter) VALUES (%s, 1) ON CONFLICT (scope) DO UPDATE SET counter = {table}.counter + 1",
                [scope],
            )
