"""Composing a coach's pre-meeting summary from plain facts (no database, no Telegram).

What a coach may see is decided here, in one pass before anything is laid out: only finished
runs of coaching dialogues, finished while the coach's relation was active, not tied to a
Backstage group meeting, and of those only answers shared with the coach ("only for me" never
passes). Commitments pass only when the answer they were made from did; a check-in's status and
note only when the answers that gave them did. What the client held back in the preview is
removed at the same point, so no section, trend point or flag can bring it back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.dialogue.answer_views import format_answer, step_label
from bot.dialogue.instances import bind
from bot.dialogue.loader import DialogueCatalog
from bot.dialogue.material import MaterialKind
from bot.dialogue.model import Dialogue, RecordCheckSpec, Step, StepKind
from bot.i18n import N_, Translator
from bot.summary import sources
from bot.summary.facts import (
    BACKSTAGE,
    SHARED_WITH_COACH,
    AnswerFact,
    CommitmentFact,
    EventFact,
    RunFact,
    SummaryFacts,
)
from bot.summary.labels import LEGEND, renderer_labels
from bot.summary.model import (
    Section,
    SectionCode,
    Summary,
    SummaryHeader,
    SummaryItem,
    SummaryStatus,
    TrendPoint,
    TrendSeries,
)

# The status of a partly done commitment whose rest was carried into a new commitment.
CARRIED = "carried"
# A line of the earlier reflections shows this much of the first answer.
GIST_LENGTH = 90
# A trend line shows at most this many of the latest values.
TREND_VALUES_SHOWN = 6

# A check-in's result inside a sentence ("“Book the talks”, by 3 Dec: done").
_RESULTS: dict[str, str] = {
    "done": N_("done"),
    "partly": N_("partly done"),
    "not_yet": N_("not yet"),
    "dropped": N_("no longer relevant"),
}


def result_word(kind: str, t: Translator) -> str:
    """A check-in result as a word inside a sentence."""
    return t.gettext(_RESULTS[kind]) if kind in _RESULTS else kind


# Trend names as a coach reads them (the step's own label is written for the client).
_TREND_LABELS: dict[tuple[str, str], str] = {
    ("nulage", "role"): N_("How the role is going"),
    ("nulage", "energy"): N_("Energy and workload"),
    ("relationer", "quality"): N_("Collaboration"),
    ("grupp_mognad", "stage"): N_("The team's maturity (stage 1–4)"),
    ("verksamheten", "standing"): N_("Where the organisation stands"),
}


def run_key(run_id: int) -> str:
    """The item key of a whole reflection (holding it back hides all of its answers)."""
    return f"run:{run_id}"


def answer_key(answer_id: int) -> str:
    """The item key of one answer."""
    return f"answer:{answer_id}"


def commitment_key(commitment_id: int) -> str:
    """The item key of a commitment (and of its flags)."""
    return f"commitment:{commitment_id}"


def trend_key(dialogue_id: str, step_id: str) -> str:
    """The item key of a trend (holding it back leaves it out of the text and the chart)."""
    return f"trend:{dialogue_id}:{step_id}"


PAUSED_KEY = "flag:paused"
NOTE_KEY = "note"


@dataclass(frozen=True)
class _Run:
    """A run the coach may see, with its shared answers by step id."""

    fact: RunFact
    dialogue: Dialogue
    answers: dict[str, AnswerFact]

    @property
    def finished_at(self) -> datetime:
        assert self.fact.finished_at is not None
        return self.fact.finished_at

    def step(self, step_id: str) -> Step | None:
        return self.dialogue.step(step_id) if self.dialogue.has_step(step_id) else None


def compose(
    facts: SummaryFacts,
    catalog: DialogueCatalog,
    t: Translator,
    *,
    status: SummaryStatus = SummaryStatus.PENDING,
    status_text: str | None = None,
) -> Summary:
    """The summary of `facts` for a reader with translator `t` (language and time zone)."""
    return _Composer(facts, catalog, t).summary(status, status_text)


class _Composer:
    """One composition: the visible facts, worked out once, and a builder per section."""

    def __init__(self, facts: SummaryFacts, catalog: DialogueCatalog, t: Translator) -> None:
        self.facts = facts
        self.t = t
        self.held = facts.held_back
        self.runs = _visible_runs(facts, catalog)
        self.by_id = {run.fact.id: run for run in self.runs}
        start = facts.relation.start
        if facts.last_held is not None and facts.last_held.starts_at > start:
            start = facts.last_held.starts_at
        self.period_start = start
        # Newest first: a coach reads the latest first.
        self.recent = sorted(
            (run for run in self.runs if run.finished_at >= start),
            key=lambda run: (run.finished_at, run.fact.id),
            reverse=True,
        )
        self.first_name = facts.client_name.split(" ")[0] if facts.client_name else ""
        # The latest answer of an ordered choice trend, by trend key ("Friction").
        self.latest_choice: dict[str, str] = {}
        carried = {c.parent_id for c in facts.commitments if c.parent_id is not None}
        self.commitments = [
            c
            for c in (
                _visible_commitment(c, self.by_id, facts, c.id in carried)
                for c in facts.commitments
            )
            if c is not None and commitment_key(c.id) not in self.held
        ]
        self.commitment_by_id = {c.id: c for c in self.commitments}
        # The continuation of each partly done commitment whose rest became a new one.
        self.continued_by = {
            c.parent_id: c for c in self.commitments if c.parent_id in self.commitment_by_id
        }
        # "Overdue" is counted from the day the summary is composed for (the client's today).
        self.today = t.localize(facts.until).date()

    def summary(self, status: SummaryStatus, status_text: str | None) -> Summary:
        t = self.t
        trends = self.trends()
        sections = (
            Section(
                SectionCode.BRING,
                t.gettext("What {name} wants to bring").format(name=self.first_name),
                self.bring(),
                t.gettext("Nothing noted for the meeting yet."),
            ),
            Section(
                SectionCode.COMMITMENTS,
                t.gettext("Commitments"),
                self.commitment_items(),
                t.gettext("No commitments made or due in this period."),
            ),
            Section(SectionCode.SCOPE, t.gettext("Scope of action and themes"), self.scope()),
            Section(
                SectionCode.TRENDS,
                t.gettext("Trends over the engagement (arrows: since the last meeting)"),
                tuple(self.trend_item(series) for series in trends),
                t.gettext("No scales shared yet."),
            ),
            Section(SectionCode.PLAN, t.gettext("Development plan"), self.plan()),
            Section(SectionCode.FLAGS, t.gettext("Worth your attention"), self.flags()),
            Section(
                SectionCode.EARLIER,
                t.gettext("Reflections in this period"),
                self.earlier(),
                t.gettext("No reflections shared in this period."),
            ),
            *self.note(),
        )
        return Summary(
            header=self.header(),
            sections=sections,
            trends=trends,
            status=status,
            status_text=status_text,
            language=t.locale,
            labels=self.labels(),
        )

    # -- header ----------------------------------------------------------------------------------

    def header(self) -> SummaryHeader:
        t, facts = self.t, self.facts
        name = facts.client_name
        lines: list[str] = []
        meeting = facts.meeting
        if meeting is not None:
            label = (
                t.gettext("For the meeting {when}")
                if facts.reshown
                else t.gettext("Next meeting: {when}")
            )
            lines.append(label.format(when=meeting_when(t, meeting.starts_at)))
        else:
            lines.append(t.gettext("No meeting planned."))
        # A check-in on a commitment is a short follow-up, not a reflection: counted apart.
        checkins = sum(1 for run in self.recent if run.dialogue.needs(MaterialKind.COMMITMENT))
        count = len(self.recent) - checkins
        if facts.last_held is not None and facts.last_held.starts_at >= facts.relation.start:
            since = t.ngettext(
                "Since the meeting on {date}: {n} reflection shared.",
                "Since the meeting on {date}: {n} reflections shared.",
                count,
            )
        else:
            since = t.ngettext(
                "Since you started working together on {date}: {n} reflection shared.",
                "Since you started working together on {date}: {n} reflections shared.",
                count,
            )
        lines.append(since.format(date=t.format_date(self.period_start), n=count))
        if checkins:
            lines.append(
                t.ngettext(
                    "And {n} check-in on a commitment.",
                    "And {n} check-ins on commitments.",
                    checkins,
                ).format(n=checkins)
            )
        return SummaryHeader(
            title=t.gettext("Before your meeting with {name}").format(name=name),
            client_name=name,
            lines=tuple(lines),
            next_meeting_at=meeting.starts_at if meeting is not None else None,
            period_start=self.period_start,
            reflections_since=count,
        )

    def labels(self) -> dict[str, str]:
        labels = renderer_labels(t := self.t)
        # The arrows compare with the last meeting, not with the answer just before.
        labels[LEGEND] = t.gettext(
            "↑ rising · ↓ falling · → unchanged: the latest answer against the last one before "
            "the last meeting"
        )
        return labels

    # -- sections --------------------------------------------------------------------------------

    def bring(self) -> tuple[SummaryItem, ...]:
        items = []
        for run in self.recent:
            for dialogue_id, step_id in sources.BRING_STEPS:
                answer = run.answers.get(step_id) if run.fact.dialogue_id == dialogue_id else None
                if answer is not None:
                    items.append(
                        SummaryItem(
                            answer_key(answer.id),
                            str(answer.value),
                            detail=self._source(run),
                        )
                    )
        return tuple(items)

    def commitment_items(self) -> tuple[SummaryItem, ...]:
        start = self.period_start.date()
        end = self.facts.meeting.starts_at if self.facts.meeting else self.facts.until
        end_day = self.t.localize(end).date()
        chosen = [
            c
            for c in self.commitments
            if c.created_at >= self.period_start
            or start <= c.due_date <= end_day
            or any(e.at >= self.period_start and e.kind != "created" for e in c.events)
            or (c.status == "open" and c.due_date < start)
        ]
        chosen.sort(key=lambda c: (c.due_date, c.id))
        return tuple(self._commitment_item(c) for c in chosen)

    def _commitment_item(self, c: CommitmentFact) -> SummaryItem:
        t = self.t
        changes = [e for e in c.events if e.kind != "created"]
        # The line says where it stands now; the whole history is in the detail.
        steps = [self._event_text(e, with_date=False) for e in changes[-1:]]
        rest = self.continued_by.get(c.id)
        if c.status == CARRIED:
            steps.append(
                t.gettext("the rest carried over to {text}").format(
                    text=quoted(t, _trim(rest.text))
                )
                if rest is not None
                else t.gettext("the rest carried over to a new commitment")
            )
        elif c.status == "open" and c.due_date < self.today:
            steps.append(t.gettext("open, overdue since {date}").format(date=_day(t, c.due_date)))
        elif c.status == "open":
            steps.append(t.gettext("open, due {date}").format(date=_day(t, c.due_date)))
        text = f"{quoted(t, _trim(c.text))}: " + "; ".join(steps)
        made = t.gettext("Made {date}, due {due}.").format(
            date=_day(t, c.created_at), due=_day(t, _first_due(c))
        )
        lines = [made]
        parent = self.commitment_by_id.get(c.parent_id) if c.parent_id is not None else None
        if parent is not None:
            lines.append(
                t.gettext("Carries on the rest of {text}.").format(
                    text=quoted(t, _trim(parent.text))
                )
            )
        detail = "\n".join([*lines, *(self._event_text(e, with_date=True) for e in changes)])
        if c.done_when:
            detail += "\n" + t.gettext("Done when: {what}").format(what=c.done_when)
        return SummaryItem(
            commitment_key(c.id), text, detail=detail, attention=_not_yet_count(c) >= 2
        )

    def _event_text(self, event: EventFact, *, with_date: bool) -> str:
        t = self.t
        if event.kind == "moved" and event.due_date is not None:
            what = t.gettext("moved to {date}").format(date=_day(t, event.due_date))
        elif event.kind == "reopened":
            what = t.gettext("reopened")
        else:
            what = result_word(event.kind, t)
            if with_date and event.due_date is not None:
                what += ", " + t.gettext("new date {date}").format(date=_day(t, event.due_date))
        line = f"{_day(t, event.at)}: {what}" if with_date else f"{what} {_day(t, event.at)}"
        if event.note:
            line += " – " + quoted(t, event.note)
        return line

    def scope(self) -> tuple[SummaryItem, ...]:
        t = self.t
        items: list[SummaryItem] = []
        for run in self.recent:
            if run.fact.dialogue_id != sources.SCOPE_DIALOGUE:
                continue
            issue = run.answers.get(sources.SCOPE_HEADLINE)
            parts = [
                labelled(self._label(run, step_id), self._value(run, step_id))
                for step_id in sources.SCOPE_DETAIL
                if step_id in run.answers
            ]
            if issue is None and not parts:
                continue
            headline = (
                str(issue.value) if issue is not None else t.gettext("Scope of action (no issue)")
            )
            items.append(
                SummaryItem(
                    run_key(run.fact.id),
                    t.gettext("Scope of action: {issue}").format(issue=headline),
                    detail="\n".join(parts) or None,
                )
            )
        for run in self.recent:
            for dialogue_id, step_id in sources.THEME_STEPS:
                answer = run.answers.get(step_id) if run.fact.dialogue_id == dialogue_id else None
                if answer is not None:
                    items.append(
                        SummaryItem(
                            answer_key(answer.id),
                            labelled(self._label(run, step_id), self._value(run, step_id)),
                            detail=self._source(run),
                        )
                    )
        return tuple(items)

    def trends(self) -> tuple[TrendSeries, ...]:
        series = []
        for source in sources.TREND_SOURCES:
            key = trend_key(source.dialogue_id, source.step_id)
            if key in self.held:
                continue
            points: list[TrendPoint] = []
            low = high = 0.0
            step = None
            ordered = [
                r
                for r in sorted(self.runs, key=lambda r: (r.finished_at, r.fact.id))
                if r.fact.dialogue_id == source.dialogue_id
            ]
            for run in ordered:
                if run.fact.dialogue_id != source.dialogue_id:
                    continue
                answer, step = run.answers.get(source.step_id), run.step(source.step_id)
                if answer is None or step is None:
                    continue
                value = _numeric(step, answer.value)
                if value is None:
                    continue
                low, high = _range(step)
                points.append(TrendPoint(run.finished_at, value))
            if points and step is not None and step.kind is StepKind.CHOICE:
                last = next(r for r in reversed(ordered) if source.step_id in r.answers)
                self.latest_choice[key] = self._value(last, source.step_id)
            if points:
                label = self.t.gettext(_TREND_LABELS.get((source.dialogue_id, source.step_id), ""))
                series.append(TrendSeries(key, label, tuple(points), low, high))
        return tuple(series)

    def trend_item(self, series: TrendSeries) -> SummaryItem:
        t = self.t
        text = f"{series.label}: {_values_line(t, [p.value for p in series.points])}"
        if len(series.points) == 1:
            text += " " + t.gettext("(once)")
        now = self.latest_choice.get(series.key)
        if now is not None:
            text += " " + t.gettext("(now: {stage})").format(stage=now)
        # Each value with its date; a single value says it all in the line already.
        detail = (
            "\n".join(f"{_day(t, p.at)}: {_number(t, p.value)}" for p in series.points)
            if len(series.points) > 1
            else None
        )
        return SummaryItem(
            series.key,
            text,
            detail=detail,
            direction=self._since_meeting([(p.at, p.value) for p in series.points]),
        )

    def _since_meeting(self, points: Sequence[tuple[datetime, float]]) -> int | None:
        """The arrow a coach reads: the latest answer against the last one before the period
        (the last held meeting); None when there is no answer on both sides to compare."""
        before = [value for at, value in points if at < self.period_start]
        since = [value for at, value in points if at >= self.period_start]
        if not before or not since:
            return None
        return (since[-1] > before[-1]) - (since[-1] < before[-1])

    def plan(self) -> tuple[SummaryItem, ...]:
        t = self.t
        plans = [r for r in self.runs if r.fact.dialogue_id == sources.PLAN_DIALOGUE]
        if not plans:
            follow_ups = [r for r in self.recent if r.fact.dialogue_id == sources.PLAN_FOLLOW_UP]
            return tuple(self._follow_up_items(follow_ups[:1]))
        plan = max(plans, key=lambda r: (r.finished_at, r.fact.id))
        follow_ups = sorted(
            (
                r
                for r in self.runs
                if r.fact.dialogue_id == sources.PLAN_FOLLOW_UP and r.finished_at > plan.finished_at
            ),
            key=lambda r: (r.finished_at, r.fact.id),
        )
        items: list[SummaryItem] = []
        for index, goal_step in enumerate(sources.PLAN_GOALS):
            goal = plan.answers.get(goal_step)
            if goal is None:
                continue
            progress_step = sources.PLAN_PROGRESS[index]
            progress = [
                (r.finished_at, float(r.answers[progress_step].value))
                for r in follow_ups
                if progress_step in r.answers and isinstance(r.answers[progress_step].value, int)
            ]
            text = t.gettext("Goal {n}: {goal}").format(n=index + 1, goal=goal.value)
            direction = self._since_meeting(progress)
            if progress:
                shown = _values_line(t, [value for _, value in progress])
                text += " — " + t.gettext("progress (0–10): {values}").format(values=shown)
            else:
                text += " — " + t.gettext("not followed up yet")
            items.append(SummaryItem(answer_key(goal.id), text, direction=direction))
        for step_id in sources.PLAN_DETAIL:
            answer = plan.answers.get(step_id)
            if answer is not None:
                items.append(
                    SummaryItem(
                        answer_key(answer.id),
                        labelled(self._label(plan, step_id), self._value(plan, step_id)),
                    )
                )
        recent_follow_ups = [r for r in follow_ups if r.finished_at >= self.period_start]
        items += self._follow_up_items(recent_follow_ups[-1:])
        return tuple(items)

    def _follow_up_items(self, runs: Sequence[_Run]) -> list[SummaryItem]:
        return [
            SummaryItem(
                answer_key(run.answers[step_id].id),
                labelled(self._label(run, step_id), self._value(run, step_id)),
                detail=self._source(run),
            )
            for run in runs
            for step_id in sources.PLAN_FOLLOW_UP_DETAIL
            if step_id in run.answers
        ]

    def flags(self) -> tuple[SummaryItem, ...]:
        t, facts = self.t, self.facts
        items: list[SummaryItem] = []
        for run in self.recent:
            for step_id, answer in run.answers.items():
                step = run.step(step_id)
                if (
                    step is None
                    or not step.care
                    or not isinstance(answer.value, int)
                    or answer.value > facts.care_threshold
                ):
                    continue
                items.append(
                    SummaryItem(
                        answer_key(answer.id),
                        t.gettext("{label}: {value} of {high} on {date}").format(
                            label=_trim(self._label(run, step_id)),
                            value=answer.value,
                            high=step.max,
                            date=_day(t, run.finished_at),
                        ),
                        attention=True,
                    )
                )
        for c in self.commitments:
            dates = [e.at for e in c.events if e.kind == "not_yet"]
            if len(dates) >= 2:
                items.append(
                    SummaryItem(
                        commitment_key(c.id),
                        t.gettext("{text}: not yet, {n} times ({dates})").format(
                            text=quoted(t, _trim(c.text)),
                            n=len(dates),
                            dates=", ".join(_day(t, d) for d in dates),
                        ),
                        attention=True,
                    )
                )
        paused = facts.auto_paused_at
        if (
            paused is not None
            and PAUSED_KEY not in self.held
            and facts.relation.start <= paused <= facts.until
        ):
            items.append(
                SummaryItem(
                    PAUSED_KEY,
                    t.gettext(
                        "Hemmaplan paused their check-ins on {date}: several prompts in a row "
                        "went unanswered."
                    ).format(date=_day(t, paused)),
                    attention=True,
                )
            )
        return tuple(items)

    def earlier(self) -> tuple[SummaryItem, ...]:
        t = self.t
        items = []
        for run in self.recent:
            title = t.pgettext(run.dialogue.id, run.dialogue.title)
            lines = [
                labelled(self._label(run, step_id), self._value(run, step_id))
                for step_id in run.answers
            ]
            text = f"{_day(t, run.finished_at)} · {title}: {_shorten(self._gist(run), GIST_LENGTH)}"
            items.append(SummaryItem(run_key(run.fact.id), text, detail="\n".join(lines)))
        return tuple(items)

    def _gist(self, run: _Run) -> str:
        """A check-in's commitment and result; else the first free-text answer of a run, else
        its first answer as shown."""
        about = run.fact.material.commitment
        first = next(iter(run.answers))
        if about is not None:
            return f"{quoted(self.t, _trim(about.text))}: {self._value(run, first)}"
        for step_id in run.answers:
            step = run.step(step_id)
            if step is not None and step.kind is StepKind.TEXT:
                return self._value(run, step_id)
        return labelled(self._label(run, first), self._value(run, first))

    def note(self) -> tuple[Section, ...]:
        note = (self.facts.note or "").strip()
        if not note or NOTE_KEY in self.held:
            return ()
        title = self.t.gettext("A note from {name}").format(name=self.facts.client_name)
        return (Section(SectionCode.NOTE, title, (SummaryItem(NOTE_KEY, note),)),)

    # -- helpers ---------------------------------------------------------------------------------

    def _label(self, run: _Run, step_id: str) -> str:
        # A scale followed over time has one name in the whole summary: its trend's.
        trend = _TREND_LABELS.get((run.fact.dialogue_id, step_id))
        if trend is not None:
            return self.t.gettext(trend)
        step = run.step(step_id)
        return step_label(run.dialogue, step, self.t) if step is not None else step_id

    def _value(self, run: _Run, step_id: str) -> str:
        step, answer = run.step(step_id), run.answers[step_id]
        if step is None:
            return str(answer.value)
        if step.kind is StepKind.SCALE and isinstance(answer.value, int):
            return self.t.gettext("{value} of {high}").format(value=answer.value, high=step.max)
        return format_answer(run.dialogue, step, answer.value, self.t)

    def _source(self, run: _Run) -> str:
        title = self.t.pgettext(run.dialogue.id, run.dialogue.title)
        return f"{title}, {_day(self.t, run.finished_at)}"


def meeting_when(t: Translator, starts_at: datetime) -> str:
    """A meeting's weekday and moment in the house style, in the reader's zone ("Tuesday
    Dec 8, 2026 14:00 (Stockholm)")."""
    return f"{t.format_date(starts_at, 'EEEE')} {t.format_when(starts_at)}"


def _visible_runs(facts: SummaryFacts, catalog: DialogueCatalog) -> list[_Run]:
    """The runs this coach may see, each with only its shared answers (held-back ones gone)."""
    start, end = facts.relation.start, facts.relation.end
    limit = facts.until if end is None else min(facts.until, end)
    visible = []
    for run in facts.runs:
        finished = run.finished_at
        if (
            run.status != "finished"
            or finished is None
            or not start <= finished <= limit
            or run.meeting_kind == BACKSTAGE
            or run.dialogue_id not in catalog
            or run_key(run.id) in facts.held_back
        ):
            continue
        dialogue = catalog.get(run.dialogue_id)
        if sources.COACHING_AUDIENCE not in dialogue.audience:
            continue
        answers = {
            a.step_id: a
            for a in run.answers
            if a.visibility == SHARED_WITH_COACH
            and start <= a.created_at <= limit
            and answer_key(a.id) not in facts.held_back
        }
        if answers:
            visible.append(_Run(run, bind(dialogue, run.material), answers))
    return visible


def _visible_commitment(
    c: CommitmentFact, runs: dict[int, _Run], facts: SummaryFacts, carried: bool
) -> CommitmentFact | None:
    """The commitment as the coach may see it, or None: it must come from a shared answer of a
    run the coach sees; check-ins given in a run pass only if that run shared them. `carried`:
    its rest became a new commitment (it is then closed as partly done, not open)."""
    made_in = runs.get(c.run_id) if c.run_id is not None else None
    if made_in is None or c.created_at > facts.until:
        return None
    if not any(a.value == c.text for a in made_in.answers.values()):
        return None  # the answer it was made from is only for the client (or held back)
    events = []
    for event in c.events:
        if event.at > facts.until:
            continue
        if event.kind == "created" or event.run_id is None:
            events.append(event)  # made with the commitment, or a button in /commitments
            continue
        run = runs.get(event.run_id)
        if run is None or not _status_shared(run, event.kind):
            continue
        note_shared = any(a.value == event.note for a in run.answers.values())
        events.append(event if note_shared else _without_note(event))
    status, due = "open", c.due_date
    for event in events:
        if event.kind in ("done", "dropped"):
            status = event.kind
        elif event.kind in ("partly", "not_yet", "reopened", "moved"):
            status = "open"
    if c.status != "open" and status == "open" and events and events[-1].kind == c.status:
        status = c.status
    if carried and c.status != "open" and status == "open" and events[-1].kind == "partly":
        status = CARRIED
    return CommitmentFact(
        id=c.id,
        text=c.text,
        due_date=due,
        status=status,
        created_at=c.created_at,
        run_id=c.run_id,
        done_when=c.done_when,
        events=tuple(events),
        parent_id=c.parent_id,
    )


def _status_shared(run: _Run, kind: str) -> bool:
    """True if the run shared a check-in answer with this result."""
    status_steps = {
        spec.status for spec in run.dialogue.effects if isinstance(spec, RecordCheckSpec)
    }
    return any(
        answer.value == kind and step_id.split(".", 1)[0] in status_steps
        for step_id, answer in run.answers.items()
    )


def _without_note(event: EventFact) -> EventFact:
    return EventFact(event.kind, event.at, event.due_date, None, event.run_id)


def _first_due(c: CommitmentFact) -> date:
    created = next((e for e in c.events if e.kind == "created" and e.due_date), None)
    return created.due_date if created is not None and created.due_date else c.due_date


def _not_yet_count(c: CommitmentFact) -> int:
    return sum(1 for e in c.events if e.kind == "not_yet")


def _numeric(step: Step, value: object) -> float | None:
    """A scale's number, or an ordered choice's position (1 = first option)."""
    if step.kind is StepKind.SCALE and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if step.kind is StepKind.CHOICE and step.ordered:
        values = [option.value for option in step.options]
        return float(values.index(str(value)) + 1) if str(value) in values else None
    return None


def _range(step: Step) -> tuple[float, float]:
    if step.kind is StepKind.CHOICE:
        return 1.0, float(len(step.options))
    return float(step.min), float(step.max)


def _values_line(t: Translator, values: Sequence[float]) -> str:
    """The latest values, oldest first ("5 · 6 · 4"); the renderers draw the item's direction
    as its arrow."""
    shown = [_number(t, v) for v in values[-TREND_VALUES_SHOWN:]]
    if len(values) > len(shown):
        shown.insert(0, "…")
    return " · ".join(shown)


def _number(t: Translator, value: float) -> str:
    return t.format_number(int(value)) if value == int(value) else t.format_number(value)


def _day(t: Translator, value: date | datetime) -> str:
    """A day in the house style, as every date is written (`format_date`)."""
    return t.format_date(value)


def _trim(text: str) -> str:
    """A client's text without the full stop or colon it ends with, so that a label or a colon
    glued after it does not double the punctuation ("… får se.: Partly")."""
    text = text.rstrip()
    if text.endswith((".", ":")) and not text.endswith(".."):
        text = text[:-1].rstrip()
    return text


def labelled(label: str, value: str) -> str:
    """ "Label: value", where the label may end with a client's own words (a commitment);
    after a question or exclamation mark (or an ellipsis) no colon is added."""
    label = _trim(label)
    if label.endswith(("?", "!", "…", "..")):
        return f"{label} {value}"
    return f"{label}: {value}"


def quoted(t: Translator, text: str) -> str:
    """The client's own words in the reader's quotation marks."""
    return t.gettext("“{text}”").format(text=text)


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def shared_keys(summary: Summary) -> list[tuple[str, str]]:
    """(key, text) of every item a client can hold back, once each, in reading order."""
    seen: set[str] = set()
    found = []
    for item in _items(summary.sections):
        if item.key not in seen and item.key != NOTE_KEY:
            seen.add(item.key)
            found.append((item.key, item.text))
    return found


def _items(sections: Iterable[Section]) -> Iterable[SummaryItem]:
    for section in sections:
        yield from section.items
