"""The loaded versions, built from the database rows and cached per process.

``definitions.frameworks`` and ``definitions.get`` answer from here once Django runs,
so a version loaded with ``kompass catalogue load`` is known everywhere. The cache is
keyed by a stamp of the catalogue (every version's code, revision and time of loading,
one small query); the stamp is read again at most once a second, and at the first use
in every request. A process that writes the catalogue drops its cache at once.

When the database cannot be read (plain Python, a test module's import, a database not
yet migrated) this answers None and the shipped files answer instead.
"""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from decimal import Decimal

from django.db import DatabaseError, connections, router, transaction

from kompass.catalogue import definitions
from kompass.catalogue.definitions import Area, Crosswalk, Framework, Guidance, Question

CHECK_SECONDS = 1.0

_lock = threading.Lock()
_state: dict = {"stamp": None, "frameworks": None, "checked": 0.0}


def clear() -> None:
    """Forget the cached versions: the next use reads them again."""
    with _lock:
        _state.update(stamp=None, frameworks=None, checked=0.0)


def recheck() -> None:
    """Read the stamp again at the next use (the start of every request)."""
    _state["checked"] = 0.0


def _stamp():
    from kompass.catalogue.models import Framework as Row

    return tuple(Row.objects.order_by("id").values_list("id", "code", "revision", "loaded_at"))


def frameworks() -> dict[str, Framework] | None:
    state = _state
    cached = state["frameworks"]
    now = time.monotonic()
    if cached is not None and now - state["checked"] < CHECK_SECONDS:
        return cached
    from kompass.catalogue.models import Framework as Row

    try:
        # Within a transaction a savepoint, so that a failed read does not break it.
        with transaction.atomic() if connections[router.db_for_read(Row)].in_atomic_block else nullcontext():
            stamp = _stamp()
            if cached is not None and stamp == state["stamp"]:
                state["checked"] = now
                return cached
            if not stamp:
                return None  # an empty catalogue (a flushed database before its sync)
            built = build()
    except DatabaseError:
        return None
    except RuntimeError as exc:  # pytest-django's guard: a test (or a module's import) without database access
        if "Database access not allowed" not in str(exc):
            raise
        return None
    with _lock:
        state.update(stamp=stamp, frameworks=built, checked=now)
    return built


def guidance_of(data: dict | None) -> Guidance | None:
    if not data:
        return None
    guidance = Guidance(
        looked_for=data.get("looked_for", ""), full=data.get("full", ""), partial=data.get("partial", ""),
        none=data.get("none", ""), sources=tuple(data.get("sources", ())),
    )
    return None if guidance.is_empty() else guidance


def guidance_data(guidance: Guidance | None) -> dict:
    if guidance is None:
        return {}
    return {"looked_for": guidance.looked_for, "full": guidance.full, "partial": guidance.partial,
            "none": guidance.none, "sources": list(guidance.sources)}


def _points(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def build(using: str | None = None) -> dict[str, Framework]:
    """Every version in the database as the pure dataclasses: five queries in all."""
    from kompass.catalogue.models import Area as AreaRow
    from kompass.catalogue.models import Crosswalk as CrosswalkRow
    from kompass.catalogue.models import CrosswalkPair
    from kompass.catalogue.models import Framework as Row
    from kompass.catalogue.models import Question as QuestionRow

    using = using or router.db_for_read(Row)
    questions: dict[int, list[Question]] = {}
    for q in QuestionRow.objects.using(using).select_related("area__framework").order_by("area_id", "position"):
        questions.setdefault(q.area_id, []).append(Question(
            id=q.code, text=q.text, short=q.short, max_points=_points(q.max_points), area_number=q.area.number,
            subarea=q.subarea, guidance=guidance_of(q.guidance), translations=q.translations or {},
            source_language=q.area.framework.language,
        ))
    areas: dict[int, list[Area]] = {}
    for a in AreaRow.objects.using(using).select_related("framework").order_by("framework_id", "number"):
        areas.setdefault(a.framework_id, []).append(Area(
            number=a.number, title=a.title, max_points=_points(a.max_points), headings=tuple(a.headings),
            questions=tuple(questions.get(a.pk, ())), guidance=guidance_of(a.guidance),
            translations=a.translations or {}, source_language=a.framework.language,
        ))
    pairs: dict[int, dict[str, list]] = {}
    for pair in CrosswalkPair.objects.using(using).order_by("crosswalk_id", "kind", "position"):
        kind = pairs.setdefault(pair.crosswalk_id, {"area": [], "question": []})[pair.kind]
        kind.append((int(pair.source), int(pair.target)) if pair.kind == "area" else (pair.source, pair.target))
    crosswalks: dict[int, list[Crosswalk]] = {}
    for c in CrosswalkRow.objects.using(using).select_related("target").order_by("framework_id", "id"):
        found = pairs.get(c.pk, {"area": [], "question": []})
        crosswalks.setdefault(c.framework_id, []).append(
            Crosswalk(to=c.target.code, note=c.note, areas=tuple(found["area"]), questions=tuple(found["question"]))
        )
    return {
        row.code: Framework(
            id=row.code, name=row.name, max_points=_points(row.max_points), in_use=row.in_use,
            description=row.description, about=row.about, areas=tuple(areas.get(row.pk, ())), owner=row.owner,
            language=row.language, status=row.status, public_questions=row.public_questions,
            crosswalks=tuple(crosswalks.get(row.pk, ())), translations=row.translations or {},
        )
        for row in Row.objects.using(using).order_by("code")
    }


def connect() -> None:
    """Answer ``definitions.frameworks`` from the database; recheck at every request."""
    from django.core.signals import request_started

    definitions.use_source(frameworks)
    request_started.connect(lambda **kwargs: recheck(), weak=False, dispatch_uid="kompass.catalogue.recheck")

