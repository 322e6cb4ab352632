"""A version as an XLSX workbook, for owners who keep their question set in a spreadsheet.

Sheets: "Version" (key and value per row), "Områden" (one row per area), "Delfrågor"
(one row per sub-question: area, sub-area, id, text, short, max, guidance) and
"Korsreferenser" (one row per pair) and "Översättningar" (one row per translated text:
language, item — "version", an area's number or a sub-question's id —, field such as
"title" or "guidance.looked_for", and the text; headings one per line). Columns are found by their heading, in Swedish or
as the YAML key. Every cell is read as the YAML would be, so the same rules name the
cell at fault ("Delfrågor!F7"). Formulas are refused when read; text is written as text
(a value that starts with "=" stays a string, never a formula).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from kompass.catalogue.definitions import CatalogueError, Framework, Guidance
from kompass.catalogue.parsing import Located
from kompass.i18n import _
from kompass.spreadsheets import xlsx_text_cells

VERSION_SHEET, AREA_SHEET, QUESTION_SHEET, CROSSWALK_SHEET = "Version", "Områden", "Delfrågor", "Korsreferenser"
TRANSLATION_SHEET = "Översättningar"
TRANSLATION_COLUMNS = [("language", "Språk"), ("item", "Del"), ("field", "Fält"), ("text", "Text")]
VERSION_KEYS = ("id", "name", "owner", "language", "status", "public_questions", "in_use", "max_points", "description", "about")
GUIDANCE_COLUMNS = [("looked_for", "Vad som efterfrågas"), ("full", "Full poäng"), ("partial", "Delvis poäng"),
                    ("none", "Inga poäng"), ("sources", "Källor")]
AREA_COLUMNS = [("number", "Område"), ("title", "Namn"), ("max_points", "Max"), ("headings", "Rubriker"), *GUIDANCE_COLUMNS]
QUESTION_COLUMNS = [("area", "Område"), ("subarea", "Delområde"), ("id", "Delfråga"), ("text", "Text"), ("short", "Kort rubrik"),
                    ("max_points", "Max"), *GUIDANCE_COLUMNS]
CROSSWALK_COLUMNS = [("to", "Till version"), ("kind", "Slag"), ("source", "Från"), ("target", "Till"), ("note", "Anmärkning")]
KINDS = {"område": "areas", "area": "areas", "areas": "areas", "delfråga": "questions", "question": "questions", "questions": "questions"}
TEXT_KEYS = {"title", "subarea", "text", "short", "looked_for", "full", "partial", "none", "name", "owner", "language",
             "status", "in_use", "description", "about", "note", "to", "id", "source", "target", "item", "field", "text"}
BOOLEANS = {"true": True, "ja": True, "sant": True, "false": False, "nej": False, "falskt": False}


def _value(key: str, cell):
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if key in TEXT_KEYS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    if key in ("number", "area") and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _rows(sheet, columns: list[tuple[str, str]], source: str, problems: list[str]):
    """Each filled row as a Located mapping by key, with every cell's place."""
    names = {label.lower(): key for key, label in columns} | {key: key for key, _label in columns}
    header = [names.get(str(c.value or "").strip().lower()) for c in sheet[1]]
    for number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        entry = Located(at=f"{sheet.title}!A{number}")
        for key, cell in zip(header, row):
            if key is None or cell.value is None:
                continue
            place = f"{sheet.title}!{get_column_letter(cell.column)}{number}"
            if cell.data_type == "f":
                problems.append(f"{source} {place}: " + _("en formel är inte tillåten; skriv värdet"))
                continue
            entry[key] = _value(key, cell)
            entry.key_at[key] = place
        if any(v is not None for v in entry.values()):
            yield entry


def _guidance(entry: Located) -> None:
    """The guidance columns as one ``guidance`` mapping, as in YAML."""
    guidance = Located(at=entry.at)
    for key, _label in GUIDANCE_COLUMNS:
        if entry.get(key) is not None:
            value = entry.pop(key)
            guidance[key] = [s.strip() for s in value.replace(";", ",").split(",") if s.strip()] if key == "sources" and isinstance(value, str) else value
            guidance.key_at[key] = entry.key_at[key]
    if guidance:
        entry["guidance"], entry.key_at["guidance"] = guidance, entry.at


def read_workbook(path: Path) -> tuple[dict, list[str]]:
    """The workbook as the data a YAML file would give, and the problems met reading it."""
    source, problems = path.name, []
    try:
        workbook = load_workbook(path, read_only=False, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise CatalogueError(_("%(file)s: kan inte läsas som XLSX (%(error)s)") % {"file": source, "error": type(exc).__name__})
    missing = [name for name in (VERSION_SHEET, AREA_SHEET) if name not in workbook.sheetnames]
    if missing:
        raise CatalogueError(_("%(file)s: bladet %(sheet)s saknas") % {"file": source, "sheet": ", ".join(missing)})
    data = Located(at=f"{VERSION_SHEET}!A1")
    for number, (key_cell, value_cell, *_rest) in enumerate(workbook[VERSION_SHEET].iter_rows(min_row=1, max_col=2), start=1):
        key = str(key_cell.value or "").strip()
        if not key:
            continue
        place = f"{VERSION_SHEET}!B{number}"
        if value_cell.data_type == "f":
            problems.append(f"{source} {place}: " + _("en formel är inte tillåten; skriv värdet"))
            continue
        value = _value(key, value_cell)
        if key == "public_questions" and isinstance(value, str):
            value = BOOLEANS.get(value.lower(), value)
        data[key], data.key_at[key] = value, place
    areas = []
    for entry in _rows(workbook[AREA_SHEET], AREA_COLUMNS, source, problems):
        if isinstance(entry.get("headings"), str):
            entry["headings"] = [h.strip() for h in entry["headings"].split("\n") if h.strip()]
        _guidance(entry)
        areas.append(entry)
    data["areas"], data.key_at["areas"] = areas, f"{AREA_SHEET}!A1"
    by_number = {a.get("number"): a for a in areas}
    if QUESTION_SHEET in workbook.sheetnames:
        for entry in _rows(workbook[QUESTION_SHEET], QUESTION_COLUMNS, source, problems):
            area = by_number.get(entry.pop("area", None))
            if area is None:
                problems.append(f"{source} {entry.where('area')}: " + _("delfråga %(id)s: området finns inte i bladet %(sheet)s")
                                % {"id": entry.get("id") or "?", "sheet": AREA_SHEET})
                continue
            _guidance(entry)
            area.setdefault("questions", []).append(entry)
    if CROSSWALK_SHEET in workbook.sheetnames:
        data["crosswalks"] = _crosswalks(workbook[CROSSWALK_SHEET], source, problems)
    if TRANSLATION_SHEET in workbook.sheetnames:
        questions = {str(q.get("id")): q for a in areas for q in a.get("questions", [])}
        _translations(workbook[TRANSLATION_SHEET], data, by_number, questions, source, problems)
    return data, problems


def _translations(sheet, data: Located, areas: dict, questions: dict, source: str, problems: list[str]) -> None:
    """Each row into its item's ``translations`` mapping, as the YAML would have it; the
    validation (language, field, number of headings) is the YAML's."""
    for entry in _rows(sheet, TRANSLATION_COLUMNS, source, problems):
        item = str(entry.get("item") or "").strip()
        if item.lower() == "version":
            target = data
        elif item.isdigit() and int(item) in areas:
            target = areas[int(item)]
        elif item in questions:
            target = questions[item]
        else:
            problems.append(f"{source} {entry.where('item')}: " + _("%(item)r är varken version, ett områdesnummer eller en delfrågas id")
                            % {"item": entry.get("item")})
            continue
        translations = target.get("translations")
        if translations is None:
            translations = target["translations"] = Located(at=entry.at)
            target.key_at["translations"] = entry.at
        language = str(entry.get("language") or "").strip()
        texts = translations.get(language)
        if texts is None:
            texts = translations[language] = Located(at=entry.at)
            translations.key_at[language] = entry.where("language")
        field = str(entry.get("field") or "").strip()
        text = entry.get("text")
        if field.startswith("guidance."):
            guidance = texts.get("guidance")
            if guidance is None:
                guidance = texts["guidance"] = Located(at=entry.at)
                texts.key_at["guidance"] = entry.where("field")
            key = field.split(".", 1)[1]
            guidance[key], guidance.key_at[key] = text, entry.where("text")
            continue
        if field == "headings" and isinstance(text, str):
            text = [h.strip() for h in text.split("\n") if h.strip()]
        texts[field], texts.key_at[field] = text, entry.where("text")


def _crosswalks(sheet, source: str, problems: list[str]) -> list:
    crosswalks: dict[str, Located] = {}
    for entry in _rows(sheet, CROSSWALK_COLUMNS, source, problems):
        target = entry.get("to")
        crosswalk = crosswalks.setdefault(str(target), Located(at=entry.at))
        crosswalk.setdefault("to", target)
        crosswalk.key_at.setdefault("to", entry.where("to"))
        if entry.get("note"):
            crosswalk["note"], crosswalk.key_at["note"] = entry["note"], entry.where("note")
        kind = KINDS.get(str(entry.get("kind") or "").lower())
        if kind is None:
            problems.append(f"{source} {entry.where('kind')}: " + _("slaget ska vara område eller delfråga, inte %(value)r") % {"value": entry.get("kind")})
            continue
        pairs = crosswalk.setdefault(kind, Located(at=entry.at))
        key = entry.get("source")
        pairs.setdefault(key, []).append(entry.get("target"))
        pairs.key_at.setdefault(key, entry.where("source"))
    return list(crosswalks.values())


def _guidance_cells(guidance: Guidance | None) -> list:
    if guidance is None:
        return [None] * len(GUIDANCE_COLUMNS)
    return [guidance.looked_for or None, guidance.full or None, guidance.partial or None, guidance.none or None,
            ", ".join(guidance.sources) or None]


def _sheet(workbook, title: str, columns, rows) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([label for _key, label in columns])
    for row in rows:
        sheet.append(row)
    xlsx_text_cells(sheet)


def write_workbook(framework: Framework, path: Path) -> None:
    workbook = Workbook()
    version = workbook.active
    version.title = VERSION_SHEET
    for key in VERSION_KEYS:
        value = getattr(framework, "max_points" if key == "max_points" else key)
        version.append([key, int(value) if key == "max_points" else (value if value != "" else None)])
    xlsx_text_cells(version)
    _sheet(workbook, AREA_SHEET, AREA_COLUMNS, (
        [a.number, a.title, int(a.max_points), "\n".join(a.headings) or None, *_guidance_cells(a.guidance)] for a in framework.areas
    ))
    _sheet(workbook, QUESTION_SHEET, QUESTION_COLUMNS, (
        [q.area_number, q.subarea or None, q.id, q.text, q.short or None, int(q.max_points), *_guidance_cells(q.guidance)]
        for q in framework.questions
    ))
    _sheet(workbook, CROSSWALK_SHEET, CROSSWALK_COLUMNS, (
        [c.to, kind, str(own), str(theirs), c.note or None if index == 0 else None]
        for c in framework.crosswalks
        for index, (kind, own, theirs) in enumerate(
            [("område", a, b) for a, b in c.areas] + [("delfråga", a, b) for a, b in c.questions]
        )
    ))
    _sheet(workbook, TRANSLATION_SHEET, TRANSLATION_COLUMNS, _translation_rows(framework))
    workbook.save(path)


def _translation_rows(framework: Framework):
    items = [("version", framework.translations)]
    items += [(str(a.number), a.translations) for a in framework.areas]
    items += [(q.id, q.translations) for q in framework.questions]
    for item, translations in items:
        for language, texts in (translations or {}).items():
            for field, value in texts.items():
                if field == "guidance":
                    for key, text in value.items():
                        yield [language, item, f"guidance.{key}", text]
                elif isinstance(value, list):
                    yield [language, item, field, "\n".join(value)]
                else:
                    yield [language, item, field, value]
