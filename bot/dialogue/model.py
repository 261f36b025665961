"""The dialogue model: frozen dataclasses describing one dialogue as loaded from YAML."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.dialogue.material import CommitmentItem, MaterialKind

# JSON-ish scalar values a condition can compare an answer with.
ConditionValue = str | int | bool | tuple[str | int | bool, ...] | None

RECAP_CURSOR = "@recap"
# A step asked once per item (`for_each`) gets the id `<step id>.<item id>` for each item.
INSTANCE_SEPARATOR = "."
# Quick-pick date button for the person's next meeting (besides day offsets).
NEXT_MEETING = "next_meeting"
DEFAULT_MAX_LENGTH = 2000
MAX_MAX_LENGTH = 3500


class StepKind(StrEnum):
    """What kind of answer a step asks for."""

    TEXT = "text"
    SCALE = "scale"
    CHOICE = "choice"
    MULTI = "multi"
    DATE = "date"
    YESNO = "yesno"
    INFO = "info"


class ConditionOp(StrEnum):
    """The operators of a `when:` condition."""

    EQUALS = "equals"
    NOT_EQUALS = "not_equals"
    IN = "in"
    LT = "lt"
    LTE = "lte"
    GT = "gt"
    GTE = "gte"
    ANSWERED = "answered"
    ALL = "all"
    ANY = "any"


@dataclass(frozen=True)
class Option:
    """One option of a choice or multi step (value is stored, label is shown)."""

    value: str
    label: str


@dataclass(frozen=True)
class Condition:
    """A `when:` condition: a comparison on an earlier step, or all/any of sub-conditions."""

    op: ConditionOp
    step: str | None = None
    value: ConditionValue = None
    children: tuple[Condition, ...] = ()

    def referenced_steps(self) -> tuple[str, ...]:
        """All step ids this condition looks at."""
        if self.op in (ConditionOp.ALL, ConditionOp.ANY):
            return tuple(s for child in self.children for s in child.referenced_steps())
        return (self.step,) if self.step is not None else ()


@dataclass(frozen=True)
class Shows:
    """What a question shows above itself: the run's commitment, an earlier answer (the
    first answered of `answers`, for branches that ask the same thing in different steps), or
    a goal of the development plan by number (the step is left out when the plan lacks it)."""

    commitment: bool = False
    answers: tuple[str, ...] = ()
    plan_goal: int | None = None


@dataclass(frozen=True)
class Step:
    """One question (or information screen) of a dialogue."""

    id: str
    kind: StepKind
    prompts: tuple[str, ...]
    help: str | None = None
    optional: bool = False
    private: bool = False
    sensitive: bool = False
    summary: str | None = None
    when: Condition | None = None
    max_length: int = DEFAULT_MAX_LENGTH
    min: int = 0
    max: int = 10
    min_label: str | None = None
    max_label: str | None = None
    care: bool = False
    # Choice only: the options run from low to high, so repeated answers form a trend.
    ordered: bool = False
    # Yes/no only: "yes" lets the person's Backstage group see the run's shared answers.
    share_with_group: bool = False
    options: tuple[Option, ...] = ()
    min_choices: int = 1
    max_choices: int | None = None
    min_days: int = 0
    max_days: int = 365
    # Date only: the quick-pick buttons (day offsets and/or NEXT_MEETING); None = the defaults.
    picks: tuple[int | str, ...] | None = None
    shows: Shows | None = None
    # Asked once per item of this material (e.g. each open commitment), showing the item.
    for_each: MaterialKind | None = None
    # Set on the per-item copies of a for_each step: the item this copy asks about.
    item: CommitmentItem | None = None
    line: int = 0

    @property
    def base_id(self) -> str:
        """The id in the dialogue file (a per-item copy shares it with its siblings)."""
        return self.id.split(INSTANCE_SEPARATOR, 1)[0]

    @property
    def label(self) -> str:
        """The (untranslated) label used in the recap: `summary` or the first phrasing."""
        return self.summary if self.summary is not None else self.prompts[0]

    @property
    def effective_max_choices(self) -> int:
        """The largest number of options a multi step accepts."""
        return self.max_choices if self.max_choices is not None else len(self.options)

    @property
    def answerable(self) -> bool:
        """Whether the step records an answer (info steps do not)."""
        return self.kind is not StepKind.INFO

    def option(self, value: str) -> Option | None:
        """The option with this value, if any."""
        for option in self.options:
            if option.value == value:
                return option
        return None


@dataclass(frozen=True)
class Recap:
    """The recap shown before the person confirms; steps=None means all answered steps."""

    title: str | None = None
    steps: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CommitmentEffectSpec:
    """Create a commitment from the answers of these steps when the recap is confirmed;
    `parent` makes it the rest of the run's commitment (after a "partly")."""

    text: str
    due: str
    done_when: str | None = None
    parent: bool = False
    line: int = 0


@dataclass(frozen=True)
class RecordCheckSpec:
    """Record a check-in on the run's commitment (or on each item of a for_each status step):
    the status from `status`, a new date from `new_due`, a note from the first answered of
    `note`."""

    status: str
    new_due: str | None = None
    note: tuple[str, ...] = ()
    line: int = 0


EffectSpec = CommitmentEffectSpec | RecordCheckSpec


@dataclass(frozen=True)
class Dialogue:
    """A whole dialogue: metadata, ordered steps, recap and effects."""

    id: str
    version: int
    title: str
    summary: str
    steps: tuple[Step, ...]
    audience: tuple[str, ...] = ("coaching",)
    minutes: int | None = None
    order: int | None = None
    recap: Recap = field(default_factory=Recap)
    effects: tuple[EffectSpec, ...] = ()
    # What the service loads from storage for a run of this dialogue.
    material: tuple[MaterialKind, ...] = ()
    source: str = ""

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError if there is none).

        A per-item id (`status.12`) of an unbound dialogue resolves to its for_each step, so a
        stored answer can always be labelled.
        """
        for candidate in self.steps:
            if candidate.id == step_id:
                return candidate
        base = step_id.split(INSTANCE_SEPARATOR, 1)[0]
        if base != step_id:
            for candidate in self.steps:
                if candidate.id == base and candidate.for_each is not None:
                    return candidate
        raise KeyError(step_id)

    def has_step(self, step_id: str) -> bool:
        """Whether a step with this id exists (see `step`)."""
        try:
            self.step(step_id)
        except KeyError:
            return False
        return True

    def needs(self, kind: MaterialKind) -> bool:
        """Whether runs of this dialogue load this material."""
        return kind in self.material

    def index(self, step_id: str) -> int:
        """The position of a step (KeyError if there is none)."""
        for position, candidate in enumerate(self.steps):
            if candidate.id == step_id:
                return position
        raise KeyError(step_id)
