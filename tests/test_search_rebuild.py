"""``kompass search-rebuild``: the search index rebuilt from the published evaluations,
with the number of passages it indexed."""

import pytest

from kompass.evaluations.models import Evaluation
from kompass.search.models import SearchEntry
from kompass.search.services import search

pytestmark = pytest.mark.django_db


def test_search_rebuild_indexes_the_published_evaluations(demo, run_cli):
    SearchEntry.objects.all().delete()
    assert search("dialog").total == 0

    code, out, err = run_cli("search-rebuild")

    assert code == 0, err
    entries = SearchEntry.objects.count()
    published = Evaluation.objects.filter(status="published").count()
    assert entries > 0 and published > 0
    assert f"{entries} passager från {published} publicerade utvärderingar" in out
    assert set(SearchEntry.objects.values_list("evaluation__status", flat=True)) == {"published"}
    assert search("dialog").total > 0


def test_search_rebuild_twice_gives_the_same_index(demo, run_cli):
    run_cli("search-rebuild")
    first = sorted(SearchEntry.objects.values_list("id", "normalized"))
    code, out, _err = run_cli("search-rebuild")
    assert code == 0
    assert sorted(SearchEntry.objects.values_list("id", "normalized")) == first
    assert f"{len(first)} passager" in out


def test_search_rebuild_is_in_the_help(run_cli, capsys):
    with pytest.raises(SystemExit):
        run_cli("--help")
    assert "search-rebuild" in capsys.readouterr().out
