"""The dialogue file format, declared once: what every key may hold, how keys relate, what is
translated, and what a stored answer of each step kind looks like.

The pydantic models check the shape of every value (types, limits, which keys a step kind
takes); `problems()` checks what one value cannot know alone (a condition on an earlier step, a
date pick inside its step's range, an effect naming a step of the right kind). The loader turns
both into `path:line` messages and converts a valid file into the engine's model
(`bot.dialogue.model`); the Babel extractor finds the texts to translate through the
`Translatable` marks; the engine checks stored answers with `answer_problem`.

An error raised here carries a message template: `{what}` is filled in by the loader with the
name of the value where it happened ("prompt of step 'goal'"), the rest from the error's context.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    Tag,
    model_validator,
)
from pydantic_core import PydanticCustomError

from bot.dialogue.material import MAX_PLAN_GOALS, MaterialKind
from bot.dialogue.model import (
    DEFAULT_MAX_LENGTH,
    MAX_MAX_LENGTH,
    NEXT_MEETING,
    CommitmentEffectSpec,
    Condition,
    ConditionOp,
    ConditionValue,
    Dialogue,
    EffectSpec,
    Option,
    Recap,
    RecordCheckSpec,
    Shows,
    Step,
    StepKind,
)
from bot.dialogue.yaml_tree import Path, type_name

ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
AUDIENCES = ("coaching", "backstage")
MAX_STEPS = 12
MAX_PHRASINGS = 5
MIN_OPTIONS, MAX_OPTIONS = 2, 10
MAX_PICKS = 5
TITLE_LIMIT = 40
SUMMARY_LIMIT = 120
LABEL_LIMIT = 60  # an option label must fit on a Telegram button
STEP_SUMMARY_LIMIT = 80
RECAP_TITLE_LIMIT = 80
TEXT_LIMIT = 1000  # prompt and help texts
DAYS_LIMIT = 3650
# The answers a check-in status may have (a record_check status step's option values).
CHECK_RESULTS = ("done", "partly", "not_yet", "dropped")
COMPARISONS = ("lt", "lte", "gt", "gte")
OPERATORS = ("equals", "not_equals", "in", *COMPARISONS, "answered")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")

# A problem found by `problems()`: where (relative to the object that found it) and what.
Finding = tuple[Path, str]


# -- what a value may be -----------------------------------------------------------------------


def fail(template: str, **values: Any) -> PydanticCustomError:
    """A validation error whose message the loader completes (`{what}` and the values)."""
    context = {"template": template, **{key: str(value) for key, value in values.items()}}
    return PydanticCustomError("dialogue_format", template, context)


class Translatable:
    """Marks a text field the catalogs translate; `note` tells translators where it is shown."""

    __slots__ = ("note",)

    def __init__(self, note: str) -> None:
        self.note = note


def _identifier(value: object) -> str:
    if not isinstance(value, str):
        raise fail("{what} must be an id (text), got {type}", type=type_name(value))
    if not ID_PATTERN.match(value):
        raise fail(
            "{what} {value} is not a valid id (lowercase letter, then a-z, 0-9 or _)",
            value=repr(value),
        )
    return value


def _text(limit: int) -> AfterValidator:
    def check(value: str) -> str:
        if not value.strip():
            raise fail("{what} must not be empty")
        if len(value) > limit:
            raise fail(
                "{what} is {length} characters long; at most {limit} allowed",
                length=len(value),
                limit=limit,
            )
        return value

    return AfterValidator(check)


def _range(low: int | None, high: int | None) -> AfterValidator:
    def check(value: int) -> int:
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                raise fail("{what} must be at least {low}, got {value}", low=low, value=value)
            if low is None:
                raise fail("{what} must be at most {high}, got {value}", high=high, value=value)
            raise fail(
                "{what} must be between {low} and {high}, got {value}",
                low=low,
                high=high,
                value=value,
            )
        return value

    return AfterValidator(check)


def _count(low: int, high: int | None, few: str, many: str | None = None) -> AfterValidator:
    """How many items a list holds; `few`/`many` are the messages for too few/too many."""

    def check(items: list[Any]) -> list[Any]:
        count = len(items)
        if count < low or (high is not None and count > high):
            template = few if count < low or many is None else many
            raise fail(template, low=low, high=high, count=count)
        return items

    return AfterValidator(check)


def _one_of(*allowed: str, template: str | None = None) -> PlainValidator:
    names = ", ".join(allowed)
    if template is None:
        template = (
            "{what} must be {allowed}, got {value}"
            if len(allowed) == 1
            else "{what} {value} is not one of: {allowed}"
        )

    def check(value: object) -> str:
        if isinstance(value, str) and value in allowed:
            return value
        shown = repr(value) if isinstance(value, str) else type_name(value)
        raise fail(template, allowed=names if len(allowed) > 1 else repr(allowed[0]), value=shown)

    return PlainValidator(check)


def _as_list(value: object) -> object:
    """One item may be written without the list around it (`note: reason`)."""
    return value if isinstance(value, list) else [value]


def _pick(value: object) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if value == NEXT_MEETING:
        return NEXT_MEETING
    raise fail(
        "a pick of {owner} is a number of days or {meeting}, got {type}",
        meeting=repr(NEXT_MEETING),
        type=type_name(value),
    )


Id = Annotated[str, PlainValidator(_identifier)]
Whole = Annotated[int, Field(strict=True)]
# What a condition compares with is checked against the kind of the step it looks at.
Scalar = Any
Pick = Annotated[int | str, PlainValidator(_pick)]


class Spec(BaseModel):
    """A part of a dialogue file: unknown keys are errors and nothing is converted silently
    (`"3"` is no number, `yes` is no text)."""

    # Built on first use: only the models a file actually needs are compiled, once.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

    @classmethod
    def note_context(cls, data: dict[str, Any]) -> str | None:
        """What translator comments of texts inside this part start with (None: nothing)."""
        return None


def _unloaded(doing: str, kind: MaterialKind, which: str = "one") -> str:
    """The message for a part that uses material the dialogue does not load."""
    return f"{doing}, but the dialogue does not load {which} (add `material: [{kind.value}]`)"


def prefixed(prefix: Path, findings: Iterable[Finding]) -> Iterator[Finding]:
    """Findings of a part, with their paths made relative to its owner."""
    for path, message in findings:
        yield (*prefix, *path), message


# -- conditions --------------------------------------------------------------------------------


class Scope:
    """What a step's relations are checked against."""

    def __init__(self, material: frozenset[str], ids: frozenset[str]) -> None:
        self.material = material
        # Every step id of the file, to tell "comes later" from "does not exist".
        self.ids = ids
        # The steps before the current one by id (None: that step has problems of its own).
        self.earlier: dict[str, StepBase | None] = {}


class AllOf(Spec):
    """`{all: [...]}`: every sub-condition holds."""

    all_of: Annotated[
        list["ConditionSpec"],
        Field(alias="all"),
        _count(1, None, "'all' needs at least one condition"),
    ]

    def problems(self, scope: Scope, what: str) -> Iterator[Finding]:
        """Problems of the sub-conditions."""
        for index, child in enumerate(self.all_of):
            yield from prefixed(("all", index), child.problems(scope, what))

    def to_condition(self) -> Condition:
        """The engine's condition."""
        children = tuple(child.to_condition() for child in self.all_of)
        return Condition(ConditionOp.ALL, children=children)


class AnyOf(Spec):
    """`{any: [...]}`: at least one sub-condition holds."""

    any_of: Annotated[
        list["ConditionSpec"],
        Field(alias="any"),
        _count(1, None, "'any' needs at least one condition"),
    ]

    def problems(self, scope: Scope, what: str) -> Iterator[Finding]:
        """Problems of the sub-conditions."""
        for index, child in enumerate(self.any_of):
            yield from prefixed(("any", index), child.problems(scope, what))

    def to_condition(self) -> Condition:
        """The engine's condition."""
        children = tuple(child.to_condition() for child in self.any_of)
        return Condition(ConditionOp.ANY, children=children)


class Compare(Spec):
    """`{step: <earlier step>, <operator>: <value>}` with exactly one operator."""

    step: Id
    equals: Scalar | None = None
    not_equals: Scalar | None = None
    in_: Annotated[list[Scalar], _count(1, None, "{what} needs at least one value")] | None = Field(
        default=None, alias="in"
    )
    lt: Whole | None = None
    lte: Whole | None = None
    gt: Whole | None = None
    gte: Whole | None = None
    answered: bool | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Self:
        if len(self.operators()) != 1:
            raise fail("{what} needs exactly one of: {names}, all, any", names=", ".join(OPERATORS))
        return self

    def operators(self) -> list[str]:
        """The operators given (one, once valid)."""
        return [name for name in OPERATORS if getattr(self, _attribute(name)) is not None]

    def problems(self, scope: Scope, what: str) -> Iterator[Finding]:
        """The step must come earlier, and the value must suit its kind."""
        if self.step not in scope.earlier:
            if self.step in scope.ids:
                message = (
                    f"{what} refers to step {self.step!r}, which does not come before it "
                    "(conditions may only look at earlier steps)"
                )
                yield ("step",), message
            else:
                yield ("step",), f"{what} refers to unknown step {self.step!r}"
            return
        ref = scope.earlier[self.step]
        if ref is None:
            return  # the step has problems of its own; its kind cannot be trusted
        op = self.operators()[0]
        value = getattr(self, _attribute(op))
        if isinstance(ref, InfoStep):
            yield (op,), f"{what} looks at info step {ref.id!r}, which has no answer"
        elif op in COMPARISONS:
            if not isinstance(ref, ScaleStep):
                yield (op,), f"{op!r} compares numbers, but step {ref.id!r} is a {ref.kind} step"
        elif op == "in":
            for index, item in enumerate(value):
                problem = ref.compare_problem(item, op)
                if problem is not None:
                    yield (op, index), problem
        elif op != "answered":
            problem = ref.compare_problem(value, op)
            if problem is not None:
                yield (op,), problem

    def to_condition(self) -> Condition:
        """The engine's condition."""
        op = self.operators()[0]
        value = getattr(self, _attribute(op))
        compared: ConditionValue = tuple(value) if isinstance(value, list) else value
        return Condition(ConditionOp(op), step=self.step, value=compared)


def _attribute(operator: str) -> str:
    return "in_" if operator == "in" else operator


def _condition_form(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    if "all" in value:
        return "<all>"
    return "<any>" if "any" in value else "<compare>"


ConditionSpec = Annotated[
    Annotated[AllOf, Tag("<all>")]
    | Annotated[AnyOf, Tag("<any>")]
    | Annotated[Compare, Tag("<compare>")],
    Discriminator(
        _condition_form,
        custom_error_type="condition_form",
        custom_error_message="a condition is a mapping",
    ),
]


# -- what a question shows ---------------------------------------------------------------------


class ShowsAnswer(Spec):
    """`shows: {answer: <earlier step or list of steps>}`."""

    answer: Annotated[
        list[Id],
        BeforeValidator(_as_list),
        _count(1, None, "{owner} must show at least one answer"),
    ]


class ShowsPlanGoal(Spec):
    """`shows: {plan_goal: N}`: goal N of the person's latest development plan."""

    plan_goal: Annotated[Whole, _range(1, MAX_PLAN_GOALS)]


def _shows_form(value: Any) -> str | None:
    if isinstance(value, str):
        return "<commitment>"
    if isinstance(value, dict):
        return "<plan_goal>" if "plan_goal" in value else "<answer>"
    return None


ShowsSpec = Annotated[
    Annotated[
        str,
        _one_of(
            MaterialKind.COMMITMENT.value,
            template="{what} must be 'commitment', {answer: <step>} or {plan_goal: <number>}, "
            "got {value}",
        ),
        Tag("<commitment>"),
    ]
    | Annotated[ShowsAnswer, Tag("<answer>")]
    | Annotated[ShowsPlanGoal, Tag("<plan_goal>")],
    Discriminator(
        _shows_form,
        custom_error_type="shows_form",
        custom_error_message="shows is 'commitment', {answer: <step>} or {plan_goal: <1-3>}",
    ),
]


# -- steps -------------------------------------------------------------------------------------


class OptionSpec(Spec):
    """One option of a choice or multi step: `{value: <id>, label: "<text>"}`."""

    value: Id
    label: Annotated[str, _text(LABEL_LIMIT), Translatable("")]

    @classmethod
    def note_context(cls, data: dict[str, Any]) -> str | None:
        """Translators see which option a label belongs to."""
        value = data.get("value")
        return f"option {value if isinstance(value, str) else '?'}"


Prompts = Annotated[
    list[Annotated[str, _text(TEXT_LIMIT)]],
    BeforeValidator(_as_list),
    _count(1, MAX_PHRASINGS, "{what} needs {low} to {high} phrasings, got {count}"),
    Translatable("question"),
]


class StepBase(Spec):
    """Keys every step may have."""

    KIND: ClassVar[StepKind]
    kind: str
    id: Id
    prompt: Prompts
    help: Annotated[str, _text(TEXT_LIMIT), Translatable("help")] | None = None
    when: ConditionSpec | None = None
    shows: ShowsSpec | None = None

    @classmethod
    def note_context(cls, data: dict[str, Any]) -> str | None:
        """Translators see the step's id and kind."""
        step_id, kind = data.get("id"), data.get("kind")
        step_id = step_id if isinstance(step_id, str) else "?"
        return f"step: {step_id} ({kind if isinstance(kind, str) else '?'})"

    @property
    def walked(self) -> bool:
        """Whether the step is asked once per item of material (no single answer)."""
        return False

    def problems(self, scope: Scope, whole: bool = True) -> Iterator[Finding]:
        """What the step's keys say about earlier steps and material, and (`whole`: none of its
        keys was left out for problems of its own) about each other."""
        what = f"step {self.id!r}"
        if len(set(self.prompt)) != len(self.prompt):
            yield ("prompt",), f"prompt of {what} repeats the same phrasing"
        if self.when is not None:
            yield from prefixed(("when",), self.when.problems(scope, f"the condition of {what}"))
        if self.shows is not None:
            yield from self._shows_problems(self.shows, scope, what)
        if whole:
            yield from self.kind_problems(what)

    def _shows_problems(
        self, shows: str | ShowsAnswer | ShowsPlanGoal, scope: Scope, what: str
    ) -> Iterator[Finding]:
        if isinstance(shows, ShowsPlanGoal):
            if MaterialKind.PLAN_GOALS.value not in scope.material:
                message = _unloaded(f"{what} shows a plan goal", MaterialKind.PLAN_GOALS, "them")
                yield ("shows", "plan_goal"), message
            return
        if isinstance(shows, str):
            if MaterialKind.COMMITMENT.value not in scope.material:
                message = _unloaded(f"{what} shows the commitment", MaterialKind.COMMITMENT)
                yield ("shows",), message
            return
        for index, ref_id in enumerate(shows.answer):
            at = ("shows", "answer", index)
            if ref_id not in scope.earlier:
                where = "does not come before it" if ref_id in scope.ids else "does not exist"
                yield at, f"{what} shows the answer of step {ref_id!r}, which {where}"
                continue
            ref = scope.earlier[ref_id]
            if ref is not None and (isinstance(ref, InfoStep) or ref.walked):
                yield at, f"{what} cannot show step {ref_id!r}: it has no single answer to show"

    def kind_problems(self, what: str) -> Iterator[Finding]:
        """Relations between the keys of one kind (none by default)."""
        return iter(())

    def compare_problem(self, value: object, op: str) -> str | None:
        """Why a condition cannot compare this step's answer with `value` (None: it can)."""
        if not isinstance(value, str):
            return (
                f"step {self.id!r} is a {self.kind} step; compare it with text, "
                f"got {type_name(value)}"
            )
        return None

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """Why `value` is no stored answer of `step`, a step of this kind (None: it is)."""
        return "info steps have no answers"

    def to_step(self, line: int) -> Step:
        """The engine's step."""
        values: dict[str, Any] = {}
        for name in type(self).model_fields:
            if name not in _CONVERTED:
                values[name] = getattr(self, name)
        return Step(
            id=self.id,
            kind=self.KIND,
            prompts=tuple(self.prompt),
            when=self.when.to_condition() if self.when is not None else None,
            shows=_shows(self.shows),
            line=line,
            **values,
            **self.converted(),
        )

    def converted(self) -> dict[str, Any]:
        """Engine values of the kind's keys that are not taken over as they are."""
        return {}


# Keys that `to_step` (or a kind's `converted`) turns into the engine's values.
_CONVERTED = frozenset({"kind", "id", "prompt", "when", "shows", "options", "for_each", "picks"})


def _shows(shows: str | ShowsAnswer | ShowsPlanGoal | None) -> Shows | None:
    if shows is None:
        return None
    if isinstance(shows, str):
        return Shows(commitment=True)
    if isinstance(shows, ShowsPlanGoal):
        return Shows(plan_goal=shows.plan_goal)
    return Shows(answers=tuple(shows.answer))


class InfoStep(StepBase):
    """`info`: shows the prompt and waits for "Continue"; records nothing."""

    KIND = StepKind.INFO
    kind: Literal["info"]


class AnswerStep(StepBase):
    """Keys for every kind that records an answer."""

    optional: bool = False
    private: bool = False
    sensitive: bool = False
    summary: Annotated[str, _text(STEP_SUMMARY_LIMIT), Translatable("summary label")] | None = None
    for_each: Annotated[str, _one_of(MaterialKind.OPEN_COMMITMENTS.value)] | None = None

    @property
    def walked(self) -> bool:
        """Whether the step is asked once per item of material (no single answer)."""
        return self.for_each is not None

    def problems(self, scope: Scope, whole: bool = True) -> Iterator[Finding]:
        """As every step's, and a walked step needs the material it walks."""
        yield from super().problems(scope, whole)
        if self.for_each is not None and self.for_each not in scope.material:
            walks = f"step {self.id!r} walks the open commitments"
            yield ("for_each",), _unloaded(walks, MaterialKind.OPEN_COMMITMENTS, "them")

    def converted(self) -> dict[str, Any]:
        """The material a walked step walks."""
        for_each = MaterialKind(self.for_each) if self.for_each is not None else None
        return {"for_each": for_each}


class TextStep(AnswerStep):
    """`text`: free text up to `max_length` characters."""

    KIND = StepKind.TEXT
    kind: Literal["text"]
    max_length: Annotated[Whole, _range(1, MAX_MAX_LENGTH)] = DEFAULT_MAX_LENGTH

    def compare_problem(self, value: object, op: str) -> str | None:
        """Text compares with text, but not with a list of texts."""
        problem = super().compare_problem(value, op)
        if problem is None and op == "in":
            return f"'in' cannot be used with text step {self.id!r}"
        return problem

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """A non-empty string within max_length."""
        if not isinstance(value, str) or not value.strip() or len(value) > step.max_length:
            return "text answer must be a non-empty string within max_length"
        return None


class ScaleStep(AnswerStep):
    """`scale`: a whole number from `min` to `max`."""

    KIND = StepKind.SCALE
    kind: Literal["scale"]
    min: Annotated[Whole, _range(0, 9)] = 0
    max: Annotated[Whole, _range(1, 10)] = 10
    min_label: Annotated[str, _text(LABEL_LIMIT), Translatable("min label")] | None = None
    max_label: Annotated[str, _text(LABEL_LIMIT), Translatable("max label")] | None = None
    care: bool = False

    def kind_problems(self, what: str) -> Iterator[Finding]:
        """The scale must have room: min below max."""
        if self.min >= self.max:
            at: Path = ("max",) if "max" in self.model_fields_set else ()
            yield at, f"min of {what} must be smaller than max (got {self.min} and {self.max})"

    def compare_problem(self, value: object, op: str) -> str | None:
        """A whole number on the scale."""
        if isinstance(value, bool) or not isinstance(value, int):
            return (
                f"step {self.id!r} is a scale; compare it with a whole number, "
                f"got {type_name(value)}"
            )
        if not self.min <= value <= self.max:
            return f"{value} is outside the scale of step {self.id!r} ({self.min} to {self.max})"
        return None

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """An integer on the scale."""
        if isinstance(value, bool) or not isinstance(value, int):
            return "scale answer must be an integer"
        if not step.min <= value <= step.max:
            return "scale answer out of range"
        return None


class OptionsStep(AnswerStep):
    """What choice and multi steps share: 2–10 options with unique values and labels."""

    options: Annotated[
        list[OptionSpec],
        _count(MIN_OPTIONS, MAX_OPTIONS, "{owner} needs {low} to {high} options, got {count}"),
    ]

    def kind_problems(self, what: str) -> Iterator[Finding]:
        """No two options with the same value or label."""
        values: set[str] = set()
        labels: set[str] = set()
        for index, option in enumerate(self.options):
            if option.value in values:
                message = f"duplicate option value {option.value!r} in {what}"
                yield ("options", index, "value"), message
            elif option.label in labels:
                message = f"duplicate option label {option.label!r} in {what}"
                yield ("options", index, "label"), message
            values.add(option.value)
            labels.add(option.label)

    def compare_problem(self, value: object, op: str) -> str | None:
        """One of the option values."""
        problem = super().compare_problem(value, op)
        if problem is None and all(option.value != value for option in self.options):
            values = ", ".join(option.value for option in self.options)
            return f"{value!r} is not an option of step {self.id!r} ({values})"
        return problem

    def converted(self) -> dict[str, Any]:
        """The options as the engine's."""
        options = tuple(Option(option.value, option.label) for option in self.options)
        return {**super().converted(), "options": options}


class ChoiceStep(OptionsStep):
    """`choice`: exactly one option."""

    KIND = StepKind.CHOICE
    kind: Literal["choice"]
    ordered: bool = False

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """One option value."""
        if not isinstance(value, str) or step.option(value) is None:
            return "choice answer must be an option value"
        return None


class MultiStep(OptionsStep):
    """`multi`: from `min_choices` to `max_choices` options."""

    KIND = StepKind.MULTI
    kind: Literal["multi"]
    min_choices: Whole = 1
    max_choices: Whole | None = None

    def kind_problems(self, what: str) -> Iterator[Finding]:
        """As every option step's, and the number of choices must fit the options."""
        yield from super().kind_problems(what)
        count, low, high = len(self.options), self.min_choices, self.max_choices
        if not 1 <= low <= count:
            message = f"min_choices of {what} must be between 1 and {count}, got {low}"
            yield ("min_choices",), message
        if high is not None and not 1 <= high <= count:
            message = f"max_choices of {what} must be between 1 and {count}, got {high}"
            yield ("max_choices",), message
        elif high is not None and 1 <= low <= count and high < low:
            message = f"max_choices of {what} ({high}) is smaller than min_choices ({low})"
            yield ("max_choices",), message

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """A list of distinct option values."""
        if not isinstance(value, list) or not all(
            isinstance(v, str) and step.option(v) is not None for v in value
        ):
            return "multi answer must be a list of option values"
        if len(set(value)) != len(value):
            return "multi answer repeats a value"
        return None


class DateStep(AnswerStep):
    """`date`: a day from `min_days` to `max_days` from today, with quick-pick buttons."""

    KIND = StepKind.DATE
    kind: Literal["date"]
    min_days: Annotated[Whole, _range(-DAYS_LIMIT, DAYS_LIMIT)] = 0
    max_days: Annotated[Whole, _range(-DAYS_LIMIT, DAYS_LIMIT)] = 365
    picks: (
        Annotated[
            list[Pick],
            _count(1, MAX_PICKS, "{what} needs {low} to {high} entries, got {count}"),
        ]
        | None
    ) = None

    def kind_problems(self, what: str) -> Iterator[Finding]:
        """The range must not be empty, and every pick inside it and listed once."""
        low, high = self.min_days, self.max_days
        if low > high:
            at: Path = ("max_days",) if "max_days" in self.model_fields_set else ()
            message = f"min_days of {what} must not be larger than max_days (got {low} and {high})"
            yield at, message
        seen: list[int | str] = []
        for index, pick in enumerate(self.picks or ()):
            if isinstance(pick, int) and not low <= pick <= high:
                message = f"pick {pick} of {what} is outside its range ({low} to {high} days)"
                yield ("picks", index), message
            elif pick in seen:
                yield ("picks", index), f"pick {pick!r} of {what} is listed twice"
            else:
                seen.append(pick)

    def compare_problem(self, value: object, op: str) -> str | None:
        """Dates are not compared."""
        return f"{op!r} cannot compare with date step {self.id!r}"

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """A real date written YYYY-MM-DD."""
        if not isinstance(value, str) or not _ISO_DATE.match(value):
            return "date answer must be YYYY-MM-DD"
        try:
            date.fromisoformat(value)
        except ValueError:
            return "date answer is not a real date"
        return None

    def converted(self) -> dict[str, Any]:
        """The quick picks as a tuple (None: the default buttons)."""
        picks = tuple(self.picks) if self.picks is not None else None
        return {**super().converted(), "picks": picks}


class YesNoStep(AnswerStep):
    """`yesno`: yes or no."""

    KIND = StepKind.YESNO
    kind: Literal["yesno"]
    share_with_group: bool = False

    def compare_problem(self, value: object, op: str) -> str | None:
        """true or false."""
        if not isinstance(value, bool):
            return (
                f"step {self.id!r} is a yes/no step; compare it with true or false, "
                f"got {type_name(value)}"
            )
        return None

    @classmethod
    def answer_problem(cls, step: Step, value: object) -> str | None:
        """A boolean."""
        return None if isinstance(value, bool) else "yes/no answer must be a boolean"


STEP_CLASSES: dict[str, type[StepBase]] = {
    cls.KIND.value: cls
    for cls in (TextStep, ScaleStep, ChoiceStep, MultiStep, DateStep, YesNoStep, InfoStep)
}


def _step_kind(value: Any) -> str | None:
    kind = value.get("kind") if isinstance(value, dict) else None
    return f"<{kind}>" if isinstance(kind, str) and kind in STEP_CLASSES else None


# Tags are written <kind> so that a validation error's location never reads like a key.
StepSpec = Annotated[
    Annotated[TextStep, Tag("<text>")]
    | Annotated[ScaleStep, Tag("<scale>")]
    | Annotated[ChoiceStep, Tag("<choice>")]
    | Annotated[MultiStep, Tag("<multi>")]
    | Annotated[DateStep, Tag("<date>")]
    | Annotated[YesNoStep, Tag("<yesno>")]
    | Annotated[InfoStep, Tag("<info>")],
    Discriminator(
        _step_kind,
        custom_error_type="step_kind",
        custom_error_message="a step has a known kind",
    ),
]


def answer_problem(step: Step, value: object) -> str | None:
    """Why `value` is no stored answer of `step` (None: it is one)."""
    return STEP_CLASSES[step.kind.value].answer_problem(step, value)


# -- recap and effects -------------------------------------------------------------------------


class RecapSpec(Spec):
    """`recap:` its title and which answers it lists, in which order."""

    title: Annotated[str, _text(RECAP_TITLE_LIMIT), Translatable("recap title")] | None = None
    steps: (
        Annotated[list[Id], _count(1, None, "recap steps must list at least one step")] | None
    ) = None

    def problems(self, steps: dict[str, StepBase | None]) -> Iterator[Finding]:
        """Every listed step exists, has an answer and is listed once."""
        listed: set[str] = set()
        for index, step_id in enumerate(self.steps or ()):
            at = ("steps", index)
            if step_id not in steps:
                yield at, f"recap refers to unknown step {step_id!r}"
                continue
            step = steps[step_id]
            if step is None:
                continue
            if isinstance(step, InfoStep):
                yield at, f"recap lists info step {step_id!r}, which has no answer"
            elif step_id in listed:
                yield at, f"recap lists step {step_id!r} twice"
            listed.add(step_id)

    def to_recap(self) -> Recap:
        """The engine's recap."""
        return Recap(self.title, tuple(self.steps) if self.steps is not None else None)


def _effect_step(
    step_id: str,
    steps: dict[str, StepBase | None],
    what: str,
    kind: type[StepBase],
    *,
    per_item: bool = False,
) -> str | None:
    """Why an effect cannot read this step (None: it can): it must exist and be of `kind`."""
    if step_id not in steps:
        return f"{what} refers to unknown step {step_id!r}"
    target = steps[step_id]
    if target is None:
        return None
    if not isinstance(target, kind):
        return f"{what} must name a {kind.KIND.value} step; {step_id!r} is a {target.kind} step"
    if target.walked and not per_item:
        return f"{what} cannot use {step_id!r}, which is asked once per item"
    return None


class CreateCommitment(Spec):
    """`create_commitment`: a commitment from a text step and a date step."""

    text: Id
    due: Id
    done_when: Id | None = None
    parent: Annotated[str, _one_of(MaterialKind.COMMITMENT.value)] | None = None

    def problems(
        self, steps: dict[str, StepBase | None], material: frozenset[str]
    ) -> Iterator[Finding]:
        """The named steps exist and are of the right kinds."""
        for key, kind in (("text", TextStep), ("due", DateStep), ("done_when", TextStep)):
            step_id = getattr(self, key)
            if step_id is None:
                continue
            problem = _effect_step(step_id, steps, f"create_commitment {key!r}", kind)
            if problem is not None:
                yield (key,), problem
        if self.parent is not None and MaterialKind.COMMITMENT.value not in material:
            parent = "create_commitment names the run's commitment as parent"
            yield ("parent",), _unloaded(parent, MaterialKind.COMMITMENT)

    def to_effect(self, line: int) -> EffectSpec:
        """The engine's effect."""
        return CommitmentEffectSpec(
            self.text, self.due, self.done_when, self.parent is not None, line
        )


class RecordCheck(Spec):
    """`record_check`: a check-in on the run's commitment (or on each walked one)."""

    status: Id
    new_due: Id | None = None
    note: Annotated[list[Id], BeforeValidator(_as_list)] | None = None

    def problems(
        self, steps: dict[str, StepBase | None], material: frozenset[str]
    ) -> Iterator[Finding]:
        """The status step offers check-in results and knows its commitment; the rest fit."""
        what = "record_check 'status'"
        problem = _effect_step(self.status, steps, what, ChoiceStep, per_item=True)
        target = steps.get(self.status)
        if problem is not None:
            yield ("status",), problem
        elif isinstance(target, ChoiceStep):
            unknown = [o.value for o in target.options if o.value not in CHECK_RESULTS]
            if unknown:
                message = (
                    f"{what} step {self.status!r} has options that are no check-in result: "
                    f"{', '.join(unknown)} (allowed: {', '.join(CHECK_RESULTS)})"
                )
                yield ("status",), message
            elif not target.walked and MaterialKind.COMMITMENT.value not in material:
                message = (
                    "record_check needs the commitment it is about: add `material: "
                    "[commitment]`, or name a status step asked for each open commitment "
                    "(for_each)"
                )
                yield ("status",), message
        if self.new_due is not None:
            problem = _effect_step(self.new_due, steps, "record_check 'new_due'", DateStep)
            if problem is not None:
                yield ("new_due",), problem
        for index, note in enumerate(self.note or ()):
            problem = _effect_step(note, steps, "record_check 'note'", TextStep)
            if problem is not None:
                yield ("note", index), problem

    def to_effect(self, line: int) -> EffectSpec:
        """The engine's effect."""
        return RecordCheckSpec(self.status, self.new_due, tuple(self.note or ()), line)


class EffectItem(Spec):
    """One item of `effects:`, naming exactly one effect."""

    create_commitment: CreateCommitment | None = None
    record_check: RecordCheck | None = None

    @model_validator(mode="after")
    def _one_effect(self) -> Self:
        if (self.create_commitment is None) == (self.record_check is None):
            raise fail("an effect names exactly one of: create_commitment, record_check")
        return self

    @property
    def effect(self) -> tuple[str, CreateCommitment | RecordCheck]:
        """The effect's key and its spec."""
        if self.create_commitment is not None:
            return "create_commitment", self.create_commitment
        assert self.record_check is not None  # _one_effect checked it
        return "record_check", self.record_check


# -- the dialogue ------------------------------------------------------------------------------

Audience = Annotated[str, _one_of(*AUDIENCES)]
MaterialName = Annotated[str, _one_of(*(kind.value for kind in MaterialKind))]


class DialogueFile(Spec):
    """A whole dialogue file."""

    id: Id
    version: Annotated[Whole, _range(1, None)]
    title: Annotated[str, _text(TITLE_LIMIT), Translatable("dialogue title (menu button, short)")]
    summary: Annotated[
        str, _text(SUMMARY_LIMIT), Translatable("dialogue summary (menu description)")
    ]
    audience: Annotated[
        list[Audience],
        _count(1, None, "audience must name at least one of: " + ", ".join(AUDIENCES)),
    ] = ["coaching"]  # pydantic copies mutable defaults
    minutes: Annotated[Whole, _range(1, 120)] | None = None
    order: Whole | None = None
    material: list[MaterialName] = []
    steps: Annotated[
        list[StepSpec],
        _count(
            1,
            MAX_STEPS,
            "steps must contain at least one step",
            "a dialogue has at most {high} steps, this one has {count}",
        ),
    ]
    recap: RecapSpec | None = None
    effects: list[EffectItem] = []


class Parts:
    """The parts of a dialogue file that passed validation (None: a part with problems), for
    checking relations even when some part of the file is broken."""

    def __init__(self, id: str | None = None) -> None:
        self.id = id
        # Valid items of the lists (None for an item with problems of its own).
        self.audience: list[str | None] | None = None
        self.material: list[str | None] | None = None
        # Every step: the id it was written with (if it is a valid one) and its spec.
        self.steps: list[tuple[str | None, StepBase | None]] = []
        # Positions of steps validated without their broken keys (defaults stand in for them).
        self.partial: set[int] = set()
        self.recap: RecapSpec | None = None
        self.effects: list[EffectItem | None] = []

    @staticmethod
    def of(dialogue: DialogueFile) -> "Parts":
        """All parts of a valid file."""
        parts = Parts(dialogue.id)
        parts.audience, parts.material = list(dialogue.audience), list(dialogue.material)
        parts.steps = [(step.id, step) for step in dialogue.steps]
        parts.recap = dialogue.recap
        parts.effects = list(dialogue.effects)
        return parts


def _listed_twice(what: str, values: list[str | None] | None) -> Iterator[Finding]:
    seen: set[str] = set()
    for index, value in enumerate(values or ()):
        if value is None:
            continue
        if value in seen:
            yield (index,), f"{what} {value!r} is listed twice"
        seen.add(value)


def dialogue_problems(parts: Parts, stem: str) -> Iterator[Finding]:
    """Relations across a file: the id and its file name, step ids, conditions, recap, effects."""
    if parts.id is not None and parts.id != stem:
        yield ("id",), f"id {parts.id!r} must equal the file name ({stem!r}.yaml)"
    yield from prefixed(("audience",), _listed_twice("audience", parts.audience))
    yield from prefixed(("material",), _listed_twice("material", parts.material))
    material = frozenset(name for name in parts.material or () if name is not None)
    scope = Scope(material, frozenset(i for i, _ in parts.steps if i is not None))
    for index, (step_id, step) in enumerate(parts.steps):
        if step is not None:
            whole = index not in parts.partial
            yield from prefixed(("steps", index), step.problems(scope, whole))
        if step_id is None:
            continue
        if step_id in scope.earlier:
            yield ("steps", index, "id"), f"duplicate step id {step_id!r}"
        else:
            scope.earlier[step_id] = step
    steps = scope.earlier
    if parts.recap is not None:
        yield from prefixed(("recap",), parts.recap.problems(steps))
    for index, item in enumerate(parts.effects):
        if item is not None:
            key, effect = item.effect
            yield from prefixed(("effects", index, key), effect.problems(steps, material))


def to_dialogue(spec: DialogueFile, source: str, line: Callable[[Path], int]) -> Dialogue:
    """The engine's dialogue from a valid file; `line(path)` gives the line of a part."""
    steps = tuple(step.to_step(line(("steps", index))) for index, step in enumerate(spec.steps))
    effects = []
    for index, item in enumerate(spec.effects):
        key, effect = item.effect
        effects.append(effect.to_effect(line(("effects", index, key))))
    return Dialogue(
        id=spec.id,
        version=spec.version,
        title=spec.title,
        summary=spec.summary,
        steps=steps,
        audience=tuple(spec.audience),
        minutes=spec.minutes,
        order=spec.order,
        recap=spec.recap.to_recap() if spec.recap is not None else Recap(),
        effects=tuple(effects),
        material=tuple(MaterialKind(name) for name in spec.material),
        source=source,
    )
