"""Caching scoped so that one publication only makes stale what shows it (issue 18): the
pages of that municipality and of the evaluations that compare with it (the same version
and country; role models: the same version) are drawn afresh at once, while the pages
of other versions, other countries and other municipalities are still answered from the
cache. The scope versions are raised by database triggers, so raw SQL counts too."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kompass.catalogue.models import Framework
from kompass.evaluations.models import AreaAssessment, Evaluation, QuestionAssessment, ScopeVersion, Status
from kompass.evaluations.summaries import data_version, scoped_version, summaries_refresh
from kompass.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


def _orebro_2015() -> Evaluation:
    return Evaluation.objects.select_related("municipality", "framework").get(municipality__code="1880", year=2015)


def _municipality(country: str, index: int) -> Municipality:
    return Municipality.objects.filter(country=country).exclude(code="1880").order_by("code")[index]


def _evaluation(municipality: Municipality, *, version: str = "2010", year: int = 2016, status: str = Status.PUBLISHED) -> Evaluation:
    """An evaluation of ``municipality`` with Örebro 2015's scores where the version is 2010."""
    source = _orebro_2015()
    evaluation = Evaluation.objects.create(
        municipality=municipality, framework=Framework.objects.get(code=version), year=year, status=status
    )
    if version == source.framework.code:
        for model in (QuestionAssessment, AreaAssessment):
            rows = list(model.objects.filter(evaluation=source))
            for row in rows:
                row.pk, row.evaluation = None, evaluation
            model.objects.bulk_create(rows)
    summaries_refresh([evaluation.pk])
    return evaluation


def _set_status(evaluation: Evaluation, status: str) -> None:
    evaluation.status = status
    evaluation.save()


class Site:
    """An anonymous visitor who tells an answer from the cache from a render: a cached
    answer costs one query (the key: the page's place and its scopes' versions), a
    render reads the data."""

    def __init__(self):
        self.client = Client()

    def get(self, path: str):
        data_version()  # summaries this process dropped are rebuilt here, not counted below
        with CaptureQueriesContext(connection) as queries:
            answer = self.client.get(path)
        answer.queries = [q["sql"] for q in queries.captured_queries]
        return answer

    def cached(self, path: str) -> bytes:
        answer = self.get(path)
        assert len(answer.queries) == 1 and "evaluations_scopeversion" in answer.queries[0], f"{path} was drawn afresh"
        return answer.content

    def fresh(self, path: str) -> str:
        answer = self.get(path)
        assert len(answer.queries) > 1, f"{path} came from the cache"
        return answer.content.decode()


@pytest.fixture
def world(demo):
    """Örebro (SE, 2010) and one evaluation of each kind of neighbour: a peer (SE, 2010),
    another country (NO, 2010), another version (SE, 2016)."""
    return {
        "orebro": _orebro_2015(),
        "peer": _evaluation(_municipality("SE", 0), year=2014),
        "norway": _evaluation(_municipality("NO", 0)),
        "other_version": _evaluation(_municipality("SE", 1), version="2016"),
        "newcomer": _municipality("SE", 2),
    }


def _pages(evaluation: Evaluation) -> dict[str, str]:
    m = evaluation.municipality
    return {
        "page": f"/utvardering/{evaluation.pk}/",
        "api": f"/api/evaluations/{evaluation.pk}",
        "municipality": f"/kommun/{m.country}/{m.code}/",
    }


def test_a_publication_leaves_other_versions_countries_and_municipalities_cached(world):
    site = Site()
    orebro, norway, other = _pages(world["orebro"]), _pages(world["norway"]), _pages(world["other_version"])
    kept = [other["page"], other["api"], other["municipality"], norway["api"], norway["municipality"], orebro["municipality"]]
    changed = [orebro["page"], orebro["api"], f"/utvardering/{world['orebro'].pk}/rapport.html", norway["page"]]
    before = {path: site.fresh(path) for path in kept + changed}
    for path in kept + changed:
        site.cached(path)

    newcomer = _evaluation(world["newcomer"], year=2014, status=Status.CONSENSUS)
    name = world["newcomer"].name
    assert name not in before[orebro["page"]]
    _set_status(newcomer, Status.PUBLISHED)

    # Its own pages and those that compare with it: the new data at once.
    assert name in site.fresh(orebro["page"])  # the comparison with other municipalities
    site.fresh(orebro["api"])
    site.fresh(f"/utvardering/{world['orebro'].pk}/rapport.html")
    site.fresh(norway["page"])  # role models come from every country of the version
    assert f"/utvardering/{newcomer.pk}/" in site.fresh(f"/kommun/SE/{world['newcomer'].code}/")
    # Everything else: the same bytes, from the cache.
    for path in kept:
        assert site.cached(path) == before[path].encode()


def test_the_api_comparison_counts_the_new_peer_at_once(world):
    site = Site()
    path = _pages(world["orebro"])["api"]
    assert json.loads(site.fresh(path))["comparison"]["count"] == 1  # the peer
    newcomer = _evaluation(world["newcomer"], year=2014, status=Status.CONSENSUS)
    site.cached(path)
    _set_status(newcomer, Status.PUBLISHED)
    assert json.loads(site.fresh(path))["comparison"]["count"] == 2


def test_withdrawal_hides_at_once(world):
    site = Site()
    peer = world["peer"]
    orebro = _pages(world["orebro"])["page"]
    assert peer.municipality.name in site.fresh(orebro)
    assert site.get(f"/utvardering/{peer.pk}/").status_code == 200
    _set_status(peer, Status.SCORING)
    assert site.get(f"/utvardering/{peer.pk}/").status_code == 404
    assert peer.municipality.name not in site.fresh(orebro)
    assert str(peer.year) not in site.fresh(_pages(peer)["municipality"])


def test_raw_sql_on_status_and_summaries_makes_the_pages_stale(world):
    site = Site()
    peer, orebro = world["peer"], _pages(world["orebro"])["page"]
    site.fresh(orebro)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evaluations_evaluation SET status = 'scoring' WHERE id = %s", [peer.pk])
    assert peer.municipality.name not in site.fresh(orebro)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evaluations_evaluation SET status = 'published' WHERE id = %s", [peer.pk])
    assert peer.municipality.name in site.fresh(orebro)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE evaluations_evaluationsummary SET total = %s WHERE evaluation_id = %s", [Decimal("123.4"), peer.pk])
    assert f"{peer.municipality.name} {peer.year}</a>: 123 " in site.fresh(orebro)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM evaluations_evaluationsummary WHERE evaluation_id = %s", [peer.pk])
    assert peer.municipality.name not in site.fresh(orebro)


def test_a_draft_changes_its_municipality_only(world):
    """A draft being scored leaves the comparisons of other municipalities alone; its own
    municipality's scope follows it (the workspace previews it with the same figures)."""
    draft = _evaluation(world["newcomer"], status=Status.SCORING)
    own, peers = [f"m:{draft.municipality_id}"], ["p:2010:SE"]
    before = scoped_version(own), scoped_version(peers)
    summaries_refresh([draft.pk])
    assert scoped_version(own) != before[0]
    _set_status(draft, Status.CONSENSUS)
    assert scoped_version(peers) == before[1]
    _set_status(draft, Status.PUBLISHED)
    assert scoped_version(peers) != before[1]


def test_a_drafts_preview_follows_its_scores(world):
    """The comparison of a draft (the workspace's report preview) is a cached figure keyed
    by its municipality's scope: a change of its scores shows at once."""
    from kompass.benchmark.peers import peer_comparison

    draft = _evaluation(world["newcomer"], year=2014, status=Status.SCORING)
    before = peer_comparison(draft).total
    QuestionAssessment.objects.filter(evaluation=draft, score__isnull=False).update(score=Decimal("0"))
    summaries_refresh([draft.pk])
    assert peer_comparison(Evaluation.objects.select_related("municipality", "framework").get(pk=draft.pk)).total != before


def test_moving_an_evaluation_makes_both_municipalities_stale(world):
    site = Site()
    peer, newcomer = world["peer"], world["newcomer"]
    old_page, new_page = _pages(peer)["municipality"], f"/kommun/SE/{newcomer.code}/"
    assert f"/utvardering/{peer.pk}/" in site.fresh(old_page)
    assert f"/utvardering/{peer.pk}/" not in site.fresh(new_page)
    Evaluation.objects.filter(pk=peer.pk).update(municipality=newcomer)
    assert f"/utvardering/{peer.pk}/" not in site.fresh(old_page)
    assert f"/utvardering/{peer.pk}/" in site.fresh(new_page)


def test_a_missing_evaluation_goes_by_the_whole_data_version(world):
    site = Site()
    assert site.get("/utvardering/987654/").status_code == 404
    Evaluation.objects.create(
        pk=987654, municipality=world["newcomer"], framework=Framework.objects.get(code="2016"), year=2020, status=Status.PUBLISHED
    )
    assert site.get("/utvardering/987654/").status_code == 200


def test_a_municipality_renamed_is_shown_everywhere(world):
    site = Site()
    orebro, peer = _pages(world["orebro"])["page"], world["peer"]
    site.fresh(orebro)
    Municipality.objects.filter(pk=peer.municipality_id).update(name="Nybyggarby")  # a trigger, no signal
    assert "Nybyggarby" in site.fresh(orebro)


def test_a_reference_value_and_a_county_raise_everything(world):
    """Writes no evaluation trigger sees, each of a table the pages show (a reference value
    beside the comparison, a county's name): ``*``, in every scoped key, and the data
    version. (A migration that rebuilds one of these tables on SQLite drops its triggers:
    this fails then.)"""
    from kompass.benchmark.models import PublishedReference
    from kompass.municipalities.models import County

    site = Site()
    page = _pages(world["orebro"])["page"]
    site.fresh(page)
    before = scoped_version([]), data_version()
    PublishedReference.objects.create(
        framework=world["orebro"].framework, value=Decimal("461"), description="Ett publicerat snitt", source="Rapporten"
    )
    assert "Ett publicerat snitt" in site.fresh(page)
    middle = scoped_version([]), data_version()
    assert middle[0] != before[0] and middle[1] != before[1]
    County.objects.filter(pk=world["orebro"].municipality.county_id).update(name="Ett nytt län")
    assert scoped_version([]) != middle[0] and data_version() != middle[1]


def test_a_catalogue_wording_change_is_shown(world, tmp_path):
    from pathlib import Path

    import kompass.catalogue
    from kompass.catalogue.services import catalogue_load

    site = Site()
    paths = [_pages(world["orebro"])["page"], _pages(world["norway"])["api"]]
    for path in paths:
        assert "Offentlighet, öppenhet och demokrati" not in site.fresh(path)
    shipped = tmp_path / "2010.yaml"
    source = (Path(kompass.catalogue.__file__).parent / "versions" / "2010.yaml").read_text(encoding="utf-8")
    shipped.write_text(source.replace('title: "Offentlighet och demokrati"', 'title: "Offentlighet, öppenhet och demokrati"', 1), encoding="utf-8")
    catalogue_load(path=shipped)
    for path in paths:
        assert "Offentlighet, öppenhet och demokrati" in site.fresh(path)


def test_an_action_plan_published_is_shown_on_its_municipality_only(world):
    from kompass.actions.services import plan_publish_set

    site = Site()
    orebro, other = _pages(world["orebro"])["municipality"], _pages(world["other_version"])["municipality"]
    assert "Handlingsplan:" not in site.fresh(orebro)
    kept = site.fresh(other)
    plan_publish_set(municipality=world["orebro"].municipality, public=True)
    assert "Handlingsplan:" in site.fresh(orebro)
    assert site.cached(other) == kept.encode()


def test_a_scope_key_is_read_in_one_query(world):
    scopes = [f"m:{world['orebro'].municipality_id}", "p:2010:SE", "p:2010:NO", "p:2010:DK"]
    data_version()
    with CaptureQueriesContext(connection) as queries:
        scoped_version(scopes)
    assert len(queries.captured_queries) == 1


@pytest.mark.postgres
def test_on_postgresql_one_statement_raises_each_scope_once(world):
    """Statement triggers with transition tables: a bulk write of many rows raises each
    of its scopes by one."""
    second = _evaluation(world["newcomer"])

    def counter(scope):
        return ScopeVersion.objects.filter(scope=scope).values_list("counter", flat=True).first() or 0

    scopes = ["p:2010:SE", f"m:{second.municipality_id}", f"m:{world['peer'].municipality_id}"]
    before = [counter(s) for s in scopes]
    Evaluation.objects.filter(pk__in=[second.pk, world["peer"].pk]).update(status=Status.CONSENSUS)
    assert [counter(s) for s in scopes] == [b + 1 for b in before]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_writers_queue_instead_of_deadlocking(demo):
    """One writer updates a published evaluation's text (only the scope triggers see it)
    and then its summary (the data version's triggers); the other publishes another
    evaluation (the data version's trigger first, then the scopes). The scope triggers
    lock the data version row first, as the data version's do, so the second waits for
    the first instead of deadlocking with it."""
    import threading
    import time

    import psycopg

    settings = connection.settings_dict
    params = {"host": settings["HOST"], "port": settings["PORT"], "user": settings["USER"], "password": settings["PASSWORD"],
              "dbname": settings["NAME"]}
    first, second = Evaluation.objects.filter(municipality__code="1880").order_by("year").values_list("pk", flat=True)[:2]
    a, b = psycopg.connect(**params), psycopg.connect(**params)
    errors = []
    try:
        a.execute("UPDATE evaluations_evaluation SET publisher = 'Utgivaren' WHERE id = %s", [first])

        def publish():
            try:
                b.execute("UPDATE evaluations_evaluation SET status = 'published' WHERE id = %s", [second])
                b.commit()
            except psycopg.Error as exc:
                errors.append(exc)

        other = threading.Thread(target=publish)
        other.start()
        time.sleep(0.5)  # the other writer now waits for a lock
        try:
            a.execute("DELETE FROM evaluations_evaluationsummary WHERE evaluation_id = %s", [first])
            a.rollback()
        except psycopg.Error as exc:
            errors.append(exc)
        other.join(timeout=30)
    finally:
        a.close()
        b.close()
    assert errors == []
