"""The pure Telegram views of /clients, /settings, /history, /meeting and the relation screens:
data in, HTML text and buttons out, no bot and no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from bot.i18n import get_translator
from bot.services.meetings import MeetingInfo
from bot.services.people import ClientInfo, PersonInfo
from bot.services.relations import JoinOutcome
from bot.telegram.views.clients import clients_view
from bot.telegram.views.history import history_view
from bot.telegram.views.meetings import cancel_question_view, client_meetings_view
from bot.telegram.views.relations import join_result_view, pick_client_view
from bot.telegram.views.settings import SettingsScreen, Timing, settings_view

EN = get_translator("en", "Europe/Stockholm")
SV = get_translator("sv", "Europe/Stockholm")
TODAY = date(2026, 12, 1)
AT = datetime(2026, 12, 8, 13, 0, tzinfo=UTC)


def person(**changes: object) -> PersonInfo:
    fields: dict[str, object] = dict(
        id=7, telegram_id=70, role="client", locale="en", timezone="Europe/Stockholm",
        checkin_time=None, quiet_start=None, quiet_end=None, paused=False, active=True,
        consented=True, onboarding=None, display_name="Klara <K>",
    )  # fmt: skip
    fields.update(changes)
    return PersonInfo(**fields)  # type: ignore[arg-type]


def meeting(**changes: object) -> MeetingInfo:
    fields: dict[str, object] = dict(
        id=3, client_id=7, client_name="Klara <K>", coach_id=2, starts_at=AT,
        duration_minutes=60, created_by_id=7, created_at=AT, updated_at=AT, cancelled_at=None,
    )  # fmt: skip
    fields.update(changes)
    return MeetingInfo(**fields)  # type: ignore[arg-type]


def buttons(rendered: object) -> list[tuple[str, str]]:
    keyboard = getattr(rendered, "keyboard", None)
    if keyboard is None:
        return []
    return [(b.text, b.callback_data) for row in keyboard.inline_keyboard for b in row]


def test_clients_view_escapes_names_and_says_who_paused_check_ins() -> None:
    listed = [
        ClientInfo(1, "Ann & Bo", AT),
        ClientInfo(2, "Cid", None, paused=True, pause_until=date(2026, 12, 20)),
        ClientInfo(3, "Dag", None, paused=True, pause_until=date(2026, 11, 20)),  # resumed
    ]
    text = clients_view(listed, EN, TODAY).text
    assert "#1 <b>Ann &amp; Bo</b> · next meeting 8 Dec 2026 14:00 (Stockholm)" in text
    assert "#2 <b>Cid</b> · no meeting planned · ⏸ check-ins paused by the client until" in text
    assert "#3 <b>Dag</b> · no meeting planned\n" in text
    assert clients_view([], SV, TODAY).text.startswith("Du har inga deltagare än.")


def test_settings_view_offers_resume_only_while_paused_and_the_meeting_only_ahead() -> None:
    screen = SettingsScreen(
        timing=Timing(time(9), time(21), time(8)),
        timezone="Europe/Stockholm",
        today=TODAY,
        next_meeting=date(2026, 12, 8),
        languages=(("sv", "Svenska"), ("en", "English")),
        zones=("Europe/Stockholm", "Europe/Oslo"),
    )
    running = settings_view(person(), screen, EN, notice="Quiet <hours>")
    assert running.text.startswith("⚠️ Quiet &lt;hours&gt;\n\n<b>Your settings</b>")
    assert "Check-in time: 09:00" in running.text
    assert "Quiet hours: 21:00–08:00" in running.text
    pauses = [data for _, data in buttons(running) if data.startswith("st:pause")]
    assert pauses == ["st:pause:1w", "st:pause:2w", "st:pause:mt", "st:pause:1"]
    paused = settings_view(person(paused=True), screen, EN)
    assert [d for _, d in buttons(paused) if d.startswith("st:pause")] == ["st:pause:0"]
    assert all(len(data.encode()) <= 64 for _, data in buttons(running))


def test_history_view_lists_finished_reflections_or_says_there_are_none() -> None:
    assert history_view([], EN).keyboard is None
    assert history_view([], EN).text == "You have no finished reflections yet."


def test_client_meetings_view_names_the_group_meeting_as_the_group_s() -> None:
    view = client_meetings_view(7, meeting(), None, [("Norr & Co", AT)], EN)
    assert view.text.splitlines() == [
        "Your next meeting: 8 Dec 2026 14:00 (Stockholm).",
        "You recorded it yourself: /meeting and a new time moves it.",
        "Your Backstage group Norr &amp; Co meets next 8 Dec 2026 14:00 (Stockholm); "
        "/group shows its plan.",
    ]
    assert buttons(view) == [("✖️ Cancel meeting", "mt:cx:3")]
    # Set by the coach: no cancel button for the client.
    assert client_meetings_view(7, meeting(created_by_id=2), None, [], EN).keyboard is None


def test_cancel_question_says_who_is_told() -> None:
    coach_asks = cancel_question_view(meeting(), own=False, t=EN)
    assert coach_asks.text == (
        "Cancel the meeting with Klara &lt;K&gt; 8 Dec 2026 14:00 (Stockholm)? "
        "Klara &lt;K&gt; will be told."
    )
    assert [data for _, data in buttons(coach_asks)] == ["mt:cxy:3", "mt:keep:3"]


def test_relation_views() -> None:
    assert pick_client_view([], EN).text == "You have no clients."
    joined = join_result_view(JoinOutcome.JOINED, person(), EN).text
    assert joined.startswith("Welcome! You now work with Klara &lt;K&gt; in Hemmaplan.")
    unknown = join_result_view(JoinOutcome.UNKNOWN, None, EN).text
    assert unknown.startswith("I don&#x27;t recognise that invitation link.")


def test_summary_short_answers_are_escaped_and_whose_lists_every_client() -> None:
    from bot.telegram.summary_views import auto_share_text, note_reply_view, pick_client_view

    nothing = note_reply_view(None, EN)
    assert nothing.keyboard is None
    assert nothing.text.startswith("There is no summary to add a note to")
    assert "this meeting&#x27;s summary" in nothing.text
    assert auto_share_text(False, EN) == (
        "Automatic sharing is off: nothing goes to your coach without your approval."
    )
    whose = pick_client_view([ClientInfo(4, "Ann <A>", None)], EN)
    assert whose.text == "Whose summary?"
    assert buttons(whose) == [("#4 Ann <A>", "sm:4:")]
