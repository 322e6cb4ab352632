from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kompass.catalogue import definitions
from kompass.catalogue.definitions import CatalogueError, load_file


def test_shipped_versions_are_the_four_known():
    assert sorted(definitions.frameworks()) == ["2002", "2010", "2016", "2020"]


def test_version_2010_matches_section_4_of_the_seed(seed_overview):
    framework = definitions.get("2010")
    assert [q.id for q in framework.questions] == [row.id for row in seed_overview.questions]
    for row in seed_overview.questions:
        question = framework.question(row.id)
        assert question.text == row.text
        assert question.max_points == row.max
    for number, (title, _rounded, _percent) in seed_overview.areas.items():
        area = framework.area(number)
        assert area.title == title
        assert sum(q.max_points for q in area.questions) == area.max_points == 100
    assert framework.max_points == 800
    assert [len(a.questions) for a in framework.areas] == [5, 6, 5, 6, 6, 6, 5, 6]


def test_version_2010_has_the_headings_of_each_area():
    area = definitions.get("2010").area(1)
    assert area.headings == (
        "Strategi för demokratiutveckling och information",
        "Information till medborgare",
        "Dialog och medborgarmedverkan",
        "Etik – motverkan av korruption",
    )
    assert all(a.headings for a in definitions.get("2010").areas)


@pytest.mark.parametrize(
    "version,area,title",
    [
        ("2016", 2, "Brukarfokus, tillgänglighet och bemötande"),
        ("2016", 7, "Ständiga förbättringar"),
        ("2020", 1, "Samspel mellan förtroendevalda och medborgare"),
        ("2020", 8, "Chefs- och ledarskap samt medarbetarskap"),
    ],
)
def test_later_versions_are_held_at_area_level(version, area, title):
    framework = definitions.get(version)
    assert framework.area(area).title == title
    assert not framework.has_questions
    assert sum(a.max_points for a in framework.areas) == framework.max_points == Decimal(800)


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _valid() -> dict:
    return {
        "id": "2099",
        "name": "Test",
        "owner": "SKR",
        "max_points": 30,
        "areas": [
            {"number": 1, "title": "A", "max_points": 20, "questions": [
                {"id": "1.1", "text": "Q1", "max_points": 15},
                {"id": "1.2", "text": "Q2", "max_points": 5},
            ]},
            {"number": 2, "title": "B", "max_points": 10},
        ],
    }


def test_a_valid_file_loads(tmp_path):
    framework = load_file(_write(tmp_path, "2099.yaml", _valid()))
    assert [q.id for q in framework.questions] == ["1.1", "1.2"]


@pytest.mark.parametrize(
    "break_it,expected",
    [
        (lambda d: d["areas"][0]["questions"].append({"id": "1.1", "text": "again", "max_points": 0}), "delfråga 1.1"),
        (lambda d: d["areas"][0]["questions"][0].update(max_points=14), "delfrågornas max summerar till 19"),
        (lambda d: d.update(max_points=31), "områdenas max summerar till 30"),
        (lambda d: d["areas"][1].update(number=1), "område 1: områdesnumret förekommer två gånger"),
        (lambda d: d["areas"][0]["questions"][1].update(id="2.2"), "questions[2]: id '2.2'"),
        (lambda d: d["areas"][1].pop("title"), "område 2: title saknas"),
        (lambda d: d["areas"][0]["questions"][0].update(max_points="femton"), "delfråga 1.1: max_points"),
    ],
)
def test_a_broken_file_names_the_file_and_the_entry(tmp_path, break_it, expected):
    data = _valid()
    break_it(data)
    with pytest.raises(CatalogueError) as error:
        load_file(_write(tmp_path, "2099.yaml", data))
    assert "2099.yaml" in str(error.value)
    assert expected in str(error.value)


def test_malformed_yaml_names_the_file(tmp_path):
    with pytest.raises(CatalogueError, match=r"2099\.yaml: ogiltig YAML"):
        load_file(_write(tmp_path, "2099.yaml", "id: '2099\nareas: [\n"))


def test_file_name_must_match_the_version(tmp_path):
    with pytest.raises(CatalogueError, match=r"2098\.yaml: filen ska heta 2099\.yaml"):
        load_file(_write(tmp_path, "2098.yaml", _valid()))


def test_catalogue_rows_mirror_the_files(db):
    from kompass.catalogue.models import Framework, Question

    assert Framework.objects.count() == 4
    assert Question.objects.filter(area__framework__code="2010").count() == 45
    question = Question.objects.get(area__framework__code="2010", code="4.3")
    assert question.max_points == 20
    assert question.text == "Hur beskrivs inriktning och ansvar för tvärsektorieellt samarbete?"
