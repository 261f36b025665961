"""What composing lets through, on plain facts (no database): the privacy rules in one pass."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from summary_text import summary_text

from bot.dialogue.loader import DialogueCatalog
from bot.i18n import get_translator
from bot.summary.compose import compose, run_key, trend_key
from bot.summary.facts import (
    AnswerFact,
    CommitmentFact,
    EventFact,
    MeetingFact,
    Relation,
    RunFact,
    SummaryFacts,
)
from bot.summary.model import SectionCode

T = get_translator("en", "Europe/Stockholm")
START = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
UNTIL = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return START + timedelta(days=n)


def nulage(run_id: int, when: datetime, occupies: str, role: int, **kw: object) -> RunFact:
    visibility = str(kw.get("visibility", "coach"))
    return RunFact(
        id=run_id,
        dialogue_id="nulage",
        status="finished",
        finished_at=when,
        answers=(
            AnswerFact(run_id * 10, "occupies", occupies, visibility, when),
            AnswerFact(run_id * 10 + 1, "role", role, "coach", when),
        ),
        meeting_kind=kw.get("meeting_kind"),  # type: ignore[arg-type]
    )


def facts(*runs: RunFact, **kw: object) -> SummaryFacts:
    values: dict[str, object] = {
        "client_name": "Klara",
        "relation": Relation(START),
        "until": UNTIL,
        "runs": runs,
        "meeting": MeetingFact(99, UNTIL + timedelta(days=2)),
    }
    values.update(kw)
    return SummaryFacts(**values)  # type: ignore[arg-type]


def text_of(catalog: DialogueCatalog, f: SummaryFacts) -> str:
    return summary_text(compose(f, catalog, T))


def test_only_shared_answers_inside_the_relation_and_outside_groups(
    catalog: DialogueCatalog,
) -> None:
    text = text_of(
        catalog,
        facts(
            nulage(1, START - timedelta(days=1), "before we began", 3),
            nulage(2, day(10), "shared with my coach", 5),
            nulage(3, day(20), "only for me", 6, visibility="private"),
            nulage(4, day(30), "shared with my group", 7, visibility="group"),
            nulage(5, day(40), "said in the Backstage group", 8, meeting_kind="backstage"),
            nulage(6, UNTIL + timedelta(hours=1), "after the preview", 9),
            relation=Relation(START, end=UNTIL + timedelta(days=5)),
        ),
    )
    assert "shared with my coach" in text
    for hidden in (
        "before we began",
        "only for me",
        "shared with my group",
        "said in the Backstage group",
        "after the preview",
    ):
        assert hidden not in text, hidden
    # Runs 3 and 4 share their role score; runs 1, 5 and 6 are not the coach's at all. With no
    # meeting held yet there is nothing before the period to compare with: no arrow.
    assert "How the role is going: 5 · 6 · 7   <trend:nulage:role>" in text


def test_nothing_after_the_relation_ended(catalog: DialogueCatalog) -> None:
    ended = facts(nulage(1, day(10), "early", 5), nulage(2, day(50), "late", 4),
                  relation=Relation(START, end=day(30)))  # fmt: skip
    text = text_of(catalog, ended)
    assert "early" in text and "late" not in text


def test_a_commitment_from_a_private_answer_and_a_private_note_stay_with_the_client(
    catalog: DialogueCatalog,
) -> None:
    made = RunFact(
        7,
        "nasta_steg",
        "finished",
        day(5),
        (
            AnswerFact(70, "action", "Shared step", "coach", day(5)),
            AnswerFact(71, "due", "2026-09-20", "coach", day(5)),
        ),
    )
    secret = RunFact(8, "nasta_steg", "finished", day(6),
                     (AnswerFact(80, "action", "Secret step", "private", day(6)),))  # fmt: skip
    check = RunFact(
        9,
        "checkin",
        "finished",
        day(19),
        (
            AnswerFact(90, "status", "not_yet", "coach", day(19)),
            AnswerFact(91, "hindered", "Private reason", "private", day(19)),
        ),
    )
    shared = CommitmentFact(
        1, "Shared step", date(2026, 9, 20), "open", day(5), 7,
        events=(EventFact("created", day(5), date(2026, 9, 20), run_id=7),
                EventFact("not_yet", day(19), None, "Private reason", run_id=9)),
    )  # fmt: skip
    hidden = CommitmentFact(2, "Secret step", date(2026, 9, 21), "open", day(6), 8)
    text = text_of(
        catalog,
        facts(made, secret, check, commitments=(shared, hidden), last_held=None),
    )
    assert "“Shared step”: not yet" in text
    assert "Secret step" not in text
    assert "Private reason" not in text


def test_holding_back_a_reflection_removes_it_everywhere(catalog: DialogueCatalog) -> None:
    runs = (nulage(1, day(10), "first thought", 5), nulage(2, day(20), "second thought", 2))
    text = text_of(catalog, facts(*runs, held_back=frozenset({run_key(2)})))
    assert "second thought" not in text
    assert "How the role is going: 5 (once)" in text
    without_trend = compose(
        facts(*runs, held_back=frozenset({trend_key("nulage", "role")})), catalog, T
    )
    assert without_trend.trends == ()
    trends = without_trend.section(SectionCode.TRENDS)
    assert trends is not None and trends.items == ()


def test_backstage_dialogues_stay_out_of_a_coaching_summary(catalog: DialogueCatalog) -> None:
    case = RunFact(
        4, "case_forberedelse", "finished", day(3),
        (AnswerFact(40, "dilemma", "A case for the group", "coach", day(3)),),
    )  # fmt: skip
    assert "A case for the group" not in text_of(catalog, facts(case))


def test_every_step_the_summary_reads_exists_in_the_shipped_dialogues(
    catalog: DialogueCatalog,
) -> None:
    from bot.summary.sources import all_refs

    for dialogue_id, step_id in all_refs():
        assert dialogue_id in catalog, dialogue_id
        assert catalog.get(dialogue_id).has_step(step_id), (dialogue_id, step_id)


def test_the_arrow_compares_with_the_last_answer_before_the_last_meeting(
    catalog: DialogueCatalog,
) -> None:
    """6 before the meeting, then 2 and 3 after it: falling since the meeting, although the
    last step (2 → 3) rose."""
    runs = (nulage(1, day(5), "a", 6), nulage(2, day(20), "b", 2), nulage(3, day(25), "c", 3))
    held = MeetingFact(50, day(10))
    summary = compose(facts(*runs, last_held=held), catalog, T)
    trends = summary.section(SectionCode.TRENDS)
    assert trends is not None
    (role,) = trends.items
    assert role.text == "How the role is going: 6 · 2 · 3" and role.direction == -1
    assert trends.title == "Trends over the engagement (arrows: since the last meeting)"
    # No answer since the meeting: nothing to compare, no arrow.
    quiet = compose(facts(runs[0], last_held=held), catalog, T).section(SectionCode.TRENDS)
    assert quiet is not None and quiet.items[0].direction is None


def _made(run_id: int, when: datetime, text: str) -> RunFact:
    return RunFact(
        run_id,
        "nasta_steg",
        "finished",
        when,
        (AnswerFact(run_id * 10, "action", text, "coach", when),),
    )


def test_an_open_commitment_past_its_date_is_overdue(catalog: DialogueCatalog) -> None:
    late = CommitmentFact(
        1, "Book the talks", date(2026, 11, 26), "open", day(80), 7,
        events=(EventFact("created", day(80), date(2026, 11, 26), run_id=7),),
    )  # fmt: skip
    ahead = CommitmentFact(
        2, "Ask HR", date(2026, 12, 2), "open", day(81), 8,
        events=(EventFact("created", day(81), date(2026, 12, 2), run_id=8),),
    )  # fmt: skip
    runs = (_made(7, day(80), "Book the talks"), _made(8, day(81), "Ask HR"))
    text = text_of(catalog, facts(*runs, commitments=(late, ahead)))
    assert "“Book the talks”: open, overdue since 26 Nov 2026" in text, text
    assert "“Ask HR”: open, due 2 Dec 2026" in text, text


def test_a_partly_done_commitment_whose_rest_was_carried_on_is_not_open(
    catalog: DialogueCatalog,
) -> None:
    check = RunFact(
        9, "checkin", "finished", day(60), (AnswerFact(90, "status", "partly", "coach", day(60)),)
    )
    parent = CommitmentFact(
        1, "Write the draft.", date(2026, 10, 20), "done", day(40), 7,
        events=(EventFact("created", day(40), date(2026, 10, 20), run_id=7),
                EventFact("partly", day(60), None, run_id=9)),
    )  # fmt: skip
    rest = CommitmentFact(
        2, "Finish the budget part", date(2026, 12, 10), "open", day(60), 9,
        events=(EventFact("created", day(60), date(2026, 12, 10), run_id=9),), parent_id=1,
    )  # fmt: skip
    made = _made(7, day(40), "Write the draft.")
    carried = RunFact(
        9, "checkin", "finished", day(60),
        (*check.answers, AnswerFact(91, "rest", "Finish the budget part", "coach", day(60))),
    )  # fmt: skip
    text = text_of(catalog, facts(made, carried, commitments=(parent, rest)))
    line = next(x for x in text.splitlines() if "“Write the draft”" in x)
    assert "partly done 31 Oct 2026; the rest carried over to “Finish the budget part”" in line, (
        text
    )
    assert "open" not in line and "overdue" not in line
    assert "Carries on the rest of “Write the draft”." in text, text
    assert "“Finish the budget part”: open, due 10 Dec 2026" in text


def test_a_label_ending_in_a_clients_full_stop_gets_no_second_mark() -> None:
    from bot.summary.compose import labelled

    assert labelled("Result – we'll see.", "Partly") == "Result – we'll see: Partly"
    assert labelled("Result – ready?", "Partly") == "Result – ready? Partly"
    assert labelled("Result – and then...", "Partly") == "Result – and then... Partly"
    assert labelled("Energy", "2 of 10") == "Energy: 2 of 10"


def test_a_scale_has_one_name_in_the_whole_summary(catalog: DialogueCatalog) -> None:
    sv = get_translator("sv", "Europe/Stockholm")
    text = summary_text(compose(facts(nulage(1, day(10), "budgeten", 5)), catalog, sv))
    assert "Hur rollen fungerar: 5 (en gång)" in text, text
    assert "Hur rollen fungerar: 5 av 10" in text, text
    assert "Hur det går i rollen" not in text  # the step's own label, written for the client
