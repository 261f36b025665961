"""Telegram HTML rendering of a summary: valid markup, Telegram's length count, clean splits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from summary_samples import ordinary, with_sections

from bot.summary.html import render_messages
from bot.summary.model import Section, SectionCode, SummaryItem
from bot.summary.text import render_text
from bot.telegram.rendering import split_message
from tests.fakes.botapi_html import parse_html, strip_outer_whitespace, utf16_len

LIMIT = 4096


def telegram_plain(message: str) -> str:
    """The text Telegram would keep after parsing the HTML (raises on invalid markup)."""
    plain, entities = parse_html(message)
    return strip_outer_whitespace(plain, entities)[0]


def assert_sendable(messages: list[str], limit: int = LIMIT) -> list[str]:
    plains = [telegram_plain(m) for m in messages]
    for plain in plains:
        assert plain, "an empty message cannot be sent"
        assert utf16_len(plain) <= limit
    for message in messages:
        # The sending helpers split by the HTML source: ours must pass through them whole.
        assert split_message(message, limit) == [message]
    return plains


def test_ordinary_summary_is_one_message_in_reading_order() -> None:
    messages = render_messages(ordinary())
    assert len(messages) == 1
    (plain,) = assert_sendable(messages)
    assert plain.startswith("Inför mötet med Klara Åström\nNästa möte: torsdag")
    assert "(Stockholm)" in plain
    assert "Klara godkände detta 1 december." in plain
    order = [
        "Det här vill Klara ta upp",
        "Åtaganden",
        "Skalor över tid",
        "Utvecklingsplan",
        "Tidigare reflektioner",
    ]
    positions = [plain.index(title) for title in order]
    assert positions == sorted(positions)
    # An empty section without a sentence is left out; one with a sentence says it.
    assert "Handlingsutrymme" not in plain
    assert "Ingen utvecklingsplan ännu." in plain
    # Directions as arrows, attention marked and bold.
    assert "↓ Energi: 4 → 3 → 1" in plain
    assert "↑ Tydlighet i rollen: 2 → 4" in plain
    assert "→ Samarbete: 3 → 3" in plain
    assert "⚠️ ↓ Energi" in plain
    assert "<b>↓ Energi: 4 → 3 → 1</b>" in messages[0]
    assert "• Boka 1:1 med alla i teamet" in plain
    # Details only on request.
    assert "Hindrade" not in plain


def test_details_come_in_an_expandable_quote() -> None:
    (message,) = render_messages(ordinary(), details=True)
    assert "<blockquote expandable>Hindrade: kvartalsbokslutet tog all tid.</blockquote>" in message
    assert_sendable([message])


def test_hostile_markup_in_texts_is_shown_as_written() -> None:
    hostile = '<b>fet</b> </i> <script>alert("x")</script> &amp; &lt; & 3 < 4 > 2 <a href="x">'
    summary = with_sections(
        Section(SectionCode.BRING, "Rubrik <i>&", (SummaryItem("a", hostile, detail=hostile),)),
        title="Inför <mötet> & så",
    )
    for details in (False, True):
        messages = render_messages(summary, details=details)
        (plain,) = assert_sendable(messages)
        assert "Inför <mötet> & så" in plain
        assert "Rubrik <i>&" in plain
        assert "• " + hostile in plain
    assert "<script>" not in render_messages(summary)[0]


def test_empty_summary_is_the_header_alone() -> None:
    summary = with_sections(
        Section(SectionCode.BRING, "Att ta upp", ()),
        Section(SectionCode.FLAGS, "Värt att notera", ()),
    )
    messages = render_messages(summary)
    assert len(messages) == 1
    (plain,) = assert_sendable(messages)
    assert "Att ta upp" not in plain and "Värt att notera" not in plain
    assert plain.startswith("Inför mötet med Klara Åström")


def items(prefix: str, count: int, size: int) -> tuple[SummaryItem, ...]:
    return tuple(
        SummaryItem(f"{prefix}:{i}", f"{prefix} {i} " + ("åäö " * size)[: size - 10].rstrip())
        for i in range(count)
    )


def test_sections_that_do_not_fit_together_start_a_new_message() -> None:
    first = Section(SectionCode.BRING, "Att ta upp", items("bring", 25, 120))
    second = Section(SectionCode.COMMITMENTS, "Åtaganden", items("commit", 25, 120))
    messages = render_messages(with_sections(first, second))
    plains = assert_sendable(messages)
    assert len(plains) == 2
    assert "Att ta upp" in plains[0] and "Åtaganden" not in plains[0]
    assert plains[1].startswith("Åtaganden\n")


def test_an_oversized_section_is_split_between_items_and_says_it_goes_on() -> None:
    huge = Section(SectionCode.EARLIER, "Tidigare reflektioner", items("run", 200, 150))
    messages = render_messages(with_sections(huge))
    plains = assert_sendable(messages)
    assert len(plains) >= 8
    for plain in plains[1:]:
        assert plain.startswith("Tidigare reflektioner (forts.)\n")
    # Every item whole, once, in order.
    lines = [line for plain in plains for line in plain.split("\n") if line.startswith("• ")]
    assert lines == ["• " + item.text for item in huge.items]


def test_an_item_over_the_limit_is_cut_between_words() -> None:
    words = " ".join(f"ord{i}-å😀" for i in range(1500))
    summary = with_sections(Section(SectionCode.NOTE, "Anteckning", (SummaryItem("n", words),)))
    plains = assert_sendable(render_messages(summary))
    assert len(plains) >= 4
    body = " ".join(
        plain.split("\n", 1)[1] if i else plain.split("\n\n", 1)[1].split("\n", 1)[1]
        for i, plain in enumerate(plains)
    )
    assert body == "• " + words
    for plain in plains:
        assert not plain.endswith("ord") and "\ufffd" not in plain


def test_emoji_count_twice_like_telegram_counts_them() -> None:
    # 3000 emoji are 6000 UTF-16 units: two messages although 3000 characters would fit one.
    emoji = "😀" * 3000
    summary = with_sections(Section(SectionCode.NOTE, "Anteckning", (SummaryItem("n", emoji),)))
    messages = render_messages(summary)
    plains = assert_sendable(messages)
    assert len(plains) == 2
    assert "".join(plains).count("😀") == 3000


def test_markup_heavy_texts_still_leave_as_the_messages_they_were_laid_out_as() -> None:
    # "&" is 1 unit for Telegram but 5 characters of HTML source.
    ampersands = tuple(SummaryItem(f"a{i}", "R&D & QA & " * 30) for i in range(20))
    huge = SummaryItem("h", "&<>" * 3000)
    summary = with_sections(
        Section(SectionCode.BRING, "Att ta upp", ampersands),
        Section(SectionCode.NOTE, "Anteckning", (huge,)),
    )
    messages = render_messages(summary, details=True)
    plains = assert_sendable(messages)
    assert "".join(plains).count("R&D") == 20 * 30
    assert "".join(plains).count("&<>") >= 2990  # only the cuts' whitespace-free joins differ
    # The HTML source limits how much goes in a message, but no message is left nearly empty.
    assert all(len(message) > LIMIT // 2 for message in messages[:-1])


def test_a_word_without_spaces_is_cut_without_splitting_a_character() -> None:
    family = "👩\u200d👩\u200d👧"  # one visible emoji made of five code points
    summary = with_sections(
        Section(SectionCode.NOTE, "Anteckning", (SummaryItem("n", family * 900),))
    )
    plains = assert_sendable(render_messages(summary))
    for plain in plains:
        body = plain.split("\n")[-1]
        assert not body.startswith("\u200d") and not body.endswith("\u200d")


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(
        st.text(
            alphabet=st.sampled_from(list("ab <>&;\"'/åäöÅÄÖ\n😀👍🏽\u200d—→")),
            min_size=0,
            max_size=400,
        ),
        min_size=0,
        max_size=12,
    ),
    limit=st.integers(min_value=120, max_value=600),
    details=st.booleans(),
)
def test_any_texts_give_valid_messages_within_any_limit(
    texts: list[str], limit: int, details: bool
) -> None:
    section_items = tuple(
        SummaryItem(f"k{i}", text or "x", detail=text[::-1] or None, attention=i % 3 == 0)
        for i, text in enumerate(texts)
    )
    summary = with_sections(
        Section(SectionCode.BRING, "Att ta upp", section_items[:4]),
        Section(SectionCode.EARLIER, "Tidigare", section_items[4:]),
    )
    messages = render_messages(summary, details=details, limit=limit)
    assert_sendable(messages, limit)
    assert telegram_plain(messages[0]).startswith("Inför mötet")


def test_text_rendering_has_the_same_layout_and_the_details() -> None:
    text = render_text(ordinary())
    assert text.startswith("Inför mötet med Klara Åström\n============================\n")
    assert "(Klara godkände detta 1 december.)" in text
    assert "Åtaganden\n---------\n• Boka 1:1" in text
    assert "⚠ ↓ Energi: 4 → 3 → 1" in text
    assert "    Hindrade: kvartalsbokslutet tog all tid." in text
    assert "Handlingsutrymme" not in text
    assert "Ingen utvecklingsplan ännu." in text
    assert "<" not in render_text(ordinary(), details=False).replace("<b>", "")
