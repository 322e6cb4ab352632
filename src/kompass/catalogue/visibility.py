"""What the public may see of a version: the one place that applies ``public_questions``.

A version's owner says whether its question texts and guidance may be shown publicly
(``Framework.public_questions``). Where they may not, everything published (the public
pages, the open data API, the reports) shows each sub-question by its id only, with a
neutral label ("Delfråga 1.1") where a text is printed; short titles and guidance are
left out. Area titles, maxima and every score stay public. The owner's tools
(``kompass catalogue``, ``kompass show``) and the workspace see the whole version.

Public code paths take the definition through ``public_view`` (and evaluation documents
through ``public_document``), never a condition of their own.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import replace

from kompass.catalogue.definitions import Framework, Question
from kompass.catalogue.translations import LocalText, active_language, text_of
from kompass.i18n import _

_lock = threading.Lock()
# (id(definition), the label's wording in the current language, the language) -> (definition, its public view)
_views: dict[tuple[int, str, str], tuple[Framework, Framework]] = {}
_MAX_CACHED = 64


def question_label(question_id: str) -> str:
    """The neutral label a sub-question has where its text is not public."""
    return _("Delfråga %(id)s") % {"id": question_id}


def public_view(framework: Framework) -> Framework:
    """The version as the public may see it: itself where its texts are public, else a
    copy whose sub-questions carry only their id (text the neutral label, no short title,
    no guidance) and whose areas carry no guidance. Same ids, maxima and structure, so
    scores summarised against it are the same."""
    if framework.public_questions:
        return framework
    language = active_language(framework.language)
    key = (id(framework), question_label(""), language)
    cached = _views.get(key)
    if cached is not None and cached[0] is framework:
        return cached[1]
    # Translations of what is withheld are withheld too; the label is in the active
    # language already (gettext), which its translation entry says so ``local`` marks it right.
    areas = tuple(
        replace(
            area,
            guidance=None,
            translations=_without(area.translations, ("guidance",)),
            questions=tuple(
                replace(q, text=question_label(q.id), short="", guidance=None,
                        translations=_label_translations(q, language))
                for q in area.questions
            ),
        )
        for area in framework.areas
    )
    view = replace(framework, areas=areas, _questions={})
    with _lock:
        if len(_views) >= _MAX_CACHED:
            _views.clear()
        _views[key] = (framework, view)
    return view


def _without(translations: dict, fields: tuple[str, ...]) -> dict:
    kept = {lang: {k: v for k, v in texts.items() if k not in fields} for lang, texts in (translations or {}).items()}
    return {lang: texts for lang, texts in kept.items() if texts}


def _label_translations(question: Question, language: str) -> dict:
    kept = _without(question.translations, ("text", "short", "guidance"))
    if language != question.source_language:
        kept[language] = {**kept.get(language, {}), "text": question_label(question.id)}
    return kept


def question_heading(question: Question | dict) -> str:
    """How a page names a sub-question: "1.1 Its short title (or text)", or only the
    neutral label ("Delfråga 1.1") where the text is not public. Takes a question of a
    definition or of an evaluation document (``{"id", "text"}``)."""
    if isinstance(question, dict):  # a stored document: as it was written
        qid, short, text = question.get("id", ""), question.get("short") or "", question.get("text") or ""
    else:  # a definition: in the active language (a ``LocalText`` that knows which)
        qid = question.id
        short = text_of(question, "short") if question.short else ""
        text = text_of(question, "text")
    label = question_label(qid)
    if not short and text in ("", label):
        return LocalText(label, active_language())
    shown = short or text
    return LocalText(f"{qid} {shown}", getattr(shown, "language", None) or active_language())


def public_text(framework: Framework, question: Question | str) -> str | None:
    """The question's text as published data gives it: None where it is not public."""
    if not framework.public_questions:
        return None
    if isinstance(question, str):
        found = framework.question(question)
        return found.text if found is not None else None
    return question.text


def public_document(document: dict, framework: Framework, *, label: bool = False) -> dict:
    """An evaluation document (``evaluations.documents``: ``areas[].questions[].text``)
    as published: a copy whose question texts are None, or with ``label`` the neutral
    label, where the version's texts are not public; the document itself where they are."""
    if framework.public_questions:
        return document
    shown = copy.deepcopy(document)
    for area in shown.get("areas") or ():
        for question in area.get("questions") or ():
            if "text" in question:
                question["text"] = question_label(question.get("id", "")) if label else None
    return shown
