"""The summary as data: what a coach or facilitator receives before a meeting, in reading order.

Every text is already localized for the reader (language, time zone) when the model is built, so
renderers never translate. Items carry a stable `key` so a client can hold single items back in
the preview and the choice survives re-composition (a re-plan, a restart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class SectionCode(StrEnum):
    """The sections of a summary, in the order a coach reads them."""

    BRING = "bring"  # what the client wants to bring to the meeting
    COMMITMENTS = "commitments"  # made or due in the interval, with their history
    SCOPE = "scope"  # the scope-of-action map (handlingsfrihet) and themes raised
    TRENDS = "trends"  # scales over the whole engagement, as numbers with arrows
    PLAN = "plan"  # development plan progress
    FLAGS = "flags"  # what deserves the coach's attention
    EARLIER = "earlier"  # earlier reflections of the interval, one line each
    NOTE = "note"  # the client's own note to the coach, added in the preview
    # Backstage (the facilitator's view): the case owner and brief, each member's status.
    CASE = "case"
    MEMBERS = "members"


class SummaryStatus(StrEnum):
    """How the content was released to the reader."""

    APPROVED = "approved"  # the client approved the preview (possibly holding items back)
    AUTO = "auto"  # the client turned on automatic sharing
    PENDING = "pending"  # not (yet) approved: only what was shared earlier is shown
    DECLINED = "declined"  # the client chose not to share before this meeting
    PREVIEW = "preview"  # the client's own preview of what would be sent


@dataclass(frozen=True)
class SummaryItem:
    """One line of a section; `detail` is the full text shown on request (or in the PDF)."""

    key: str  # stable identity, e.g. "answer:123", "commitment:7", "flag:energy:45"
    text: str
    detail: str | None = None
    # A direction for trend-like lines: +1 rising, -1 falling, 0 flat, None not comparable.
    direction: int | None = None
    # A flag or item that deserves attention (drawn in bold or with a marker).
    attention: bool = False


@dataclass(frozen=True)
class Section:
    """A titled part of the summary; an empty section is left out by renderers."""

    code: SectionCode
    title: str
    items: tuple[SummaryItem, ...] = ()
    # A sentence shown when the section has no items but should still be there ("No commitments
    # were due in this period."); None = leave the section out when empty.
    empty_text: str | None = None


@dataclass(frozen=True)
class TrendPoint:
    """One value of a scale at the time its reflection was finished."""

    at: datetime
    value: float


@dataclass(frozen=True)
class TrendSeries:
    """A scale over the engagement (role, energy, collaboration, maturity stage ...)."""

    key: str  # "<dialogue_id>:<step_id>"
    label: str
    points: tuple[TrendPoint, ...]
    low: float  # the scale's lowest and highest values (for the chart's axis)
    high: float

    @property
    def direction(self) -> int:
        """+1 rising, -1 falling, 0 flat (last point against the one before it)."""
        if len(self.points) < 2:
            return 0
        before, last = self.points[-2].value, self.points[-1].value
        return (last > before) - (last < before)


@dataclass(frozen=True)
class SummaryHeader:
    """Who, for which meeting, over which period: the first lines a reader sees."""

    title: str  # "Inför mötet med Klara" / "Before your meeting with Klara"
    client_name: str
    lines: tuple[str, ...]  # next meeting (weekday, time, reader's zone), period, count ...
    next_meeting_at: datetime | None = None
    period_start: datetime | None = None
    reflections_since: int = 0


@dataclass(frozen=True)
class Summary:
    """A composed summary for one reader about one client (or one group meeting)."""

    header: SummaryHeader
    sections: tuple[Section, ...]
    trends: tuple[TrendSeries, ...] = ()
    status: SummaryStatus = SummaryStatus.PENDING
    # A localized sentence about the status ("Klara approved this on 3 Dec", "Klara chose not
    # to share before this meeting; what she shared earlier is shown"), None when nothing to say.
    status_text: str | None = None
    language: str = "sv"
    # Localized labels the renderers need besides the data (chart title, axis, "page N" ...).
    labels: dict[str, str] = field(default_factory=dict)

    def section(self, code: SectionCode) -> Section | None:
        """The section with this code, if present."""
        return next((s for s in self.sections if s.code == code), None)

    def item_keys(self) -> set[str]:
        """Every item's key (what a client can hold back)."""
        return {item.key for section in self.sections for item in section.items}
