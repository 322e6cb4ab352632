"""A version as a file: read (YAML or XLSX, validated) and written (``export``), and as
the document ``catalogue show --json`` prints. Export then load gives the same version.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from kompass.catalogue.definitions import Area, CatalogueError, Framework, Guidance, Question
from kompass.i18n import _
from kompass.output_files import written_whole

SUFFIXES = (".yaml", ".yml", ".xlsx")


MAX_FILE_BYTES = 10 * 2**20


def read(path: Path) -> Framework:
    """The version in a YAML or XLSX file; every problem named with its line or cell."""
    from kompass.catalogue.parsing import parse_framework, read_yaml

    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise CatalogueError(_("%(file)s: okänt format (YAML eller XLSX: .yaml, .yml, .xlsx)") % {"file": path.name})
    if not path.is_file():
        raise CatalogueError(_("%(file)s: filen finns inte") % {"file": path})
    if path.stat().st_size > MAX_FILE_BYTES:  # a version is tens of kilobytes
        raise CatalogueError(_("%(file)s: filen är större än %(limit)s MB") % {"file": path.name, "limit": MAX_FILE_BYTES // 2**20})
    if suffix == ".xlsx":
        from kompass.catalogue.workbook import read_workbook
        from kompass.limits import zip_problem

        if problem := zip_problem(path.read_bytes()):
            raise CatalogueError(f"{path.name}: {problem}")

        data, found = read_workbook(path)
        return parse_framework(data, path.name, found)
    return parse_framework(read_yaml(path), path.name)


def _number(value):
    return int(value) if value == value.to_integral_value() else value


def guidance_document(guidance: Guidance | None) -> dict | None:
    if guidance is None:
        return None
    document = {key: getattr(guidance, key) for key in ("looked_for", "full", "partial", "none") if getattr(guidance, key)}
    if guidance.sources:
        document["sources"] = list(guidance.sources)
    return document


# What a confidential version keeps to itself, in every language as in its own.
_CONFIDENTIAL = ("text", "short", "guidance")


def translations_document(translations: dict, public: bool = True) -> dict:
    """An item's translations as written in the file (by language, then field)."""
    document = {}
    for language, texts in (translations or {}).items():
        kept = {key: value for key, value in texts.items() if public or key not in _CONFIDENTIAL}
        if kept:
            document[language] = kept
    return document


def _question(question: Question, public: bool = True) -> dict:
    document = {"id": question.id}
    if public:
        document["text"] = question.text
        if question.short:
            document["short"] = question.short
    if question.subarea:
        document["subarea"] = question.subarea
    document["max_points"] = _number(question.max_points)
    if public and question.guidance is not None:
        document["guidance"] = guidance_document(question.guidance)
    if translations := translations_document(question.translations, public):
        document["translations"] = translations
    return document


def _area(area: Area, public: bool = True) -> dict:
    document = {"number": area.number, "title": area.title, "max_points": _number(area.max_points)}
    if area.headings:
        document["headings"] = list(area.headings)
    if public and area.guidance is not None:
        document["guidance"] = guidance_document(area.guidance)
    if translations := translations_document(area.translations, public):
        document["translations"] = translations
    if area.questions:
        document["questions"] = [_question(q, public) for q in area.questions]
    return document


def document(framework: Framework, *, public: bool = True) -> dict:
    """The version in the package's own format; ``public=False`` leaves out what a
    confidential version keeps to itself (question texts and guidance)."""
    data = {
        "id": framework.id, "name": framework.name, "owner": framework.owner, "language": framework.language,
        "status": framework.status, "public_questions": framework.public_questions,
    }
    for key in ("in_use",):
        if getattr(framework, key):
            data[key] = getattr(framework, key)
    data["max_points"] = _number(framework.max_points)
    for key in ("description", "about"):
        if getattr(framework, key):
            data[key] = getattr(framework, key)
    if translations := translations_document(framework.translations, public):
        data["translations"] = translations
    data["areas"] = [_area(a, public) for a in framework.areas]
    if framework.crosswalks:
        data["crosswalks"] = [crosswalk_document(c) for c in framework.crosswalks]
    return data


def crosswalk_document(crosswalk) -> dict:
    areas: dict[str, list[int]] = {}
    for own, theirs in crosswalk.areas:
        areas.setdefault(str(own), []).append(theirs)
    questions: dict[str, list[str]] = {}
    for own, theirs in crosswalk.questions:
        questions.setdefault(own, []).append(theirs)
    data = {"to": crosswalk.to}
    if crosswalk.note:
        data["note"] = crosswalk.note
    if areas:
        data["areas"] = areas
    if questions:
        data["questions"] = questions
    return data


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dumps_yaml(framework: Framework) -> str:
    header = "# " + _("Kommunkompassen, version %(id)s, exporterad med kompass catalogue export.") % {"id": framework.id} + "\n"
    return header + yaml.dump(document(framework), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write(framework: Framework, path: Path, fmt: str) -> None:
    """Write the version as YAML or XLSX, replacing the file only once written whole."""
    if fmt not in ("yaml", "xlsx"):
        raise CatalogueError(_("okänt format %(format)r (yaml eller xlsx)") % {"format": fmt})
    with written_whole(path) as target:
        if fmt == "yaml":
            target.write_text(dumps_yaml(framework), encoding="utf-8")
        else:
            from kompass.catalogue.workbook import write_workbook

            write_workbook(framework, target)
