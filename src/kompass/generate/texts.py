"""Swedish texts for one synthetic evaluation, from the vocabulary's templates; their
tone follows the score, so a search finds realistic hits.

Every function draws from the ``rng`` it is given, in a fixed order: the same seed gives
the same texts, so keep the order of the draws when changing anything here."""

from __future__ import annotations

import random

from kompass.generate.vocabulary import Template, Theme, vocabulary


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class Words:
    """Fills templates with words of one theme (a sub-question's related topics, where
    given, for ``{topic}``); see the placeholders in vocabulary.yaml."""

    __slots__ = ("rng", "theme", "topics")

    def __init__(self, rng: random.Random, theme: Theme, topics: tuple[str, ...] | None = None):
        self.rng, self.theme, self.topics = rng, theme, topics or theme.topics

    def say(self, template: Template, **given) -> str:
        drawn: dict[str, object] = {}  # each word once per sentence, where it first appears
        out = [template.first]
        for slot, literal in template.rest:  # one loop, no call per slot: the hot path of generate
            placeholder, word, part, otherwise, capital, agreement = slot
            if placeholder in given:
                out.append(str(given[placeholder]))
                out.append(literal)
                continue
            if word in drawn:
                value = drawn[word]
            else:
                value = drawn[word] = self._draw(word, template)
            if agreement:
                value = agreement[value[0] != "en"]
            else:
                if word == "document":
                    value = value[1]
                elif word == "topics":
                    value = value[int(part) - 1]
                elif word == "practice" and part:
                    value = value.split(" ", 1)[part == "rest"]
                elif word == "where":
                    place = value or otherwise
                    value = f" {place}" if place else ""
                if capital:
                    value = _cap(value)
            out.append(value)
            out.append(literal)
        return "".join(out)

    def _draw(self, word: str, template: Template):
        rng, theme = self.rng, self.theme
        match word:
            case "topic":
                return rng.choice(self.topics)
            case "topics":
                return rng.sample(theme.topics, template.topics_together)
            case "actor":
                return rng.choice(theme.actors)
            case "practice":
                return rng.choice(theme.practices)
            case "document":
                return rng.choice(theme.documents)
            case "where":
                return rng.choice(vocabulary().where)
            case "changed":
                return rng.choice(vocabulary().changed)
        raise KeyError(f"{template.text!r}: unknown placeholder {{{word}}}")


def tone(share: float) -> str:
    return "good" if share >= 0.65 else "middling" if share >= 0.45 else "weak"


def distinct(rng: random.Random, pool: tuple[Template, ...], used: set) -> Template:
    """A template of the pool not used yet in this text (any, once all are used)."""
    choices = ([t for t in pool if t not in used] or pool) if used else pool
    template = rng.choice(choices)
    used.add(template)
    return template


def sentences(words: Words, tone: str, count: int) -> list[str]:
    """Mostly sentences of the tone, now and then one of the neighbouring tone."""
    rng, by_tone = words.rng, vocabulary().sentences
    # Drawn whatever the tone: the draws, and so the texts of a seed, stay the same.
    middling_other = by_tone["good"] if rng.random() < 0.5 else by_tone["weak"]
    main, other = {
        "good": (by_tone["good"], by_tone["middling"]),
        "middling": (by_tone["middling"], middling_other),
        "weak": (by_tone["weak"], by_tone["middling"]),
    }[tone]
    used: set = set()
    return [words.say(distinct(rng, main if rng.random() < 0.75 else other, used)) for _ in range(count)]


def question_text(rng: random.Random, theme: Theme, related: tuple[str, ...] | None, title: str, tone: str) -> str:
    v = vocabulary()
    opening = v.question.format(question=title, level=v.levels[tone])
    return " ".join([opening] + sentences(Words(rng, theme, related), tone, rng.randint(1, 2)))


def general_text(rng: random.Random, theme: Theme, tone: str) -> str:
    """An area's "Allmänt"."""
    words = Words(rng, theme)
    opening = words.say(rng.choice(vocabulary().introductions))
    return " ".join([opening] + sentences(words, tone, rng.randint(2, 4)))


def changes_text(rng: random.Random, theme: Theme, tone: str, previous: int) -> str:
    """An area's "Vad har hänt?" since the evaluation of the year ``previous``."""
    changes = vocabulary().changes
    pool = changes["good"] if tone != "weak" or rng.random() < 0.3 else changes["weak"]
    words = Words(rng, theme)
    return " ".join(words.say(t, previous=previous) for t in rng.sample(pool, rng.randint(1, min(3, len(pool)))))


def findings(rng: random.Random, theme: Theme, questions: list[tuple]) -> dict[str, list[tuple[str, int | None]]]:
    """An area's strengths, improvement areas and good examples: per kind, its texts with
    the key of the sub-question one names (half of them, where the area has
    sub-questions; ``questions`` holds (key, definition, related topics))."""
    v = vocabulary()
    counts = {"strength": rng.randint(2, 5), "improvement": rng.randint(2, 5), "good_example": rng.choice((0, 0, 0, 1, 1, 2))}
    pools = {"strength": v.strengths, "improvement": v.improvements, "good_example": v.good_examples}
    area_words = Words(rng, theme)
    result = {}
    for kind, count in counts.items():
        texts: list[tuple[str, int | None]] = []
        used: set = set()
        for _attempt in range(10 * count):
            if len(texts) == count:
                break
            question_key, words = None, area_words
            if questions and rng.random() < 0.5:
                question_key, _question, related = rng.choice(questions)
                words = Words(rng, theme, related)
            if kind == "good_example":
                name, clause = rng.choice(theme.examples)
                text = words.say(distinct(rng, pools[kind], used), name=name, clause=clause)
            else:
                text = words.say(distinct(rng, pools[kind], used))
            if all(text != t for t, _q in texts):
                texts.append((text, question_key))
        result[kind] = texts
    return result


def evaluator_names(rng: random.Random) -> list[str]:
    """Two or three different names."""
    v = vocabulary()
    count = rng.choice((2, 2, 3))
    names: list[str] = []
    while len(names) < count:
        name = f"{rng.choice(v.first_names)} {rng.choice(v.last_names)}"
        if name not in names:
            names.append(name)
    return names


def evaluation_text(
    *, municipality: str, month: int, year: int, evaluators: int, version: str, interviewees: int, approximate: bool
) -> str:
    v = vocabulary()
    people = v.about.format(tens=interviewees // 10 * 10) if approximate else interviewees
    return v.evaluation_text.format(
        municipality=municipality, month=v.months[month - 1], year=year, evaluators=evaluators, version=version,
        interviewees=people,
    )


def summary_text(*, municipality: str, total, max_points, best: tuple, worst: tuple, has_previous: bool) -> str:
    """``best`` and ``worst``: (points, area title)."""
    v = vocabulary()
    summary = v.summary.format(
        municipality=municipality, total=total, max_points=max_points, best=best[1], best_points=best[0],
        worst=worst[1], worst_points=worst[0],
    )
    return f"{summary} {v.summary_since_previous if has_previous else v.summary_first}"
