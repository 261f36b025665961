"""The A4 PDF and the chart: the sections are in its text, the chart is an image, nothing lost."""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PdfReader
from summary_samples import ordinary, series, with_sections

from bot.i18n import get_translator
from bot.summary.chart import render_chart
from bot.summary.labels import renderer_labels
from bot.summary.model import Section, SectionCode, SummaryItem
from bot.summary.pdf import printable, render_pdf

A4_POINTS = (595, 842)


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_the_header_the_sections_and_the_chart() -> None:
    summary = ordinary()
    summary = type(summary)(**{**summary.__dict__, "labels": renderer_labels(get_translator("sv"))})
    reader, text = read(render_pdf(summary))
    for page in reader.pages:
        assert tuple(round(v) for v in page.mediabox[2:]) == A4_POINTS
    words = flat(text)
    for expected in (
        "Inför mötet med Klara Åström",
        "Nästa möte: torsdag 3 dec. 2026 09:00 (Stockholm)",
        "Klara godkände detta 1 december.",
        "Det här vill Klara ta upp",
        "Åtaganden",
        "Delegera budgetarbetet — Inte ännu (två gånger)",
        "Hindrade: kvartalsbokslutet tog all tid.",  # details are printed in the PDF
        "Skalor över tid",
        "Energi: 4 → 3 → 1",
        "Ingen utvecklingsplan ännu.",
        "Tidigare reflektioner",
        "↑ stiger",
    ):
        assert expected in words, expected
    assert "Handlingsutrymme" not in words
    # The order a coach reads in.
    assert words.index("Åtaganden") < words.index("Skalor över tid") < words.index("Tidigare")
    assert re.search(r"Sida 1 av \d", words)
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.width > 1000


def test_without_trends_there_is_no_chart_and_the_pdf_says_so() -> None:
    summary = ordinary(trends=False)
    summary = type(summary)(**{**summary.__dict__, "labels": {}})
    reader, text = read(render_pdf(summary))
    assert [image for page in reader.pages for image in page.images] == []
    assert "No scale answers yet, so there is no chart." in flat(text)
    assert "Page 1 of" in flat(text)


def test_long_texts_wrap_across_pages_and_nothing_is_cut_off() -> None:
    long_word = "https://example.org/" + "väldigt-långt-ord-" * 20
    paragraph = " ".join(f"mening{i} om teamet och budgeten" for i in range(120))
    items = tuple(
        SummaryItem(
            f"run:{i}", f"{i} nov · Nuläge: punkt {i}", detail=paragraph if i == 3 else None
        )
        for i in range(90)
    )
    summary = with_sections(
        Section(SectionCode.NOTE, "Anteckning", (SummaryItem("n", long_word),)),
        Section(SectionCode.EARLIER, "Tidigare reflektioner", items),
    )
    reader, text = read(render_pdf(summary))
    assert len(reader.pages) >= 3
    # Without spaces and the page footers, a text that wrapped over a page reads as one.
    joined = re.sub(r"InförmötetmedKlaraÅströmPage\d+of\d+", "", "".join(text.split()))
    assert "".join(long_word.split()) in joined
    assert "".join(paragraph.split()) in joined
    for i in range(90):
        assert f"punkt {i}" in flat(text)
    last = len(reader.pages)
    assert f"Page {last} of {last}" in flat(reader.pages[-1].extract_text())


def test_emoji_are_left_out_and_the_rest_printed() -> None:
    summary = with_sections(
        Section(
            SectionCode.BRING,
            "Att ta upp 🎯",
            (SummaryItem("a", "Feedback 👍🏽 till Åsa — svårt 😬 men viktigt ✓ <b>&amp;"),),
        )
    )
    words = flat(read(render_pdf(summary))[1])
    assert "Att ta upp" in words
    assert "Feedback till Åsa — svårt men viktigt ✓ <b>&amp;" in words
    assert printable("a 👩\u200d👩\u200d👧 b\u00a0c") == "a b\u00a0c"


def test_the_chart_is_a_png_with_one_panel_per_scale_or_nothing() -> None:
    png = render_chart((series("a", "Energi", [3, 1]),), {}, "sv")
    assert png is not None and png.startswith(b"\x89PNG")
    taller = render_chart(
        (series("a", "Energi", [3, 1]), series("b", "Roll", [1, 2, 3], low=0, high=10)), {}, "en"
    )
    assert taller is not None
    from PIL import Image

    with Image.open(BytesIO(png)) as one, Image.open(BytesIO(taller)) as two:
        assert two.height > one.height
    assert render_chart((), {}, "sv") is None
    single = render_chart((series("a", "Energi", [4]),), {}, "sv")
    assert single is not None


def test_documents_drawn_at_once_in_threads_keep_their_own_text() -> None:
    # The parsed fonts are shared between documents; what each document uses must not mix.
    from concurrent.futures import ThreadPoolExecutor

    def document(n: int) -> str:
        section = Section(SectionCode.NOTE, f"Anteckning {n}", (SummaryItem("n", f"Text {n} ÅÄÖ"),))
        return flat(read(render_pdf(with_sections(section)))[1])

    with ThreadPoolExecutor(max_workers=3) as pool:
        texts = list(pool.map(document, range(6)))
    for n, text in enumerate(texts):
        assert f"Anteckning {n}" in text and f"Text {n} ÅÄÖ" in text
