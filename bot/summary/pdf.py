"""A summary as an A4 PDF that prints well: header, the sections, the trend chart, page numbers.

Text is set in DejaVu Sans, which matplotlib ships in its package data, so å ä ö, arrows and
dashes print without a system font; characters the font lacks (emoji) are left out rather than
printed as empty boxes. fpdf2 and matplotlib are imported on first use.
"""

from __future__ import annotations

import copy
import functools
import unicodedata
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from bot.summary.chart import render_chart
from bot.summary.labels import CHART_ALT, CHART_NONE, LEGEND, PAGE, label
from bot.summary.layout import ATTENTION_MARK, item_marker, visible_sections
from bot.summary.model import Section, SectionCode, Summary, SummaryItem

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

FONT = "DejaVu"
_FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
}
_MARGIN = 18.0  # mm, left and right
_TOP = 16.0
_BOTTOM = 18.0  # room for the footer
_MARKER_W = 9.0  # the column for bullets and arrows
_INK = (0, 0, 0)
_SOFT_INK = (60, 60, 60)  # still dark enough for a grey laser print
_RULE = (150, 150, 150)
_BAND = (232, 232, 232)  # behind items worth attention


@dataclass(frozen=True)
class _Sizes:
    title: float = 17
    header: float = 10
    section: float = 12.5
    item: float = 10
    detail: float = 9
    small: float = 8


_SIZES = _Sizes()


def font_dir() -> Path:
    """Where matplotlib keeps its DejaVu fonts."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@functools.cache
def _printable() -> frozenset[int]:
    """Code points every style of the font can draw."""
    from fontTools.ttLib import TTFont

    common: set[int] | None = None
    for name in _FONT_FILES.values():
        with TTFont(font_dir() / name, lazy=True) as font:
            points = set(font.getBestCmap())
        common = points if common is None else common & points
    return frozenset(common or ())


def printable(text: str) -> str:
    """The text with what the font cannot draw left out (emoji and their joiners)."""
    glyphs = _printable()
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if unicodedata.category(char) == "Cf" or "\ufe00" <= char <= "\ufe0f":
            continue  # joiners and emoji selectors: nothing to print without the emoji
        if char in "\n\t" or ord(char) in glyphs:
            out.append("    " if char == "\t" else char)
        elif unicodedata.category(char) == "Zs":
            out.append(" ")
    # Removing an emoji between two spaces must not leave a double space behind.
    cleaned = "".join(out)
    while "  " in cleaned:
        cleaned = cleaned.replace("  ", " ")
    return "\n".join(line.strip() for line in cleaned.split("\n")).strip()


def _document(summary: Summary) -> FPDF:
    from fpdf import FPDF

    page_words = summary.labels
    footer_title = printable(summary.header.title)

    class Document(FPDF):
        def footer(self) -> None:
            """Title on the left, "Page n of m" on the right, under a thin rule."""
            self.set_y(-_BOTTOM + 6)
            self.set_draw_color(*_RULE)
            self.set_line_width(0.2)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.set_font(FONT, "", _SIZES.small)
            self.set_text_color(*_SOFT_INK)
            width = self.w - self.l_margin - self.r_margin
            page = printable(label(page_words, PAGE, page=self.page_no(), pages="{nb}"))
            page_w = self.get_string_width(page.replace("{nb}", "999")) + 2
            self.set_x(self.l_margin)
            self.cell(width - page_w, 8, _fit(self, footer_title, width - page_w - 4))
            self.cell(page_w, 8, page, align="R")

    pdf = Document(orientation="P", unit="mm", format="A4")
    _add_fonts(pdf)
    pdf.set_margins(_MARGIN, _TOP, _MARGIN)
    pdf.set_auto_page_break(True, margin=_BOTTOM)
    pdf.set_title(footer_title)
    pdf.set_lang(summary.language)
    pdf.set_creator("Hemmaplan")
    return pdf


@functools.cache
def _font_templates() -> dict[str, TTFFont]:
    """The fonts parsed once per process (reading DejaVu's glyph table takes a tenth of a
    second per style, more than laying out a whole summary)."""
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    scratch = FPDF()
    templates: dict[str, TTFFont] = {}
    for style, name in _FONT_FILES.items():
        scratch.add_font(FONT, style, font_dir() / name)
        font = scratch.fonts[FONT.lower() + style]
        assert isinstance(font, TTFFont)
        templates[style] = font
    return templates


def _add_fonts(pdf: FPDF) -> None:
    """Registers the fonts with a document, reusing the parsed ones.

    A font keeps per-document state (its number, the glyphs used, the fontTools object that is
    cut down to those glyphs when the PDF is written), so each document gets a copy with fresh
    state of its own and shares only what never changes (metrics, character map). Should fpdf2
    change its font objects, the fonts are simply added the ordinary way.
    """
    from fontTools.ttLib import TTFont
    from fpdf.fonts import SubsetMap

    try:
        for style, template in _font_templates().items():
            font = copy.copy(template)
            font.i = len(pdf.fonts) + 1
            font.ttfont = TTFont(template.ttffile, recalcTimestamp=False, lazy=True)
            font.subset = SubsetMap(font)
            font.biggest_size_pt = 0
            font.missing_glyphs = []
            font._hbfont = None
            pdf.fonts[FONT.lower() + style] = font
    except (AttributeError, TypeError):  # pragma: no cover - another fpdf2 version
        pdf.fonts.clear()
        for style, name in _FONT_FILES.items():
            pdf.add_font(FONT, style, font_dir() / name)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """The text shortened with an ellipsis so it fits one line of `width`."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _line_height(size: float) -> float:
    return size * 0.3528 * 1.45  # points to mm, with comfortable leading


def _para(
    pdf: FPDF,
    text: str,
    size: float,
    style: str = "",
    ink: tuple[int, int, int] = _INK,
    width: float = 0,
) -> None:
    """A wrapped paragraph at the current position; the cursor goes to the next line."""
    pdf.set_font(FONT, style, size)
    pdf.set_text_color(*ink)
    pdf.multi_cell(
        width, _line_height(size), printable(text), align="L", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_text_color(*_INK)


def _header(pdf: FPDF, summary: Summary) -> None:
    header = summary.header
    _para(pdf, header.title, _SIZES.title, "B")
    pdf.ln(1.5)
    for line in header.lines:
        if line:
            _para(pdf, line, _SIZES.header)
    if summary.status_text:
        pdf.ln(1)
        _para(pdf, summary.status_text, _SIZES.header, "I", _SOFT_INK)
    pdf.ln(3)
    pdf.set_draw_color(*_INK)
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)


def _section_title(pdf: FPDF, title: str, keep_with: float) -> None:
    """A section heading, moved to the next page with what follows if it would stand alone."""
    height = _line_height(_SIZES.section) + 3 + keep_with
    if pdf.will_page_break(height + 5):
        pdf.add_page()
    else:
        pdf.ln(5)
    _para(pdf, title, _SIZES.section, "B")
    pdf.set_draw_color(*_RULE)
    pdf.set_line_width(0.2)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.ln(2.5)


def _item(pdf: FPDF, item: SummaryItem) -> None:
    """A bullet or arrow in its column, the text wrapped beside it, the detail below.

    An item worth attention gets a warning sign and a light grey band rather than bold type:
    a long bold paragraph is hard to read, and the band still shows in a grey print.
    """
    height = _line_height(_SIZES.item)
    if pdf.will_page_break(height):
        pdf.add_page()
    text_w = pdf.w - pdf.l_margin - pdf.r_margin - _MARKER_W
    pdf.set_text_color(*_INK)
    marker = item_marker(item)
    top = pdf.get_y()
    pdf.set_x(pdf.l_margin)
    if item.attention:
        pdf.set_font(FONT, "B", _SIZES.item)
        pdf.cell(_MARKER_W, height, f"{ATTENTION_MARK} {marker}")
    else:
        pdf.set_font(FONT, "", _SIZES.item)
        pdf.cell(_MARKER_W, height, marker)
    pdf.set_xy(pdf.l_margin + _MARKER_W, top)
    pdf.set_font(FONT, "", _SIZES.item)
    pdf.set_fill_color(*_BAND)
    text = printable(item.text) or "–"
    pdf.multi_cell(
        text_w,
        height,
        text,
        align="L",
        fill=item.attention,
        padding=(0, 1) if item.attention else 0,
        new_x="LMARGIN",
        new_y="NEXT",
    )
    detail = printable(item.detail or "")
    if detail and detail != text:
        pdf.set_x(pdf.l_margin + _MARKER_W)
        _para(pdf, detail, _SIZES.detail, ink=_SOFT_INK, width=text_w)
    pdf.ln(1.2)


def _section(pdf: FPDF, section: Section) -> None:
    first = _line_height(_SIZES.item) * (2 if section.items else 1)
    _section_title(pdf, section.title, first)
    for item in section.items:
        _item(pdf, item)
    if not section.items and section.empty_text:
        _para(pdf, section.empty_text, _SIZES.item, "I", _SOFT_INK)


def pdf_chart(summary: Summary) -> bytes | None:
    """The trend chart as the PDF prints it (no title of its own: the section has one)."""
    return render_chart(
        summary.trends, summary.labels, summary.language, panel_height_in=1.15, title=False
    )


def _chart(pdf: FPDF, summary: Summary, png: bytes | None) -> None:
    """The trend chart (kept whole on one page) with the arrows' legend, or why there is none."""
    pdf.ln(2)
    width = pdf.w - pdf.l_margin - pdf.r_margin
    if png is None:
        _para(pdf, label(summary.labels, CHART_NONE), _SIZES.item, "I", _SOFT_INK)
        return
    from PIL import Image

    with Image.open(BytesIO(png)) as image:
        px_w, px_h = image.size
    height = width * px_h / px_w
    usable = pdf.h - pdf.t_margin - pdf.b_margin
    if height > usable:  # a very tall chart (many scales) is shrunk to one page
        width, height = width * usable / height, usable
    if pdf.will_page_break(height + 8):
        pdf.add_page()
    pdf.image(
        BytesIO(png),
        x=pdf.l_margin,
        y=pdf.get_y(),
        w=width,
        h=height,
        alt_text=label(summary.labels, CHART_ALT),
    )
    pdf.set_y(pdf.get_y() + height + 1)
    _para(pdf, label(summary.labels, LEGEND), _SIZES.small, ink=_SOFT_INK)


def render_pdf(summary: Summary, *, chart: bytes | None = None) -> bytes:
    """The summary as an A4 PDF: header, sections in reading order, the chart after the trends.

    `chart` is the PNG from `pdf_chart` when the caller has drawn it already.
    """
    png = chart if chart is not None else pdf_chart(summary)
    pdf = _document(summary)
    pdf.add_page()
    _header(pdf, summary)
    chart_done = False
    for section in visible_sections(summary):
        _section(pdf, section)
        if section.code is SectionCode.TRENDS:
            _chart(pdf, summary, png)
            chart_done = True
    if not chart_done:  # no trends section: the chart (or why there is none) comes last
        pdf.ln(3)
        _chart(pdf, summary, png)
    return bytes(pdf.output())
