"""Where a long workspace page stands: each unit's state (empty, saved, divergent,
agreed), the counts per area and for the page, the filters ("bara obesvarade", "bara
avvikelser") and each unit's previous and next neighbour among those shown.

Plain Python over what the selectors give (``selectors.area_blocks``); no queries here.
The same counts feed the overview and the dashboard (``Count``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kompass.catalogue.translations import text_of
from kompass.i18n import _

FILTER_PARAM = "visa"  # /arbete/7/poang/?visa=obesvarade
FILTER_VALUES = ("avvikelser", "obesvarade")


class State(StrEnum):
    EMPTY = "empty"
    PARTIAL = "partial"  # begun, not done: a score without its justification, a self-score without an answer
    SAVED = "saved"
    DIVERGENT = "divergent"  # consensus: the scores differ by more than 10 % and nothing is agreed yet
    AGREED = "agreed"


DONE = {State.SAVED, State.AGREED}


def state_label(state: State, page: str = "") -> str:
    """The state in words, as the list says it beside the symbol."""
    if state == State.PARTIAL:
        return _("motivering saknas") if page == "scoring" else _("påbörjad")
    return {
        State.EMPTY: _("inte besvarad") if page in ("scoring", "previsit") else _("tom") if page == "texts" else _("inte överenskommen"),
        State.SAVED: _("sparad"),
        State.DIVERGENT: _("avvikelse"),
        State.AGREED: _("överens"),
    }[state]


SYMBOLS = {State.EMPTY: "○", State.PARTIAL: "◐", State.SAVED: "✓", State.DIVERGENT: "!", State.AGREED: "✓"}


@dataclass
class Item:
    """One unit (or, on the texts page, one text) in the progress list."""

    key: str
    short: str  # "1.1", "Allmänt"
    title: str
    state: State
    anchor: str  # the id on the page the list links to
    page: str = ""
    shown: bool = True
    previous: Item | None = None
    next: Item | None = None

    @property
    def done(self) -> bool:
        return self.state in DONE

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.state]

    @property
    def state_text(self) -> str:
        return state_label(self.state, self.page)


@dataclass
class Group:
    number: int
    title: str
    anchor: str
    items: list[Item]

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.done)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def shown(self) -> bool:
        return any(i.shown for i in self.items)


@dataclass
class Filter:
    value: str  # "" for all
    label: str
    current: bool = False

    @property
    def query(self) -> str:
        return f"?{FILTER_PARAM}={self.value}" if self.value else "?"


@dataclass
class Progress:
    page: str
    groups: list[Group]
    word: str  # "besvarade", "poängsatta", "överenskomna", "skrivna"
    filters: list[Filter] = field(default_factory=list)
    filter: str = ""
    divergent: int = 0

    @property
    def items(self) -> list[Item]:
        return [i for g in self.groups for i in g.items]

    @property
    def done(self) -> int:
        return sum(g.done for g in self.groups)

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def hidden(self) -> int:
        return sum(1 for i in self.items if not i.shown)

    @property
    def shown(self) -> int:
        return self.total - self.hidden

    @property
    def summary(self) -> str:
        """"12 av 45 besvarade"."""
        return _("%(done)s av %(total)s %(word)s") % {"done": self.done, "total": self.total, "word": self.word}

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def labels(self) -> dict:
        """Every state in words on this page, for progress.js to relabel an item after a save."""
        return {state.value: state_label(state, self.page) for state in State}

    @property
    def filter_label(self) -> str:
        return next((f.label for f in self.filters if f.current and f.value), "")


# --- the state of one unit on each page ------------------------------------------------------


def scoring_state(row) -> State:
    mine = row.mine
    if mine is None or mine.score is None:
        return State.EMPTY
    return State.SAVED if (mine.justification or "").strip() else State.PARTIAL


def consensus_state(row) -> State:
    if row.agreed is not None and row.agreed.score is not None:
        return State.AGREED
    return State.DIVERGENT if row.divergent else State.EMPTY


def previsit_state(row) -> State:
    answer = row.answer
    if answer is not None and (answer.text or "").strip():
        return State.SAVED
    if answer is not None and answer.self_score is not None:
        return State.PARTIAL
    return State.EMPTY


def text_state(text) -> State:
    if isinstance(text, (list, tuple)):
        return State.SAVED if text else State.EMPTY
    return State.SAVED if (text or "").strip() else State.EMPTY


# The lists as the texts page's list names them (the kinds' own labels are singular).
LIST_NAMES = {"strength": lambda: _("Styrkor"), "improvement": lambda: _("Förbättringsområden"), "good_example": lambda: _("Goda exempel")}

STATES = {"scoring": scoring_state, "consensus": consensus_state, "previsit": previsit_state}
ANCHORS = {"scoring": "qh-{key}", "consensus": "qh-{key}", "previsit": "qh-{key}"}


def words(page: str) -> str:
    return {
        "scoring": _("poängsatta"),
        "consensus": _("överenskomna"),
        "previsit": _("besvarade"),
        "texts": _("skrivna"),
    }[page]


def filters_of(page: str) -> list[Filter]:
    found = [Filter("", _("Visa alla"))]
    if page == "consensus":
        found.append(Filter("avvikelser", _("Bara avvikelser")))
        found.append(Filter("obesvarade", _("Bara inte överenskomna")))
    elif page == "texts":
        found.append(Filter("obesvarade", _("Bara tomma texter")))
    else:
        found.append(Filter("obesvarade", _("Bara obesvarade")))
    return found


def _matches(item: Item, chosen: str) -> bool:
    if chosen == "avvikelser":
        return item.state == State.DIVERGENT
    if chosen == "obesvarade":
        return not item.done
    return True


def _finish(progress: Progress, chosen: str) -> Progress:
    """Apply the filter (an unknown one shows everything) and link each shown item to its
    shown neighbours."""
    known = {f.value for f in progress.filters}
    chosen = chosen if chosen in known else ""
    progress.filter = chosen
    for f in progress.filters:
        f.current = f.value == chosen
    shown = []
    for item in progress.items:
        item.shown = _matches(item, chosen)
        if item.shown:
            shown.append(item)
    for before, after in zip(shown, shown[1:]):
        before.next, after.previous = after, before
    progress.divergent = sum(1 for i in progress.items if i.state == State.DIVERGENT)
    return progress


def unit_progress(blocks, page: str, chosen: str = "") -> Progress:
    """The progress of a page that goes unit by unit: scoring, consensus, pre-visit."""
    state_of, anchor = STATES[page], ANCHORS[page]
    groups = []
    for block in blocks:
        items = []
        for row in block.units:
            short = row.unit.key if not row.unit.is_area else _("Området")
            item = Item(row.unit.key, short, text_of(row.unit, "title"), state_of(row), anchor.format(key=row.unit.key), page)
            row.progress = item  # the page shows the row's state and neighbours beside it
            items.append(item)
        groups.append(Group(block.area.number, text_of(block.area, "title"), f"area-{block.area.number}", items))
    return _mark_blocks(blocks, _finish(Progress(page, groups, words(page), filters_of(page)), chosen))


def texts_progress(blocks, *, previous: bool, chosen: str = "") -> Progress:
    """The texts page: per area "Allmänt", "Vad har hänt?" (where there is an earlier
    evaluation), each sub-question's text and the three lists."""
    groups = []
    for block in blocks:
        n = block.area.number
        assessment = block.assessment
        block.general_item = Item(f"a{n}-general", _("Allmänt"), _("Allmänt"), text_state(assessment.general_text if assessment else ""), f"a{n}-general", "texts")
        items = [block.general_item]
        block.changes_item = None
        if previous:
            block.changes_item = Item(f"a{n}-changes", _("Vad har hänt?"), _("Vad har hänt?"), text_state(assessment.changes_text if assessment else ""), f"a{n}-changes", "texts")
            items.append(block.changes_item)
        for row in block.questions:
            code = row.question.code
            row.progress = Item(f"t-{code}", code, text_of(row.question, "text"), text_state(row.agreed.text if row.agreed else ""), f"t-{code}", "texts")
            items.append(row.progress)
        for kind, entry in list(block.lists.items()):
            label = LIST_NAMES[kind]() if kind in LIST_NAMES else str(entry[0]).capitalize()
            item = Item(f"a{n}-{kind}", label, label, text_state(entry[1]), f"a{n}-{kind}", "texts")
            block.lists[kind] = (*entry[:4], item)  # the page finds the list's item as entry.4
            items.append(item)
        groups.append(Group(n, text_of(block.area, "title"), f"area-{n}", items))
    progress = _finish(Progress("texts", groups, words("texts"), filters_of("texts")), chosen)
    for block in blocks:  # the page's sub-headings go with what is shown under them
        block.questions_shown = any(row.progress.shown for row in block.questions)
        block.lists_shown = any(entry[4].shown for entry in block.lists.values())
    return _mark_blocks(blocks, progress)


def _mark_blocks(blocks, progress: Progress) -> Progress:
    """Each area tells the page whether anything of it is shown, and its shown neighbours
    (the texts page goes area by area)."""
    shown = []
    for block, group in zip(blocks, progress.groups):
        block.shown = group.shown
        block.previous_area = block.next_area = None
        if block.shown:
            shown.append(block)
    for before, after in zip(shown, shown[1:]):
        before.next_area, after.previous_area = after, before
    return progress


# --- the same counts for the overview and the dashboard ---------------------------------------


@dataclass
class Count:
    """A step's count for a summary line: "30 av 45 poängsatta"."""

    done: int
    total: int
    word: str

    @property
    def text(self) -> str:
        return _("%(done)s av %(total)s %(word)s") % {"done": self.done, "total": self.total, "word": self.word}

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def step_lines(status: str, counts, *, role: str, previsit_open: bool, mine: int | None = None, submitted: bool = False) -> list[str]:
    """Where an evaluation stands, in a line or two for the dashboard's progress column.
    ``counts`` is a ``selectors.StepCounts``; ``mine`` the user's own scored units when
    assigned. A municipality contact is told only about the answers, never the scores."""
    if status == "published":
        return [_("Publicerad")]
    answers = Count(counts.answers, counts.total, _("besvarade")).text
    if role == "municipality":
        return [_("Förfrågan: %(count)s") % {"count": answers}] if previsit_open else [_("Förfrågan stängd, utvärderarna arbetar")]
    lines = []
    if previsit_open:
        lines.append(_("Förfrågan: %(count)s") % {"count": answers})
    if status in ("collecting", "scoring") and mine is not None:
        lines.append(_("Mina poäng: inlämnade") if submitted else _("Mina poäng: %(count)s") % {"count": Count(mine, counts.total, _("poängsatta")).text})
    if status == "scoring":
        lines.append(_("%(done)s av %(total)s har lämnat in") % {"done": counts.submitted, "total": counts.assignments})
    if status == "consensus":
        lines.append(_("Konsensus: %(count)s") % {"count": Count(counts.agreed, counts.total, _("överenskomna")).text})
        lines.append(_("Texter: %(done)s av %(total)s områden") % {"done": counts.texts, "total": counts.areas})
    return lines
