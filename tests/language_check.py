"""Swedish left on a page that should be in another language, found against the compiled
catalogues: the page's visible text (and the attributes a reader hears: title, aria-label,
alt, placeholder) outside elements marked with another ``lang`` is searched for the Swedish
source of every message that the language translates differently, and for words only
Swedish has. Evaluators' texts and other text written by people are marked with their own
language (``lang="sv"``) by the templates, so they are not counted."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "src" / "kompass" / "locale"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
HEARD = ("title", "aria-label", "alt", "placeholder")
# Not read as text: scripts, and codes (file, column and parameter names are the same in every language).
SKIPPED = {"script", "style", "template", "code", "kbd", "samp", "pre"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sd]|\{\w*\}|<[^>]+>|\n")
# Words that are Swedish and not Norwegian, Danish or English.
SWEDISH_ONLY = re.compile(r"\b(och|är|inte|också|varje|vilka|utvärderingen|utvärderingar|poäng|delfrågor|förbättringsområden)\b", re.I)


def _space(text: str) -> str:
    return " ".join(text.split())


class VisibleText(HTMLParser):
    """Text a reader sees or hears, each piece with the language it is marked in."""

    def __init__(self, page_language: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str]] = [("", page_language)]
        self.skipping = 0
        self.pieces: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        language = (attrs.get("lang") or self.stack[-1][1]).split("-")[0].lower()
        if tag in SKIPPED:
            self.skipping += 1
        hidden = "hidden" in attrs
        for name in HEARD:
            if attrs.get(name) and not self.skipping and not hidden:
                self.pieces.append((_space(attrs[name]), language))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.pieces.append((_space(attrs["value"]), language))
        if tag not in VOID:
            self.stack.append((tag, language))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in SKIPPED and self.skipping:
            self.skipping -= 1
        for i in range(len(self.stack) - 1, 0, -1):  # close up to the matching element
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.pieces.append((_space(data), self.stack[-1][1]))


@functools.cache
def swedish_sources(language: str) -> tuple[frozenset, tuple]:
    """The Swedish messages that ``language`` writes otherwise: whole texts, and the
    literal runs of two or more words between their placeholders."""
    catalogue = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    translated = {_space(t) for e in catalogue for t in ([e.msgstr] + list(e.msgstr_plural.values()))}
    whole, runs = set(), set()
    for entry in catalogue:
        for source, target in ([(entry.msgid, entry.msgstr)] if not entry.msgid_plural else
                               [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]):
            if not source or _space(source) == _space(target) or not re.search(r"[a-zåäö]", source, re.I):
                continue
            if _space(source) not in translated:
                whole.add(_space(source))
            for run in PLACEHOLDER.split(source):
                run = _space(run).strip(" .,:;–-()”\"")
                if len(run.split()) >= 3 and len(run) >= 14 and run not in translated and not any(run in t for t in translated):
                    runs.add(run)
    return frozenset(whole), tuple(sorted(runs))


def swedish_left(html: str, language: str, names=()) -> list[str]:
    """What of the page is Swedish where it should be ``language``: each finding as text.
    ``names`` are proper names (organisations, municipalities), left out first."""
    parser = VisibleText(language)
    parser.feed(html)
    own = [text for text, marked in parser.pieces if marked == language]
    for name in sorted(names, key=len, reverse=True):
        own = [text.replace(name, "…") for text in own]
    whole, runs = swedish_sources(language)
    found = [f"message {text!r}" for text in own if text in whole or text.rstrip(":") in whole]
    joined = " ¶ ".join(own)
    found += [f"part of a message {run!r}" for run in runs if run in joined]
    found += [f"Swedish word {m.group(0)!r} in {text[:80]!r}" for text in own for m in [SWEDISH_ONLY.search(text)] if m]
    return sorted(set(found))
