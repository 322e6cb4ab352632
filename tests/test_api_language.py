"""The open data API in the reader's language: ``?lang=`` or ``Accept-Language`` gives
the catalogue's titles in that language where the version has a translation; codes,
field names, numbers and municipality names never change; every answer says its
``Content-Language``; a text without a translation says its own language."""

import pytest

from kompass.catalogue import definitions

pytestmark = pytest.mark.django_db

LANGUAGES = ("sv", "nb", "da", "en")


def _shape(value):
    """The answer without its texts: keys, codes and numbers only."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k not in ("title", "title_language", "text", "text_language")}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    return value


def _evaluation_id(client):
    return client.get("/api/evaluations?municipality=1880&framework=2010&year=2015").json()["results"][0]["id"]


def test_lang_gives_the_area_titles_of_the_versions_file_and_changes_nothing_else(demo, client):
    pk = _evaluation_id(client)
    shipped = definitions.shipped()["2010"]
    answers = {lang: client.get(f"/api/evaluations/{pk}?lang={lang}") for lang in LANGUAGES}
    for lang, response in answers.items():
        assert response.status_code == 200
        assert response["Content-Language"] == lang
        area = response.json()["areas"][0]
        expected = shipped.areas[0].title if lang == "sv" else shipped.areas[0].translations[lang]["title"]
        assert (area["title"], area["title_language"]) == (expected, lang)
    english = answers["en"].json()
    assert english["areas"][0]["title"] == "Public access and democracy"
    assert english["comparison"]["areas"][0]["title"] == "Public access and democracy"
    assert english["municipality"]["name"] == answers["sv"].json()["municipality"]["name"] == "Örebro kommun"
    assert all(_shape(r.json()) == _shape(answers["sv"].json()) for r in answers.values())


def test_a_question_without_a_translation_is_given_as_written_and_says_its_language(demo, client):
    pk = _evaluation_id(client)
    question = client.get(f"/api/evaluations/{pk}?lang=nb").json()["areas"][0]["questions"][0]
    assert question["id"] == "1.1"
    assert question["text"] == definitions.shipped()["2010"].question("1.1").text
    assert question["text_language"] == "sv"


def test_accept_language_chooses_when_there_is_no_lang(demo, client):
    response = client.get("/api/benchmark?framework=2010", HTTP_ACCEPT_LANGUAGE="da,en;q=0.5")
    assert response["Content-Language"] == "da"
    assert response.json()["areas"][0]["title"] == "Åbenhed og demokrati"
    assert response.json()["areas"][0]["title_language"] == "da"
    chosen = client.get("/api/benchmark?framework=2010&lang=en", HTTP_ACCEPT_LANGUAGE="da")
    assert chosen["Content-Language"] == "en"
    assert chosen.json()["areas"][0]["title"] == "Public access and democracy"


def test_without_any_language_the_answer_is_swedish(demo, client):
    response = client.get("/api/benchmark?framework=2010")
    assert response["Content-Language"] == "sv"
    assert response.json()["areas"][0]["title"] == "Offentlighet och demokrati"


def test_confidential_question_texts_stay_null_in_every_language(demo, client):
    for lang in LANGUAGES:
        answer = client.get(f"/api/benchmark?framework=2020&lang={lang}").json()
        assert all(q["text"] is None and "text_language" not in q for q in answer["questions"])
        assert answer["areas"][0]["title_language"] == lang


def test_csv_titles_follow_the_language_and_the_header_does_not(demo, client):
    english = client.get("/api/benchmark?framework=2010&format=csv&lang=en").content.decode()
    swedish = client.get("/api/benchmark?framework=2010&format=csv").content.decode()
    assert english.splitlines()[0] == swedish.splitlines()[0]
    assert "Public access and democracy" in english and "Offentlighet och demokrati" not in english


def test_an_unknown_lang_is_a_bad_request_that_names_it(demo, client):
    response = client.get("/api/benchmark?framework=2010&lang=xx")
    assert response.status_code == 400
    assert response.json()["parameter"] == "lang"


def test_cached_answers_are_kept_apart_by_language(demo, client):
    first = client.get("/api/benchmark?framework=2016&lang=en").json()["areas"][6]["title"]
    second = client.get("/api/benchmark?framework=2016&lang=nb").json()["areas"][6]["title"]
    again = client.get("/api/benchmark?framework=2016&lang=en").json()["areas"][6]["title"]
    assert (first, second, again) == ("Continuous improvement", "Kontinuerlig forbedring", "Continuous improvement")


def test_the_schema_documents_lang_for_every_operation(client):
    document = client.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        if path == "/api/openapi.json":
            continue
        refs = [p.get("$ref", "") for p in operations["get"].get("parameters", [])]
        assert "#/components/parameters/lang" in refs, path
    assert document["components"]["parameters"]["lang"]["schema"]["enum"] == list(LANGUAGES)
