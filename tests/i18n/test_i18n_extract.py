"""The dialogue YAML extractor: contexts, comments, line numbers, and no crash on bad files."""

from __future__ import annotations

from io import BytesIO

from babel.messages.extract import extract

from bot.i18n_extract import extract_dialogues

DIALOGUE = b"""\
id: sample
version: 1
title: "Sample"
summary: "A short sample."
steps:
  - id: issue
    kind: text
    prompt:
      - "Which issue?"
      - "What is on your mind?"
    help: "A line is enough."
    summary: "The issue"
  - id: relation
    kind: choice
    prompt: "Which relation?"
    options:
      - {value: boss, label: "My own manager"}
      - {value: peers, label: "Peers"}
  - id: mood
    kind: scale
    prompt: "How is it going?"
    min_label: "Badly"
    max_label: "Well"
    min: 0
    max: 10
recap:
  title: "Your sample"
"""

KEYWORDS = {"pgettext": ((1, "c"), 2)}


def _run(data: bytes, name: str = "dialogues/sample.yaml") -> list[tuple]:
    fileobj = BytesIO(data)
    fileobj.name = name  # type: ignore[attr-defined]
    return list(extract_dialogues(fileobj, KEYWORDS, [], {}))


def test_every_text_is_extracted_with_the_dialogue_id_as_context():
    found = _run(DIALOGUE)
    assert {message for _, _, message, _ in found} == {
        ("sample", text)
        for text in [
            "Sample",
            "A short sample.",
            "Which issue?",
            "What is on your mind?",
            "A line is enough.",
            "The issue",
            "Which relation?",
            "My own manager",
            "Peers",
            "How is it going?",
            "Badly",
            "Well",
            "Your sample",
        ]
    }
    assert all(funcname == "pgettext" for _, funcname, _, _ in found)


def test_line_numbers_and_comments_name_the_step():
    by_text = {message[1]: (line, comments) for line, _, message, comments in _run(DIALOGUE)}
    assert by_text["Sample"] == (3, ["dialogue title (menu button, short)"])
    assert by_text["What is on your mind?"] == (
        10,
        ["step: issue (text), question phrasing 2 of 2"],
    )
    assert by_text["Which relation?"] == (15, ["step: relation (choice), question"])
    assert by_text["Peers"][1] == ["step: relation (choice), option peers"]
    assert by_text["Badly"] == (22, ["step: mood (scale), min label"])
    assert by_text["The issue"][1] == ["step: issue (text), summary label"]
    assert by_text["Your sample"][1] == ["recap title"]


def test_babel_turns_the_tuples_into_msgctxt():
    results = list(extract(extract_dialogues, BytesIO(DIALOGUE), keywords=KEYWORDS))
    lineno, message, _comments, context = results[0]
    assert (lineno, message, context) == (3, "Sample", "sample")
    assert all(r[3] == "sample" for r in results)


def test_missing_id_falls_back_to_the_file_name():
    found = _run(b'title: "Lonely"\n', name="dialogues/lonely.yaml")
    assert [message for _, _, message, _ in found] == [("lonely", "Lonely")]


def test_malformed_files_yield_what_can_be_read_and_never_raise():
    assert _run(b"id: x\nsteps: [\n  - unclosed") == []
    assert _run(b"- just\n- a list\n") == []
    assert _run(b"\xff\xfe not utf-8") == []
    assert _run(b"") == []
    assert _run(b"a: 1\n---\nb: 2\n") == []
    broken = b"""\
id: partial
title: 42
summary: ["not", "a string"]
steps:
  - "not a mapping"
  - id: ok
    kind: text
    prompt: {weird: true}
    help: "Readable help"
    options: "not a list"
recap: "not a mapping"
"""
    assert [message for _, _, message, _ in _run(broken)] == [("partial", "Readable help")]
