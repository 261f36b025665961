"""Effects: what the engine asks the services to do, as small JSON-serialisable values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CreateCommitment:
    """Create a commitment (åtagande) with a due date when the recap is confirmed."""

    text: str
    due: date
    done_when: str | None = None
    # The commitment this one carries on (the rest of a "partly" one).
    parent_id: int | None = None

    def to_json(self) -> dict[str, str | int | None]:
        """This effect as plain JSON."""
        return {
            "type": "create_commitment",
            "text": self.text,
            "due": self.due.isoformat(),
            "done_when": self.done_when,
            "parent_id": self.parent_id,
        }


@dataclass(frozen=True)
class RecordCheck:
    """Record how a commitment went (done, partly, not_yet, dropped) when the recap is confirmed;
    `new_due` moves an open one, `note` is what helped or got in the way."""

    commitment_id: int
    result: str
    new_due: date | None = None
    note: str | None = None

    def to_json(self) -> dict[str, str | int | None]:
        """This effect as plain JSON."""
        return {
            "type": "record_check",
            "commitment_id": self.commitment_id,
            "result": self.result,
            "new_due": self.new_due.isoformat() if self.new_due else None,
            "note": self.note,
        }


@dataclass(frozen=True)
class CareNotice:
    """A care-marked scale was answered at or below the threshold; help was pointed to."""

    step_id: str
    value: int

    def to_json(self) -> dict[str, str | int | None]:
        """This effect as plain JSON."""
        return {"type": "care_notice", "step_id": self.step_id, "value": self.value}


@dataclass(frozen=True)
class Finished:
    """The person confirmed the recap; the run is complete."""

    def to_json(self) -> dict[str, str | int | None]:
        """This effect as plain JSON."""
        return {"type": "finished"}


@dataclass(frozen=True)
class Cancelled:
    """The person cancelled the run."""

    def to_json(self) -> dict[str, str | int | None]:
        """This effect as plain JSON."""
        return {"type": "cancelled"}


Effect = CreateCommitment | RecordCheck | CareNotice | Finished | Cancelled
