"""The translations (src/kompass/locale/<language>/LC_MESSAGES/django.po) are complete and
safe: every message of the source has a translation in nb, da and en, none is fuzzy,
placeholders and markup are the same as in the Swedish source, and the compiled .mo files
the site reads are those of the .po files."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "kompass"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%[-#0 +]*\d*(?:\.\d+)?[sdifrx]|%%|\{[A-Za-z_0-9]*\}")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"))


def key(entry) -> tuple:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def translations_of(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural.get(i, "") for i in range(2)]
    return [entry.msgstr]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[tuple]:
    """The messages of the source as they are now: makemessages run on a copy of the
    package (so the real .po files are not touched)."""
    copy = tmp_path_factory.mktemp("source") / "kompass"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.po", "static", "data"))
    subprocess.run(
        [str(Path(sys.executable).with_name("django-admin")), "makemessages", "--settings=kompass.settings",
         f"--pythonpath={copy.parent}", "-l", "en", "-e", "html,py,txt", "--no-location"],
        cwd=copy, check=True, capture_output=True, text=True,
    )
    return {key(e) for e in polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")) if not e.obsolete}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_of_the_source_is_in_the_translation_file(language, extracted):
    present = {key(e) for e in catalogue(language) if not e.obsolete}
    missing = sorted(extracted - present, key=str)
    assert not missing, (
        f"{len(missing)} message(s) of the source are not in locale/{language}: run `make messages` and "
        f"translate them, e.g. {[m[1] for m in missing[:5]]}"
    )


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_none_is_fuzzy(language):
    entries = [e for e in catalogue(language) if not e.obsolete]
    untranslated = [e.msgid for e in entries if not all(t.strip() for t in translations_of(e))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not untranslated, f"locale/{language}: {len(untranslated)} without a translation, e.g. {untranslated[:5]}"
    assert not fuzzy, f"locale/{language}: {len(fuzzy)} marked fuzzy (check them, then remove the flag), e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_and_markup_are_those_of_the_source(language):
    wrong = []
    for entry in catalogue(language):
        if entry.obsolete:
            continue
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for source, translated in zip(sources, translations_of(entry)):
            # A singular may write the number out ("one"), so %(count)d may be missing there.
            expected, got = Counter(PLACEHOLDER.findall(source)), Counter(PLACEHOLDER.findall(translated))
            if entry.msgid_plural and source is entry.msgid:
                expected, got = set(expected), set(got) | (set(expected) - set(got) if len(expected) == 1 else set())
            if expected != got:
                wrong.append(f"{entry.msgid!r}: placeholders {dict(expected)} ≠ {dict(got)}")
            if Counter(TAG.findall(source)) != Counter(TAG.findall(translated)):
                wrong.append(f"{entry.msgid!r}: markup differs")
    assert not wrong, f"locale/{language}:\n" + "\n".join(wrong[:20])


def test_the_placeholder_check_catches_a_wrong_translation():
    """The check above is not vacuous: a renamed placeholder and a lost tag are found."""
    assert Counter(PLACEHOLDER.findall("%(name)s har %(count)d poäng")) != Counter(PLACEHOLDER.findall("%(navn)s har %(count)d poeng"))
    assert Counter(TAG.findall("<a href=\"%(url)s\">läs</a>")) != Counter(TAG.findall("read %(url)s"))


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_that_of_the_translation_file(language, tmp_path):
    """The .mo that gettext reads is compiled from the current .po (make install does it)."""
    folder = PACKAGE / "locale" / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(compiled), str(folder / "django.po")], check=True)
    assert (folder / "django.mo").exists(), f"locale/{language}: no django.mo; run `make install`"
    assert (folder / "django.mo").read_bytes() == compiled.read_bytes(), f"locale/{language}: django.mo is older than django.po; run `make install`"


@pytest.mark.parametrize("language", TRANSLATED)
def test_gettext_answers_in_the_language(language):
    entry = next(e for e in catalogue(language) if e.msgid == "Kommuner" and not e.msgctxt)
    with translation.override(language):
        assert translation.gettext("Hoppa till innehållet") != "Hoppa till innehållet"
        assert translation.gettext("Kommuner") == entry.msgstr
