"""Peer groups: loaded from a file, counties and population bands, as filters of the
benchmark and the API."""

import pytest

from kompass.benchmark.models import PeerGroup
from kompass.municipalities.models import Municipality

pytestmark = pytest.mark.django_db


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_groups_load_and_filter_the_benchmark(demo, run_cli, tmp_path, client):
    path = _write(tmp_path, "grupper.csv", "municipality_code;group;scheme\n1880;Större städer;SKR 2023\n180;Storstäder;SKR 2023\n")
    code, out, err = run_cli("import-groups", path)
    assert code == 0, err
    group = PeerGroup.objects.get(key="skr-2023-storre-stader")
    assert list(group.municipalities.values_list("code", flat=True)) == ["1880"]
    assert PeerGroup.objects.get(key="skr-2023-storstader").municipalities.get().code == "0180"  # 180 read as 0180
    inside = client.get("/api/benchmark?framework=2010&group=skr-2023-storre-stader").json()
    outside = client.get("/api/benchmark?framework=2010&group=skr-2023-storstader").json()
    assert inside["total"]["count"] == 3 and outside["total"]["count"] == 0
    listed = client.get("/api/municipalities?group=skr-2023-storre-stader").json()
    assert [m["code"] for m in listed["results"]] == ["1880"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("kod;grupp\n1880;A\n", "kolumn saknas: group, municipality_code"),
        ("municipality_code;group\n9999;A\n", "rad 2: okänd kommun SE '9999'"),
        ("municipality_code;group\n1880;\n", "rad 2: gruppen saknas"),
        ("municipality_code;group\n", "filen har inga rader"),
    ],
)
def test_a_bad_groups_file_saves_nothing(demo, run_cli, tmp_path, text, message):
    code, _out, err = run_cli("import-groups", _write(tmp_path, "g.csv", "municipality_code;group\n1880;Behåll\n"))
    assert code == 0
    before = list(PeerGroup.objects.values_list("key", "municipalities__code"))
    code, _out, err = run_cli("import-groups", _write(tmp_path, "bad.csv", text))
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1
    assert list(PeerGroup.objects.values_list("key", "municipalities__code")) == before


def test_population_bands_group_by_loaded_population(demo, run_cli, tmp_path, client):
    path = _write(tmp_path, "folk.csv", "municipality_code;population;year\n1880;160 000;2024\n0180;984000;2024\n")
    code, _out, err = run_cli("import-population", path)
    assert code == 0, err
    assert Municipality.objects.get(code="1880", country="SE").population == 160_000
    band = client.get("/api/municipalities?group=folkmangd-100000-199999").json()
    assert [m["code"] for m in band["results"]] == ["1880"]
    assert client.get("/api/benchmark?framework=2010&group=folkmangd-200000-").json()["total"]["count"] == 0
    code, _out, err = run_cli("import-population", _write(tmp_path, "bad.csv", "municipality_code;population\n1880;många\n"))
    assert code == 1 and "folkmängden 'många' är inget antal" in err
    assert Municipality.objects.get(code="1880", country="SE").population == 160_000


def test_counties_are_groups(demo, client):
    answer = client.get("/api/municipalities?group=lan-SE-18").json()
    assert answer["count"] == 12 and {m["county"]["code"] for m in answer["results"]} == {"18"}
    assert client.get("/api/municipalities?group=lan-SE-99").status_code == 400


def test_an_import_is_seen_by_cached_answers_at_once(demo, run_cli, tmp_path, client):
    """Group filters and population bands are published data: an import raises the data
    version, so a list cached before it is not served after it."""
    query = "/api/municipalities?group=skr-2023-nya"
    assert run_cli("import-groups", _write(tmp_path, "a.csv", "municipality_code;group;scheme\n0180;Nya;SKR 2023\n"))[0] == 0
    assert [m["code"] for m in client.get(query).json()["results"]] == ["0180"]  # now cached
    code, _out, err = run_cli("import-groups", _write(tmp_path, "b.csv", "municipality_code;group;scheme\n1880;Nya;SKR 2023\n"))
    assert code == 0, err
    assert [m["code"] for m in client.get(query).json()["results"]] == ["1880"]
    band = "/api/municipalities?group=folkmangd-100000-199999"
    assert client.get(band).json()["results"] == []
    code, _out, err = run_cli("import-population", _write(tmp_path, "f.csv", "municipality_code;population\n1880;160000\n"))
    assert code == 0, err
    assert [m["code"] for m in client.get(band).json()["results"]] == ["1880"]
