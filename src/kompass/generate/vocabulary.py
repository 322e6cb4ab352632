"""The words and sentence templates of the synthetic texts, read once from
``vocabulary.yaml`` (shipped with the package)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")
TOPICS_TOGETHER = re.compile(r"\{topics\.(\d)\}")
WORDS = ("topic", "topics", "actor", "practice", "document", "where", "changed")  # drawn from the theme
GIVEN = ("previous", "name", "clause")  # given by the caller


class Slot(NamedTuple):
    """A placeholder, parsed: ``{Topic}``, ``{topics.2}``, ``{where|i skolan}``, ``{en/ett}``."""

    placeholder: str  # as written, for the values a caller gives
    word: str  # what is drawn: topic, topics, actor, practice, document, where, changed
    part: str  # topics: which one ("1"); practice: "verb" or "rest"
    otherwise: str  # where: the place when none is drawn
    capital: bool
    agreement: tuple[str, str] | None  # ("en" form, "ett" form), agreeing with the document


def _slot(placeholder: str) -> Slot:
    name, _, otherwise = placeholder.partition("|")
    if "/" in name:
        common, neuter = name.split("/")
        return Slot(placeholder, "document", "", "", False, (common, neuter))
    word, _, part = name.lower().partition(".")
    if word not in WORDS and placeholder not in GIVEN:  # a typo fails on loading, not now and then
        raise ValueError(f"{VOCABULARY_FILE.name}: unknown placeholder {{{placeholder}}}")
    return Slot(placeholder, word, part, otherwise, name[:1].isupper(), None)


class Template:
    """A sentence with placeholders, parsed once; filled by ``texts.Words.say``."""

    __slots__ = ("text", "first", "rest", "topics_together")

    def __init__(self, text: str):
        self.text = text
        parts = PLACEHOLDER.split(text)  # literal, placeholder, literal, …
        self.first = parts[0]
        self.rest = tuple((_slot(parts[i]), parts[i + 1]) for i in range(1, len(parts), 2))  # (slot, literal after it)
        # {topics.1} … {topics.N} are drawn together, N at once, so they differ.
        self.topics_together = max((int(n) for n in TOPICS_TOGETHER.findall(text)), default=0)

    def __repr__(self) -> str:
        return f"Template({self.text!r})"


@dataclass(frozen=True)
class Theme:
    """What the texts of one kind of area talk about."""

    topics: tuple[str, ...]
    documents: tuple[tuple[str, str], ...]  # (article "en"/"ett", noun)
    practices: tuple[str, ...]
    actors: tuple[str, ...]
    examples: tuple[tuple[str, str], ...]  # (noun, relative clause)


@dataclass(frozen=True)
class Vocabulary:
    themes: dict[str, Theme]
    themes_by_title: tuple[tuple[str, str], ...]  # (word in an area's title, theme)
    where: tuple[str, ...]
    changed: tuple[str, ...]
    sentences: dict[str, tuple[Template, ...]]  # by tone: good, middling, weak
    introductions: tuple[Template, ...]
    changes: dict[str, tuple[Template, ...]]  # good, weak
    strengths: tuple[Template, ...]
    improvements: tuple[Template, ...]
    good_examples: tuple[Template, ...]
    # Texts from facts only (str.format):
    question: str
    levels: dict[str, str]  # by tone
    evaluation_text: str
    about: str
    summary: str
    summary_since_previous: str
    summary_first: str
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    months: tuple[str, ...]

    def theme(self, title: str, number: int) -> Theme:
        """An area's theme: the first whose word its title holds, else the Nth."""
        lowered = title.lower()
        for word, theme in self.themes_by_title:
            if word in lowered:
                return self.themes[theme]
        names = list(self.themes)
        return self.themes[names[(number - 1) % len(names)]]


def _templates(texts: list[str]) -> tuple[Template, ...]:
    return tuple(Template(text) for text in texts)


def _theme(data: dict) -> Theme:
    return Theme(
        topics=tuple(data["topics"]),
        documents=tuple(tuple(document.split(" ", 1)) for document in data["documents"]),
        practices=tuple(data["practices"]),
        actors=tuple(data["actors"]),
        examples=tuple(data["examples"].items()),
    )


@cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return Vocabulary(
        themes={name: _theme(theme) for name, theme in data["themes"].items()},
        themes_by_title=tuple(data["themes by title"].items()),
        where=tuple(data["where"]),
        changed=tuple(data["changed"]),
        sentences={tone: _templates(texts) for tone, texts in data["sentences"].items()},
        introductions=_templates(data["introductions"]),
        changes={tone: _templates(texts) for tone, texts in data["changes"].items()},
        strengths=_templates(data["strengths"]),
        improvements=_templates(data["improvements"]),
        good_examples=_templates(data["good examples"]),
        question=data["question"],
        levels=dict(data["levels"]),
        evaluation_text=data["evaluation text"],
        about=data["about"],
        summary=data["summary"],
        summary_since_previous=data["summary since previous"],
        summary_first=data["summary first"],
        first_names=tuple(data["first names"]),
        last_names=tuple(data["last names"]),
        months=tuple(data["months"]),
    )
