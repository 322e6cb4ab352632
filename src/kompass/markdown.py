"""Evaluators' texts (Markdown) as HTML, the one renderer of the pages and reports.

CommonMark with raw HTML switched off, so a text can never inject markup, and markdown-it's
own link check, which drops ``javascript:`` and other unsafe addresses. An image is shown
as a link to its address: a page or a report never loads anything a text points at (the
PDF renderer would request it on every render, a reader's browser on every view)."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

_markdown = MarkdownIt("commonmark", {"html": False})


def _image_as_link(self, tokens, index, options, env) -> str:
    token = tokens[index]
    address = token.attrGet("src") or ""
    label = self.renderInline(token.children or [], options, env) or escapeHtml(address)
    return f'<a href="{escapeHtml(address)}" rel="nofollow noopener">{label}</a>'


_markdown.add_render_rule("image", _image_as_link)


def markdown_html(text: str | None) -> str:
    return _markdown.render(text or "")
