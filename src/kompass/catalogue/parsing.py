"""Validation of a version as read from a file: every problem, each with its place.

A reader (YAML here, XLSX in ``catalogue.workbook``) gives nested mappings that know
where they stand (``Located``: "rad 14", "Delfrågor!F7"); ``parse_framework`` checks
every rule, collects all problems and raises them together, or returns the version.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from kompass.catalogue.definitions import (
    QUESTION_ID, SOURCES, STATUSES, VERSION_ID, Area, CatalogueError, Crosswalk, Framework, Guidance, Question,
)
from kompass.catalogue.translations import FIELDS, GUIDANCE_FIELDS, LANGUAGES, LIST_FIELDS
from kompass.i18n import _

TOP_KEYS = {"id", "name", "owner", "language", "status", "public_questions", "in_use", "max_points",
            "description", "about", "areas", "crosswalks", "translations"}
AREA_KEYS = {"number", "title", "max_points", "headings", "guidance", "questions", "translations"}
QUESTION_KEYS = {"id", "text", "short", "subarea", "max_points", "guidance", "translations"}
GUIDANCE_KEYS = {"looked_for", "full", "partial", "none", "sources"}
GUIDANCE_TEXTS = ("looked_for", "full", "partial", "none")
CROSSWALK_KEYS = {"to", "note", "areas", "questions"}
LANGUAGE = re.compile(r"[a-z]{2,3}")


class Located(dict):
    """A mapping read from a file that knows where it and each of its keys stand."""

    def __init__(self, *args, at: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.at = at
        self.key_at: dict = {}

    def where(self, key=None) -> str:
        return self.key_at.get(key, self.at)


class _Loader(yaml.SafeLoader):
    pass


def _mapping_with_lines(loader, node):
    loader.flatten_mapping(node)
    mapping = Located(at=_("rad %(line)s") % {"line": node.start_mark.line + 1})
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except TypeError:  # an unhashable key: reported as an unknown key below
            continue
        mapping.key_at[key] = _("rad %(line)s") % {"line": key_node.start_mark.line + 1}
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_lines)


def read_yaml(path: Path):
    """The file's data, its mappings ``Located`` by line; unreadable files in one line."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except OSError as exc:
        raise CatalogueError(_("%(file)s: kan inte läsas (%(error)s)") % {"file": path.name, "error": exc.strerror})
    except UnicodeDecodeError:
        raise CatalogueError(_("%(file)s: är inte text i UTF-8") % {"file": path.name})
    except yaml.YAMLError as exc:
        raise CatalogueError(_("%(file)s: ogiltig YAML: %(error)s") % {"file": path.name, "error": " ".join(str(exc).split())})


class Problems:
    """Collects one line per problem: file and place, the entry, what is wrong."""

    def __init__(self, source: str, found: list[str] | None = None):
        self.source = source
        self.lines = list(found or [])

    def add(self, entry, key, label: str, message: str) -> None:
        at = entry.where(key) if isinstance(entry, Located) else ""
        place = f"{self.source} {at}" if at else self.source
        self.lines.append(f"{place}: {label}: {message}")

    def raise_any(self) -> None:
        if self.lines:
            raise CatalogueError(self.lines)


def _points(p: Problems, entry, key: str, label: str) -> Decimal | None:
    value = entry.get(key)
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        points = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        p.add(entry, key, label, _("%(key)s måste vara ett tal, inte %(value)r") % {"key": key, "value": value})
        return None
    if not points.is_finite() or points <= 0 or points != points.to_integral_value():
        p.add(entry, key, label, _("%(key)s måste vara ett positivt heltal, inte %(value)s") % {"key": key, "value": value})
        return None
    return points.quantize(Decimal(1))


def _text(p: Problems, entry, key: str, label: str, required: bool = True) -> str:
    value = entry.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        p.add(entry, key, label, _("%(key)s saknas eller är inte en text") % {"key": key})
        return ""
    return value.strip()


def _unknown_keys(p: Problems, entry, allowed: set[str], label: str) -> None:
    for key in entry:
        if key not in allowed:
            p.add(entry, key, label, _("okänd nyckel %(key)r (möjliga: %(allowed)s)") % {"key": key, "allowed": ", ".join(sorted(allowed))})


def _is_mapping(p: Problems, value, parent, key, label: str) -> bool:
    if isinstance(value, dict):
        return True
    p.add(parent, key, label, _("ska vara en mappning (nyckel: värde)"))
    return False


def _guidance(p: Problems, entry, label: str) -> Guidance | None:
    data = entry.get("guidance")
    if data is None:
        return None
    label = f"{label}, guidance"
    if not _is_mapping(p, data, entry, "guidance", label):
        return None
    _unknown_keys(p, data, GUIDANCE_KEYS, label)
    texts = {key: _text(p, data, key, label, required=False) for key in GUIDANCE_TEXTS}
    sources = data.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() in SOURCES for s in sources):
        p.add(data, "sources", label, _("sources ska vara en lista av %(known)s, inte %(value)r") % {"known": ", ".join(SOURCES), "value": sources})
        sources = []
    guidance = Guidance(**texts, sources=tuple(dict.fromkeys(s.strip() for s in sources)))
    return None if guidance.is_empty() else guidance


def _translations(p: Problems, entry, kind: str, label: str, source_language: str | None, headings: int = 0) -> dict:
    """An item's ``translations``: {language: {field: text}}, each language one of
    ``translations.LANGUAGES`` other than the file's own, each field one the item has
    (``translations.FIELDS``); a translated list of headings as long as the source's.
    Returns what is valid, with texts stripped; empty texts are left out."""
    data = entry.get("translations")
    if data is None:
        return {}
    label = f"{label}, translations"
    if not _is_mapping(p, data, entry, "translations", label):
        return {}
    allowed = FIELDS[kind]
    found: dict = {}
    for language, texts in data.items():
        code = str(language).strip()
        if code not in LANGUAGES:
            p.add(data, language, label, _("okänd språkkod %(code)r (möjliga: %(known)s)") % {"code": language, "known": ", ".join(LANGUAGES)})
            continue
        if code == source_language:
            p.add(data, language, label, _("%(code)s är versionens eget språk; skriv texten direkt i filen") % {"code": code})
            continue
        l_label = f"{label}.{code}"
        if not _is_mapping(p, texts, data, language, l_label):
            continue
        _unknown_keys(p, texts, set(allowed), l_label)
        result: dict = {}
        for key in allowed:
            if key not in texts or texts[key] is None:
                continue
            value = texts[key]
            if key in LIST_FIELDS:
                if not isinstance(value, list) or not all(isinstance(h, str) and h.strip() for h in value):
                    p.add(texts, key, l_label, _("%(key)s ska vara en lista med texter") % {"key": key})
                elif len(value) != headings:
                    p.add(texts, key, l_label, _("%(key)s har %(count)s rubriker men originalet har %(source)s; översätt alla i samma ordning")
                          % {"key": key, "count": len(value), "source": headings})
                else:
                    result[key] = [h.strip() for h in value]
            elif key == "guidance":
                g_label = f"{l_label}, guidance"
                if not _is_mapping(p, value, texts, key, g_label):
                    continue
                _unknown_keys(p, value, set(GUIDANCE_FIELDS), g_label)
                guidance = {g: _text(p, value, g, g_label, required=False) for g in GUIDANCE_FIELDS if g in value}
                guidance = {g: text for g, text in guidance.items() if text}
                if guidance:
                    result[key] = guidance
            else:
                text = _text(p, texts, key, l_label, required=False)
                if text:
                    result[key] = text
        if result:
            found[code] = result
    return found


def _question(p: Problems, data, area: int | None, a_label: str, index: int, seen: set[str],
              language: str = "sv") -> Question | None:
    label = f"{a_label}, questions[{index}]"
    if not isinstance(data, dict):
        p.add(data, None, label, _("ska vara en mappning (nyckel: värde)"))
        return None
    qid = str(data.get("id") if data.get("id") is not None else "").strip()
    match = QUESTION_ID.match(qid)
    if not match or area is None or int(match["area"]) != area:
        p.add(data, "id", label, _("id %(id)r ska ha formen %(area)s.N") % {"id": qid, "area": area or "N"})
    else:
        label = f"{a_label}, delfråga {qid}"
        if qid in seen:
            p.add(data, "id", label, _("id förekommer två gånger"))
        seen.add(qid)
    _unknown_keys(p, data, QUESTION_KEYS, label)
    return Question(
        id=qid, text=_text(p, data, "text", label), short=_text(p, data, "short", label, required=False),
        max_points=_points(p, data, "max_points", label), area_number=area or 0,
        subarea=_text(p, data, "subarea", label, required=False), guidance=_guidance(p, data, label),
        translations=_translations(p, data, "question", label, language), source_language=language,
    )


def _area(p: Problems, data, label: str, index: int, numbers: set[int], seen: set[str], language: str = "sv") -> Area | None:
    a_label = f"{label}, areas[{index}]"
    number = data.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        p.add(data, "number", a_label, _("number måste vara ett positivt heltal, inte %(value)r") % {"value": number})
        number = None
    else:
        a_label = f"{label}, område {number}"
        if number in numbers:
            p.add(data, "number", a_label, _("områdesnumret förekommer två gånger"))
        numbers.add(number)
    _unknown_keys(p, data, AREA_KEYS, a_label)
    area_max = _points(p, data, "max_points", a_label)
    headings = data.get("headings") or []
    if not isinstance(headings, list) or not all(isinstance(h, str) and h.strip() for h in headings):
        p.add(data, "headings", a_label, _("headings ska vara en lista med texter"))
        headings = []
    questions_data = data.get("questions") or []
    if not isinstance(questions_data, list):
        p.add(data, "questions", a_label, _("questions ska vara en lista"))
        questions_data = []
    questions = [_question(p, q, number, a_label, i, seen, language) for i, q in enumerate(questions_data, start=1)]
    questions = [q for q in questions if q is not None]
    maxima = [q.max_points for q in questions]
    if questions and area_max is not None and None not in maxima and sum(maxima) != area_max:
        p.add(data, "max_points", a_label, _("delfrågornas max summerar till %(sum)s men områdets max är %(max)s")
              % {"sum": sum(maxima), "max": area_max})
    return Area(
        number=number or 0, title=_text(p, data, "title", a_label), max_points=area_max,
        headings=tuple(h.strip() for h in headings), questions=tuple(questions), guidance=_guidance(p, data, a_label),
        translations=_translations(p, data, "area", a_label, language, len(headings)), source_language=language,
    )


def _targets(value) -> list:
    return value if isinstance(value, list) else [value]


def _crosswalk(p: Problems, data, label: str, framework_areas: set[int], questions: set[str], version: str) -> Crosswalk | None:
    target = str(data.get("to") if data.get("to") is not None else "").strip()
    c_label = f"{label}, crosswalks → {target}"
    _unknown_keys(p, data, CROSSWALK_KEYS, c_label)
    if not VERSION_ID.fullmatch(target) or target == version:
        p.add(data, "to", c_label, _("to ska vara en annan versions id, inte %(value)r") % {"value": data.get("to")})
    pairs: dict[str, list] = {"areas": [], "questions": []}
    for kind, own, valid in (("areas", framework_areas, None), ("questions", questions, QUESTION_ID)):
        mapping = data.get(kind) or {}
        if not _is_mapping(p, mapping, data, kind, c_label):
            continue
        for key, value in mapping.items():
            source = str(key).strip()
            name = _("område") if kind == "areas" else _("delfråga")
            if (int(source) if kind == "areas" and source.isdigit() else source) not in own:
                p.add(mapping, key, c_label, _("%(kind)s %(key)s finns inte i version %(version)s") % {"kind": name, "key": source, "version": version})
                continue
            for item in _targets(value):
                other = str(item).strip()
                if (kind == "areas" and not other.isdigit()) or (valid is not None and not valid.match(other)):
                    p.add(mapping, key, c_label, _("%(kind)s %(key)s: %(value)r är inget %(kind)snummer") % {"kind": name, "key": source, "value": item})
                    continue
                pair = (int(source), int(other)) if kind == "areas" else (source, other)
                if pair not in pairs[kind]:
                    pairs[kind].append(pair)
    if not pairs["areas"] and not pairs["questions"]:
        p.add(data, None, c_label, _("anger varken areas eller questions"))
    return Crosswalk(to=target, note=_text(p, data, "note", c_label, required=False), areas=tuple(pairs["areas"]),
                     questions=tuple(pairs["questions"]), at=data.where() if isinstance(data, Located) else "")


def parse_framework(data, source: str, found: list[str] | None = None) -> Framework:
    """Build a version from read data, checking every rule; raises ``CatalogueError``
    with every problem (``found``: problems the reader met already)."""
    p = Problems(source, found)
    if not isinstance(data, dict):
        p.lines.append(_("%(source)s: ska vara en mappning (nyckel: värde)") % {"source": source})
        p.raise_any()
    version = str(data.get("id") if data.get("id") is not None else "").strip()
    if not VERSION_ID.fullmatch(version):
        p.add(data, "id", _("version"), _("id ska vara 1–20 bokstäver, siffror eller bindestreck (till exempel 2024 eller 2020-NO), inte %(value)r")
              % {"value": data.get("id")})
    label = f"version {version}"
    _unknown_keys(p, data, TOP_KEYS, label)
    language = data.get("language", "sv")
    if not isinstance(language, str) or not LANGUAGE.fullmatch(language.strip()):
        p.add(data, "language", label, _("language ska vara en språkkod som sv, nb eller da, inte %(value)r") % {"value": language})
        language = "sv"
    language = language.strip()
    status = data.get("status", "draft")
    if status not in STATUSES:
        p.add(data, "status", label, _("okänd status %(value)r (möjliga: %(known)s)") % {"value": status, "known": ", ".join(STATUSES)})
    public = data.get("public_questions", False)
    if not isinstance(public, bool):
        p.add(data, "public_questions", label, _("public_questions ska vara true eller false, inte %(value)r") % {"value": public})

    areas_data = data.get("areas")
    if not isinstance(areas_data, list) or not areas_data:
        p.add(data, "areas", label, _("areas saknas"))
        areas_data = []
    areas, numbers, seen = [], set(), set()
    for index, area_data in enumerate(areas_data, start=1):
        if _is_mapping(p, area_data, data, "areas", f"{label}, areas[{index}]"):
            areas.append(_area(p, area_data, label, index, numbers, seen, language))
    if numbers and sorted(numbers) != list(range(1, len(areas) + 1)):
        p.add(data, "areas", label, _("områdena ska numreras 1 till %(count)s") % {"count": len(areas)})
    total = _points(p, data, "max_points", label)
    maxima = [a.max_points for a in areas]
    if areas and total is not None and None not in maxima and sum(maxima) != total:
        p.add(data, "max_points", label, _("områdenas max summerar till %(sum)s men versionens max är %(max)s") % {"sum": sum(maxima), "max": total})

    crosswalks, targets = [], set()
    crosswalks_data = data.get("crosswalks") or []
    if not isinstance(crosswalks_data, list):
        p.add(data, "crosswalks", label, _("crosswalks ska vara en lista"))
        crosswalks_data = []
    for index, entry in enumerate(crosswalks_data, start=1):
        if _is_mapping(p, entry, data, "crosswalks", f"{label}, crosswalks[{index}]"):
            crosswalk = _crosswalk(p, entry, label, numbers, seen, version)
            if crosswalk.to in targets:
                p.add(entry, "to", label, _("två korsreferenser till version %(to)s") % {"to": crosswalk.to})
            targets.add(crosswalk.to)
            crosswalks.append(crosswalk)

    framework = Framework(
        id=version, name=_text(p, data, "name", label), max_points=total, owner=_text(p, data, "owner", label),
        language=language, status=status, public_questions=public is True,
        in_use=_text(p, data, "in_use", label, required=False), description=_text(p, data, "description", label, required=False),
        about=_text(p, data, "about", label, required=False), areas=tuple(sorted(areas, key=lambda a: a.number)),
        crosswalks=tuple(crosswalks), translations=_translations(p, data, "version", label, language),
    )
    p.raise_any()
    return framework


def crosswalk_problems(framework: Framework, known: Mapping[str, Framework], source: str) -> list[str]:
    """What a version's crosswalks refer to in the other versions, which must be known."""
    problems = []
    for crosswalk in framework.crosswalks:
        place = f"{source} {crosswalk.at}" if crosswalk.at else source
        label = f"version {framework.id}, crosswalks → {crosswalk.to}"
        other = known.get(crosswalk.to) if crosswalk.to != framework.id else None
        if crosswalk.to == framework.id:
            problems.append(f"{place}: {label}: " + _("en korsreferens ska gå till en annan version"))
            continue
        if other is None:
            problems.append(f"{place}: {label}: " + _("version %(to)s finns inte i katalogen; läs in den först") % {"to": crosswalk.to})
            continue
        for own, theirs in crosswalk.areas:
            if other.area(theirs) is None:
                problems.append(f"{place}: {label}: " + _("område %(own)s → %(theirs)s: version %(to)s har inget område %(theirs)s")
                                % {"own": own, "theirs": theirs, "to": crosswalk.to})
        for own, theirs in crosswalk.questions:
            if other.question(theirs) is None:
                problems.append(f"{place}: {label}: " + _("delfråga %(own)s → %(theirs)s: version %(to)s har ingen delfråga %(theirs)s")
                                % {"own": own, "theirs": theirs, "to": crosswalk.to})
    return problems
