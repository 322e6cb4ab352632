"""The evaluators' Markdown as Word paragraphs: lists (numbered ones counting from their
own start), bold and italic runs, link targets in brackets; never Markdown's characters."""

from __future__ import annotations

from markdown_it import MarkdownIt

_markdown = MarkdownIt("commonmark", {"html": False})


def markdown_add(document, text: str, language: str | None = None) -> None:
    """Paragraphs, bullet and numbered lists, bold and italic runs; never Markdown's characters.
    ``language``: the text's, where it is not the document's (its runs get w:lang)."""
    from kompass.reports.docx_setup import run_language

    first = len(document.paragraphs)
    _markdown_add(document, text)
    if language:
        for paragraph in document.paragraphs[first:]:
            for run in paragraph.runs:
                run_language(run, language)


def _markdown_add(document, text: str) -> None:
    lists: list[list] = []  # per open list: [ordered, numbering id, paragraphs in the current item]
    heading = False
    for token in _markdown.parse(text or ""):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            ordered = kind == "ordered_list_open"
            start = int(token.attrGet("start") or 1)
            lists.append([ordered, _restart(document, _list_style(True, len(lists) + 1), start) if ordered else None, 0])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            lists[-1][2] = 0
        elif kind in ("heading_open", "heading_close"):
            heading = kind == "heading_open"
        elif kind in ("inline", "code_block", "fence"):
            paragraph = document.add_paragraph(style="Heading 4" if heading else _paragraph_style(lists))
            if lists and lists[-1][1] is not None and lists[-1][2] == 0:
                num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val, num_pr.get_or_add_numId().val = 0, lists[-1][1]
            if lists:
                lists[-1][2] += 1
            if kind == "inline":
                _add_inline(paragraph, token.children or [])
            else:
                paragraph.add_run(token.content.rstrip("\n"))


def _list_style(ordered: bool, depth: int) -> str:
    name = "List Number" if ordered else "List Bullet"
    return name if depth == 1 else f"{name} {min(depth, 3)}"


def _paragraph_style(lists) -> str:
    if not lists:
        return "Normal"
    if lists[-1][2]:  # a further paragraph of the same item: indented, without a new bullet
        return "List Continue" if len(lists) == 1 else f"List Continue {min(len(lists), 3)}"
    return _list_style(lists[-1][0], len(lists))


def _restart(document, style_name: str, start: int) -> int:
    """A new instance of the style's numbering, so each Markdown list counts from its own start."""
    numbering = document.part.numbering_part.element
    style_num = document.styles[style_name].element.pPr.numPr.numId.val
    num = numbering.add_num(numbering.num_having_numId(style_num).abstractNumId.val)
    num.add_lvlOverride(ilvl=0).add_startOverride(start)
    return num.numId


def _add_inline(paragraph, children) -> None:
    bold = italic = 0
    link: tuple[str, list[str]] | None = None
    for child in children:
        kind = child.type
        if kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind in ("text", "code_inline", "image", "softbreak", "html_inline"):
            text = " " if kind == "softbreak" else child.content
            run = paragraph.add_run(text)
            run.bold, run.italic = bold > 0 or None, italic > 0 or None
            if link:
                link[1].append(text)
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "link_open":
            link = (child.attrGet("href") or "", [])
        elif kind == "link_close" and link:
            href = link[0].removeprefix("mailto:")
            if href and href != "".join(link[1]) and not href.startswith("#"):
                paragraph.add_run(f" ({href})")
            link = None
