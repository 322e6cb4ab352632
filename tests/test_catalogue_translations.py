"""Catalogue texts in the reader's language: the ``translations`` of a version's file
(validated, stored, exported back), ``localized``/``LocalText`` and the ``local``
template filter that marks a text shown in another language than the page's; a frozen
version takes new translations like any wording correction; a confidential version's
translations stay as confidential as its texts."""

import json
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from kompass.catalogue import definitions, files
from kompass.catalogue.definitions import CatalogueError
from kompass.catalogue.parsing import parse_framework, read_yaml
from kompass.catalogue.translations import LocalText, localized, localized_list, text_of

EXAMPLE = Path(__file__).parent / "data" / "catalogue" / "example.yaml"

AREA_1 = "  title: Samspel mellan förtroendevalda och medborgare\n  max_points: 100\n"
QUESTION_1_1 = "    text: Hur informerar kommunen medborgarna om politikens beslut och prioriteringar?\n"


@pytest.fixture(autouse=True)
def fresh_catalogue_cache():
    from kompass.catalogue import registry

    registry.clear()
    yield
    registry.clear()


def _example(tmp_path: Path, change=None, name="2099.yaml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = change(text) if change is not None else text
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _translated(text: str, area_block: str = "", question_block: str = "") -> str:
    if area_block:
        text = text.replace(AREA_1, AREA_1 + area_block, 1)
    if question_block:
        text = text.replace(QUESTION_1_1, QUESTION_1_1 + question_block, 1)
    return text


AREA_EN = "  translations:\n    en: {title: Interaction between elected representatives and citizens}\n"
QUESTION_EN = (
    "    translations:\n"
    "      en:\n"
    "        text: How does the municipality inform citizens about political decisions?\n"
    "        guidance: {full: The plan exists and is followed.}\n"
    "      nb: {short: Informasjon om vedtak}\n"
)


# --- localized and LocalText ---------------------------------------------------------------------


def test_localized_gives_the_translation_or_the_source_each_with_its_language():
    translations = {"en": {"title": "Results and efficiency"}, "nb": {"title": ""}}
    english = localized("Resultat och effektivitet", "sv", translations, "title", "en")
    assert (english, english.language) == ("Results and efficiency", "en")
    for language in ("nb", "da", "sv"):  # empty, missing, the source's own
        text = localized("Resultat och effektivitet", "sv", translations, "title", language)
        assert (text, text.language) == ("Resultat och effektivitet", "sv")
    with translation.override("en"):
        assert localized("Resultat", "sv", translations, "title") == "Results and efficiency"
    assert isinstance(english, str) and isinstance(english, LocalText)


def test_a_list_of_headings_is_translated_whole_or_not_at_all():
    source = ["Strategi", "Information"]
    assert [(h, h.language) for h in localized_list(source, "sv", {"en": {"headings": ["Strategy", "Information"]}}, "headings", "en")] == [
        ("Strategy", "en"), ("Information", "en")]
    assert [h.language for h in localized_list(source, "sv", {"en": {"headings": ["Strategy"]}}, "headings", "en")] == ["sv", "sv"]


def test_a_local_text_keeps_its_language_through_a_pickle():
    import pickle

    text = pickle.loads(pickle.dumps(LocalText("Effektivitet", "da")))
    assert (text, text.language) == ("Effektivitet", "da")


# --- the file: validation, loading, export --------------------------------------------------------


def test_a_file_with_translations_loads_them_on_every_item(tmp_path):
    path = _example(tmp_path, lambda t: _translated(t, AREA_EN, QUESTION_EN).replace(
        "areas:\n", "translations:\n  en: {name: Example version, description: Made-up questions}\nareas:\n", 1))
    version = files.read(path)
    assert version.translations == {"en": {"name": "Example version", "description": "Made-up questions"}}
    assert version.area(1).translations == {"en": {"title": "Interaction between elected representatives and citizens"}}
    question = version.question("1.1")
    assert question.translations["en"]["guidance"] == {"full": "The plan exists and is followed."}
    assert str(text_of(question, "guidance.full", "en")) == "The plan exists and is followed."
    assert text_of(question, "guidance.partial", "en").language == "sv"
    assert text_of(question, "short", "nb") == "Informasjon om vedtak"


@pytest.mark.parametrize(
    "block, expected",
    [
        ("  translations:\n    fi: {title: Vuorovaikutus}\n",
         "okänd språkkod 'fi' (möjliga: sv, nb, da, en)"),
        ("  translations:\n    en: {titel: Interaction}\n",
         "område 1, translations.en: okänd nyckel 'titel' (möjliga: guidance, headings, title)"),
        ("  translations:\n    sv: {title: Samspel}\n",
         "område 1, translations: sv är versionens eget språk"),
        ("  headings: [Information, Dialog]\n  translations:\n    en: {headings: [Information]}\n",
         "område 1, translations.en: headings har 1 rubriker men originalet har 2"),
        ("  translations:\n    en: {title: [not, a, text]}\n",
         "område 1, translations.en: title saknas eller är inte en text"),
        ("  translations:\n    en: Interaction\n",
         "område 1, translations.en: ska vara en mappning"),
    ],
)
def test_a_bad_translation_is_named_with_its_item_field_and_line(tmp_path, block, expected):
    path = _example(tmp_path, lambda t: _translated(t, block))
    with pytest.raises(CatalogueError) as caught:
        files.read(path)
    message = str(caught.value)
    assert expected in message, message
    assert "2099.yaml rad " in message


def test_a_question_translation_with_an_area_field_is_refused_by_name(tmp_path):
    path = _example(tmp_path, lambda t: _translated(t, question_block="    translations:\n      da: {title: Information}\n"))
    with pytest.raises(CatalogueError) as caught:
        files.read(path)
    assert "delfråga 1.1, translations.da: okänd nyckel 'title' (möjliga: guidance, short, subarea, text)" in str(caught.value)


def test_every_shipped_version_has_its_name_description_and_area_titles_in_nb_da_and_en():
    for version in definitions.shipped().values():
        for language in ("nb", "da", "en"):
            assert version.translations[language]["name"].endswith(version.id)
            assert version.translations[language]["description"]
            for area in version.areas:
                assert area.translations[language]["title"], (version.id, area.number, language)
    assert definitions.shipped()["2010"].area(7).translations["nb"]["title"] == "Kontinuerlig forbedring og utviklingsarbeid"
    assert definitions.shipped()["2010"].area(1).translations["da"]["title"] == "Åbenhed og demokrati"
    assert not any(q.translations for v in definitions.shipped().values() for q in v.questions)  # titles only


def test_export_writes_the_translations_back_in_yaml_and_xlsx(tmp_path):
    original = files.read(_example(tmp_path, lambda t: _translated(t, AREA_EN, QUESTION_EN)))
    for fmt in ("yaml", "xlsx"):
        path = tmp_path / f"copy.{fmt}"
        files.write(original, path, fmt)
        again = files.read(path)
        assert again.area(1).translations == original.area(1).translations
        assert again.question("1.1").translations == original.question("1.1").translations
    text = (tmp_path / "copy.yaml").read_text(encoding="utf-8")
    assert "translations:\n    en:\n      title: Interaction between elected representatives and citizens" in text
    shipped = definitions.shipped()["2010"]
    assert parse_framework(read_yaml(_write(tmp_path, files.dumps_yaml(shipped))), "2010.yaml") == shipped


def _write(tmp_path, text):
    path = tmp_path / "2010.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_confidential_export_leaves_out_the_translations_of_what_it_leaves_out(tmp_path):
    version = files.read(_example(tmp_path, lambda t: _translated(t, AREA_EN, QUESTION_EN)))
    document = files.document(version, public=False)
    question = document["areas"][0]["questions"][0]
    assert "text" not in question and "translations" not in question  # text, short and guidance only
    assert document["areas"][0]["translations"]["en"]["title"].startswith("Interaction")


# --- stored, and on a frozen version ------------------------------------------------------------


@pytest.mark.django_db
def test_translations_are_stored_and_answer_from_the_database(run_cli, tmp_path):
    from kompass.catalogue.models import Area, Framework, Question

    assert run_cli("catalogue", "load", _example(tmp_path, lambda t: _translated(t, AREA_EN, QUESTION_EN)))[0] == 0
    assert Area.objects.get(framework__code="2099", number=1).translations["en"]["title"].startswith("Interaction")
    assert Question.objects.get(area__framework__code="2099", code="1.1").translations["nb"] == {"short": "Informasjon om vedtak"}
    assert definitions.get("2099").area(1).translations == {"en": {"title": "Interaction between elected representatives and citizens"}}
    assert definitions.get("2010").area(1).translations["en"]["title"] == "Public access and democracy"
    assert Framework.objects.get(code="2010").translations["nb"]["name"] == "Kommunekompasset 2010"


@pytest.mark.django_db
def test_a_frozen_version_takes_new_translations_as_a_recorded_wording_change(run_cli, tmp_path):
    """Scores mean what the structure and maxima say in any language: a translation is
    wording, allowed on a frozen version and recorded, while a structural change is still
    refused (``catalogue.changes``)."""
    from kompass.catalogue.models import CatalogueChange, Framework
    from kompass.evaluations import services
    from kompass.municipalities.models import Municipality

    assert run_cli("catalogue", "load", _example(tmp_path))[0] == 0
    services.evaluation_create(municipality=Municipality.objects.get(code="1880"), framework=Framework.objects.get(code="2099"),
                               facts=services.Facts(year=2024, status="planned"))
    code, out, err = run_cli("catalogue", "load", _example(tmp_path, lambda t: _translated(t, AREA_EN)))
    assert code == 0, err
    change = CatalogueChange.objects.get(framework__code="2099", field="område 1: translations")
    assert change.old == "" and "Interaction between elected representatives and citizens" in change.new
    assert definitions.get("2099").area(1).translations["en"]["title"].startswith("Interaction")
    structural = _example(tmp_path, lambda t: _translated(t, AREA_EN).replace("max_points: 40", "max_points: 30", 1)
                          .replace("max_points: 35", "max_points: 45", 1))
    code, out, err = run_cli("catalogue", "load", structural)
    assert code == 1 and "är låst" in err


@pytest.mark.django_db
def test_the_shipped_2010_is_frozen_by_the_demo_and_still_carries_its_translations(demo):
    from kompass.catalogue.models import Framework
    from kompass.catalogue.services import frozen_by

    assert frozen_by("2010") > 0
    assert Framework.objects.get(code="2010").translations["en"]["description"].startswith("Common Nordic version")


# --- the local filter ---------------------------------------------------------------------------


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load catalogue_text %}" + source).render(Context(context))


def test_local_shows_the_translation_plain_and_a_fallback_marked_with_its_language():
    area = definitions.shipped()["2010"].area(1)
    question = definitions.shipped()["2010"].question("1.1")
    assert _render('{{ a|local:"title" }}', "en", a=area) == "Public access and democracy"
    assert _render('{{ a|local:"title" }}', "sv", a=area) == "Offentlighet och demokrati"
    assert _render('{{ q|local:"text" }}', "en", q=question) == f'<span lang="sv">{question.text}</span>'
    assert _render('{% for h in a|local:"headings" %}[{{ h }}]{% endfor %}', "da", a=area).startswith('[<span lang="sv">Strategi')
    assert _render('{{ v|local:"name" }}', "nb", v=definitions.shipped()["2016"]) == "Kommunekompasset 2016"
    assert _render('<option{{ t|lang_attr }}>', "en", t=localized("Effektivitet", "sv", {}, "title")) == '<option lang="sv">'


def test_local_escapes_the_text_and_its_translation():
    area = definitions.Area(number=1, title="A & <b>", max_points=1, translations={"en": {"title": "<i>x</i>"}})
    assert _render('{{ a|local:"title" }}', "en", a=area) == "&lt;i&gt;x&lt;/i&gt;"
    assert _render('{{ a|local:"title" }}', "nb", a=area) == '<span lang="sv">A &amp; &lt;b&gt;</span>'


@pytest.mark.django_db
def test_local_works_on_the_models_as_on_the_definitions(demo):
    from kompass.catalogue.models import Area, Framework

    area = Area.objects.select_related("framework").get(framework__code="2010", number=8)
    assert _render('{{ a|local:"title" }}', "en", a=area) == "The municipality as community developer"
    assert _render('{{ f|local:"description" }}', "da", f=Framework.objects.get(code="2020")).startswith("Revision udført af SKR")


def test_a_confidential_versions_public_view_withholds_the_translations_of_what_it_withholds(tmp_path):
    from dataclasses import replace

    from kompass.catalogue.visibility import public_view

    version = files.read(_example(tmp_path, lambda t: _translated(t, AREA_EN, QUESTION_EN)))
    version = replace(version, public_questions=False, _questions={})
    with translation.override("en"):
        shown = public_view(version)
        question = shown.question("1.1")
        assert "How does the municipality" not in json.dumps(question.translations)
        assert "Informasjon" not in json.dumps(question.translations)
        label = text_of(question, "text")
        assert label.language == "en" and label == question.text
        assert text_of(shown.area(1), "title") == "Interaction between elected representatives and citizens"


@pytest.mark.django_db
def test_the_about_page_in_english_shows_the_translated_titles_and_marks_the_swedish_questions(demo, client):
    client.cookies["kompass_language"] = "en"
    html = client.get("/om/").content.decode()
    assert "Public access and democracy" in html
    assert "The municipality as community developer" in html
    text = definitions.shipped()["2010"].question("1.1").text
    assert f'<span lang="sv">{text}</span>' in html
    client.cookies["kompass_language"] = "sv"
    html = client.get("/om/").content.decode()
    assert "Public access and democracy" not in html and "Offentlighet och demokrati" in html
    assert '<span lang="sv">' not in html


def test_a_units_heading_and_a_questions_heading_follow_the_language(tmp_path):
    from kompass.catalogue.visibility import question_heading
    from kompass.workspace.units import unit_get

    version = files.read(_example(tmp_path, lambda t: _translated(t, AREA_EN, QUESTION_EN)))
    unit = unit_get(version, "1.1")
    assert _render("{{ u|local_heading }}", "en", u=unit) == "1.1 How does the municipality inform citizens about political decisions?"
    assert _render("{{ u|local_heading }}", "da", u=unit) == f'1.1 <span lang="sv">{version.question("1.1").text}</span>'
    assert _render("{{ u|local_heading:20 }}", "en", u=unit) == "1.1 How does the mu…"
    with translation.override("nb"):
        heading = question_heading(version.question("1.1"))
    assert (heading, heading.language) == ("1.1 Informasjon om vedtak", "nb")
    with translation.override("en"):
        heading = question_heading(version.question("1.2"))
    assert heading.language == "sv" and heading.startswith("1.2 ")
