"""The Word document's set-up: page, fonts, language, the styles the contents need and
the footer with its page number. Built-in styles only, so a user restyles the whole
document from Word's style gallery."""

from __future__ import annotations

from datetime import datetime, timezone

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from kompass.catalogue.translations import active_language
from kompass.reports.context import ReportContext

FONT = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito where it is installed
# Word's language tags (spelling, hyphenation, the reader's voice) for the report's languages.
LANGUAGE_TAGS = {"sv": "sv-SE", "nb": "nb-NO", "da": "da-DK", "en": "en-GB"}
LANGUAGE = LANGUAGE_TAGS["sv"]


def language_tag(language: str) -> str:
    """"sv" → "sv-SE"; a code without a known region stays as it is."""
    return LANGUAGE_TAGS.get(language, language)


def run_language(run, language: str) -> None:
    """Mark one run as written in ``language`` (w:lang), where it differs from the document's."""
    rpr = run._r.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), language_tag(language))


def document_set_up(document, context: ReportContext) -> None:
    properties = document.core_properties
    properties.title = f"{context.title} – {context.subtitle}"
    properties.author = properties.last_modified_by = context.author
    properties.subject = "Kommunkompassen"
    # The document's language: the report's, else (another document set up alike) the active one.
    tag = language_tag(getattr(context, "language", None) or active_language())
    properties.language = tag
    properties.created = properties.modified = datetime.now(timezone.utc).replace(microsecond=0)
    properties.revision = 1
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _font(defaults)  # the template's body theme font is Cambria
    defaults.find(qn("w:lang")).set(qn("w:val"), tag)
    document.styles["Normal"].font.size = Pt(11)
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = document.styles[name]
        _font(style.element.get_or_add_rPr())
        if name.startswith("Heading"):
            style.paragraph_format.keep_with_next = True
    _contents_styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = Cm(2.5)
    section.different_first_page_header_footer = True  # no footer on the title page
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{context.subtitle}   ")
    _page_number(footer)


def _contents_styles(document) -> None:
    """Word's built-in TOC 1, TOC 2 and Hyperlink, which the template lacks. LibreOffice
    exports a link to the PDF only when its run has a character style such as Hyperlink."""
    link = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.base_style = document.styles["Default Paragraph Font"]
    link.font.color.rgb, link.font.underline = RGBColor(0x05, 0x63, 0xC1), True
    for level in (1, 2):
        toc = document.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH, builtin=True)  # Word's own name
        toc.style_id = f"TOC{level}"
        toc.base_style = toc.next_paragraph_style = document.styles["Normal"]
        toc.paragraph_format.left_indent = Cm(0.75 * level)
        toc.paragraph_format.first_line_indent = Cm(-0.75 if level == 1 else 0)  # the number hangs
        toc.paragraph_format.space_after = Pt(4 if level == 1 else 2)


def _font(rpr) -> None:
    """One explicit font for every script, instead of the template's theme fonts."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.attrib.clear()
    for kind in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{kind}"), FONT)


def _page_number(paragraph) -> None:
    """A PAGE field, which Word and LibreOffice compute themselves."""
    for tag, value in (("w:fldChar", "begin"), ("w:instrText", " PAGE "), ("w:fldChar", "separate"), ("w:t", "1"), ("w:fldChar", "end")):
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), value)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = value
        paragraph.add_run()._r.append(element)
