"""``kompass search-rebuild``: the search index rebuilt from the published evaluations,
with the number of passages it indexed."""

import shutil

import pytest

from kompass.evaluations.models import Evaluation
from kompass.search import sync
from kompass.search.models import IndexStamp
from kompass.search.services import search

pytestmark = pytest.mark.django_db


def indexed() -> int:
    return sync.current()[0].num_docs


def test_search_rebuild_indexes_the_published_evaluations(demo, run_cli):
    IndexStamp.objects.all().delete()
    assert search("dialog").total == 0 and indexed() == 0

    code, out, err = run_cli("search-rebuild")

    assert code == 0, err
    entries = indexed()
    published = Evaluation.objects.filter(status="published").count()
    assert entries > 0 and published > 0
    assert f"{entries} passager från {published} publicerade utvärderingar" in out
    assert set(IndexStamp.objects.values_list("evaluation__status", flat=True)) == {"published"}
    assert IndexStamp.objects.count() == published
    assert search("dialog").total > 0


def test_search_rebuild_twice_gives_the_same_index(demo, run_cli):
    run_cli("search-rebuild")
    first = {(h.entry_id, h.text) for h in search("kommun", limit=100).hits}
    count = indexed()
    code, out, _err = run_cli("search-rebuild")
    assert code == 0
    assert {(h.entry_id, h.text) for h in search("kommun", limit=100).hits} == first
    assert indexed() == count
    assert f"{count} passager" in out


def test_search_rebuild_replaces_a_damaged_folder(demo, run_cli):
    """The index is derived: a folder lost or damaged (a restored backup without it) is
    built again by the command."""
    run_cli("search-rebuild")
    count = indexed()
    path = sync.reader().path
    shutil.rmtree(path)
    sync._readers.clear()
    code, _out, err = run_cli("search-rebuild")
    assert code == 0, err
    assert indexed() == count


def test_search_rebuild_is_in_the_help(run_cli, capsys):
    with pytest.raises(SystemExit):
        run_cli("--help")
    assert "search-rebuild" in capsys.readouterr().out
