"""Loading and validating dialogue YAML files, reporting every problem as `path:line: message`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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

__all__ = [
    "DialogueCatalog",
    "DialogueFileError",
    "Problem",
    "check_paths",
    "load_dialogue",
    "load_dialogues",
]

# Returned by condition value readers when the value is unusable (None is a valid value).
_INVALID: Any = object()
ID_PATTERN = re.compile(r"[a-z][a-z0-9_]*\Z")
AUDIENCES = ("coaching", "backstage")
MAX_STEPS = 12
MAX_PHRASINGS = 5
MIN_OPTIONS, MAX_OPTIONS = 2, 10
TITLE_LIMIT = 40
SUMMARY_LIMIT = 120
LABEL_LIMIT = 60  # an option label must fit on a Telegram button
STEP_SUMMARY_LIMIT = 80
TEXT_LIMIT = 1000  # prompt and help texts
DAYS_LIMIT = 3650

TOP_KEYS = ("id", "version", "title", "summary", "audience", "minutes", "order", "steps")
TOP_KEYS_ALL = (*TOP_KEYS, "material", "recap", "effects")
COMMON_STEP_KEYS = ("id", "kind", "prompt", "help", "when", "shows")
ANSWER_STEP_KEYS = ("optional", "private", "sensitive", "summary", "for_each")
# The answers a check-in status may have (a record_check status step's option values).
CHECK_RESULTS = ("done", "partly", "not_yet", "dropped")
MAX_PICKS = 5
KIND_KEYS: dict[StepKind, tuple[str, ...]] = {
    StepKind.TEXT: ("max_length",),
    StepKind.SCALE: ("min", "max", "min_label", "max_label", "care"),
    StepKind.CHOICE: ("options", "ordered"),
    StepKind.MULTI: ("options", "min_choices", "max_choices"),
    StepKind.DATE: ("min_days", "max_days", "picks"),
    StepKind.YESNO: ("share_with_group",),
    StepKind.INFO: (),
}
COMPARISON_OPS = (ConditionOp.LT, ConditionOp.LTE, ConditionOp.GT, ConditionOp.GTE)
VALUE_OPS = (ConditionOp.EQUALS, ConditionOp.NOT_EQUALS, ConditionOp.IN)
LEAF_OPS = (*VALUE_OPS, *COMPARISON_OPS, ConditionOp.ANSWERED)


@dataclass(frozen=True)
class Problem:
    """One problem in a dialogue file, at a 1-based line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class DialogueFileError(Exception):
    """A dialogue file (or several) could not be loaded; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class DialogueCatalog:
    """The loaded dialogues, iterated in menu order (`order:` then id)."""

    def __init__(self, dialogues: Iterable[Dialogue]) -> None:
        ordered = sorted(dialogues, key=_menu_key)
        self._by_id = {d.id: d for d in ordered}

    def get(self, dialogue_id: str) -> Dialogue:
        """The dialogue with this id (KeyError if unknown)."""
        return self._by_id[dialogue_id]

    def ids(self) -> list[str]:
        """All dialogue ids in menu order."""
        return list(self._by_id)

    def for_audience(self, audience: str) -> list[Dialogue]:
        """The dialogues meant for an audience ("coaching" or "backstage"), in menu order."""
        return [d for d in self._by_id.values() if audience in d.audience]

    def __iter__(self) -> Iterator[Dialogue]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, dialogue_id: object) -> bool:
        return dialogue_id in self._by_id


def _menu_key(dialogue: Dialogue) -> tuple[int, int, str]:
    # Dialogues without `order:` come after the ordered ones.
    if dialogue.order is None:
        return (1, 0, dialogue.id)
    return (0, dialogue.order, dialogue.id)


def load_dialogue(path: str | Path) -> Dialogue:
    """Load and validate one dialogue file (raises DialogueFileError listing all problems)."""
    dialogue, problems = _parse_file(Path(path))
    if problems or dialogue is None:
        raise DialogueFileError(problems)
    return dialogue


def load_dialogues(dir_or_paths: str | Path | Iterable[str | Path]) -> DialogueCatalog:
    """Load every dialogue of a directory (or the given files) into a catalog."""
    paths = _expand(dir_or_paths)
    dialogues: list[Dialogue] = []
    problems: list[Problem] = []
    for path in paths:
        dialogue, found = _parse_file(path)
        problems.extend(found)
        if dialogue is not None and not found:
            dialogues.append(dialogue)
    problems.extend(_duplicate_ids(dialogues))
    if problems:
        raise DialogueFileError(problems)
    return DialogueCatalog(dialogues)


def check_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """All problems in the given files and directories (every *.yaml of a directory)."""
    problems: list[Problem] = []
    dialogues: list[Dialogue] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            problems.append(Problem(str(path), 1, "no such file or directory"))
            continue
        for file in _expand(path):
            dialogue, found = _parse_file(file)
            problems.extend(found)
            if dialogue is not None and not found:
                dialogues.append(dialogue)
    problems.extend(_duplicate_ids(dialogues))
    return problems


def _expand(dir_or_paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(dir_or_paths, str | Path):
        candidates: list[Path] = [Path(dir_or_paths)]
    else:
        candidates = [Path(p) for p in dir_or_paths]
    files: list[Path] = []
    for candidate in candidates:
        if candidate.is_dir():
            files.extend(sorted(candidate.glob("*.yaml")))
        else:
            files.append(candidate)
    return files


def _duplicate_ids(dialogues: list[Dialogue]) -> list[Problem]:
    seen: dict[str, Dialogue] = {}
    problems = []
    for dialogue in dialogues:
        if dialogue.id in seen:
            first = seen[dialogue.id]
            problems.append(
                Problem(
                    dialogue.source, 1, f"dialogue id {dialogue.id!r} also used in {first.source}"
                )
            )
        else:
            seen[dialogue.id] = dialogue
    return problems


def _parse_file(path: Path) -> tuple[Dialogue | None, list[Problem]]:
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(source, 1, f"cannot read the file: {error}")]
    try:
        root = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(part for part in (error.context, error.problem) if part)
        return None, [Problem(source, line, f"YAML syntax error: {what or error}")]
    except yaml.YAMLError as error:
        return None, [Problem(source, 1, f"YAML error: {error}")]
    if root is None:
        return None, [Problem(source, 1, "the file is empty")]
    reader = _Reader(source, path.stem)
    dialogue = reader.dialogue(root)
    return dialogue, sorted(reader.problems, key=lambda problem: problem.line)


# libyaml's parser (when PyYAML has it) composes the same nodes with the same marks about ten
# times faster: loading every dialogue is on the path to `hemmaplan chat`'s first question.
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _type_name(node: Node, value: Any = None) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean (put it in quotes if you meant text)"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, date):
        return "a date (put it in quotes if you meant text)"
    return "text"


Fields = dict[str, tuple[Node, Node]]


class _Reader:
    """Turns a composed YAML node tree into a Dialogue, collecting problems with line numbers."""

    def __init__(self, source: str, stem: str) -> None:
        self.source = source
        self.stem = stem
        self.problems: list[Problem] = []
        # What the dialogue loads (read before the steps, which may show it).
        self.material: tuple[MaterialKind, ...] = ()
        self._constructor = SafeConstructor()

    # -- primitive readers -------------------------------------------------------------------

    def error(self, node: Node | int, message: str) -> None:
        line = node if isinstance(node, int) else _line(node)
        self.problems.append(Problem(self.source, line, message))

    def scalar(self, node: Node) -> Any:
        if not isinstance(node, ScalarNode):
            return None
        try:
            return self._constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self.error(node, f"cannot read value: {error}")
            return None

    def mapping(self, node: Node, what: str) -> Fields | None:
        if not isinstance(node, MappingNode):
            self.error(node, f"{what} must be a mapping, got {_type_name(node, self.scalar(node))}")
            return None
        fields: Fields = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node)
            if not isinstance(key, str):
                self.error(key_node, f"keys in {what} must be text")
                continue
            if key in fields:
                self.error(key_node, f"duplicate key {key!r} in {what}")
                continue
            fields[key] = (key_node, value_node)
        return fields

    def check_keys(
        self,
        fields: Fields,
        node: Node,
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> None:
        allowed_set = set(allowed)
        for key, (key_node, _) in fields.items():
            if key not in allowed_set:
                self.error(key_node, f"unknown key {key!r} in {what}")
        for key in required:
            if key not in fields:
                self.error(node, f"{what} is missing the required key {key!r}")

    def text(self, node: Node, what: str, limit: int | None = None) -> str | None:
        value = self.scalar(node)
        if not isinstance(node, ScalarNode) or not isinstance(value, str):
            self.error(node, f"{what} must be text, got {_type_name(node, value)}")
            return None
        if not value.strip():
            self.error(node, f"{what} must not be empty")
            return None
        if limit is not None and len(value) > limit:
            self.error(node, f"{what} is {len(value)} characters long; at most {limit} allowed")
            return None
        return value

    def identifier(self, node: Node, what: str) -> str | None:
        value = self.scalar(node)
        if not isinstance(node, ScalarNode) or not isinstance(value, str):
            self.error(node, f"{what} must be an id (text), got {_type_name(node, value)}")
            return None
        if not ID_PATTERN.match(value):
            self.error(
                node,
                f"{what} {value!r} is not a valid id (lowercase letter, then a-z, 0-9 or _)",
            )
            return None
        return value

    def integer(
        self, node: Node, what: str, low: int | None = None, high: int | None = None
    ) -> int | None:
        value = self.scalar(node)
        if (
            not isinstance(node, ScalarNode)
            or isinstance(value, bool)
            or not isinstance(value, int)
        ):
            self.error(node, f"{what} must be a whole number, got {_type_name(node, value)}")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                self.error(node, f"{what} must be at least {low}, got {value}")
            elif low is None:
                self.error(node, f"{what} must be at most {high}, got {value}")
            else:
                self.error(node, f"{what} must be between {low} and {high}, got {value}")
            return None
        return value

    def boolean(self, node: Node, what: str) -> bool | None:
        value = self.scalar(node)
        if not isinstance(node, ScalarNode) or not isinstance(value, bool):
            self.error(node, f"{what} must be true or false, got {_type_name(node, value)}")
            return None
        return value

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, SequenceNode):
            self.error(node, f"{what} must be a list, got {_type_name(node, self.scalar(node))}")
            return None
        return list(node.value)

    # -- the dialogue --------------------------------------------------------------------------

    def dialogue(self, root: Node) -> Dialogue | None:
        fields = self.mapping(root, "the dialogue")
        if fields is None:
            return None
        self.check_keys(
            fields,
            root,
            "the dialogue",
            TOP_KEYS_ALL,
            ("id", "version", "title", "summary", "steps"),
        )
        dialogue_id = None
        if "id" in fields:
            id_node = fields["id"][1]
            dialogue_id = self.identifier(id_node, "id")
            if dialogue_id is not None and dialogue_id != self.stem:
                self.error(
                    id_node, f"id {dialogue_id!r} must equal the file name ({self.stem!r}.yaml)"
                )
        version = (
            self.integer(fields["version"][1], "version", low=1) if "version" in fields else None
        )
        title = self.text(fields["title"][1], "title", TITLE_LIMIT) if "title" in fields else None
        summary = (
            self.text(fields["summary"][1], "summary", SUMMARY_LIMIT)
            if "summary" in fields
            else None
        )
        audience = self.audience(fields["audience"][1]) if "audience" in fields else ("coaching",)
        minutes = (
            self.integer(fields["minutes"][1], "minutes", 1, 120) if "minutes" in fields else None
        )
        order = self.integer(fields["order"][1], "order") if "order" in fields else None
        if "material" in fields:
            self.material = self.material_kinds(fields["material"][1])
        steps = self.steps(*fields["steps"]) if "steps" in fields else None
        recap = Recap()
        effects: tuple[EffectSpec, ...] = ()
        if steps is not None:
            if "recap" in fields:
                recap = self.recap(fields["recap"][1], steps) or Recap()
            if "effects" in fields:
                effects = self.effects(fields["effects"][1], steps)
        if (
            self.problems
            or dialogue_id is None
            or version is None
            or title is None
            or summary is None
            or audience is None
            or steps is None
        ):
            return None
        return Dialogue(
            id=dialogue_id,
            version=version,
            title=title,
            summary=summary,
            steps=tuple(step for step in steps.values() if step is not None),
            audience=audience,
            minutes=minutes,
            order=order,
            recap=recap,
            effects=effects,
            material=self.material,
            source=self.source,
        )

    def material_kinds(self, node: Node) -> tuple[MaterialKind, ...]:
        items = self.sequence(node, "material")
        if items is None:
            return ()
        kinds: list[MaterialKind] = []
        names = ", ".join(k.value for k in MaterialKind)
        for item in items:
            value = self.scalar(item)
            try:
                kind = MaterialKind(value)
            except ValueError:
                self.error(item, f"material {value!r} is not one of: {names}")
                continue
            if kind in kinds:
                self.error(item, f"material {value!r} is listed twice")
            else:
                kinds.append(kind)
        return tuple(kinds)

    def audience(self, node: Node) -> tuple[str, ...] | None:
        items = self.sequence(node, "audience")
        if items is None:
            return None
        if not items:
            self.error(node, "audience must name at least one of: " + ", ".join(AUDIENCES))
            return None
        result: list[str] = []
        for item in items:
            value = self.scalar(item)
            if value not in AUDIENCES:
                self.error(item, f"audience {value!r} is not one of: " + ", ".join(AUDIENCES))
            elif value in result:
                self.error(item, f"audience {value!r} is listed twice")
            else:
                result.append(value)
        return tuple(result)

    # -- steps ----------------------------------------------------------------------------------

    def steps(self, key: Node, node: Node) -> dict[str, Step | None] | None:
        """Read the steps; a step with problems maps to None so references can still be checked."""
        items = self.sequence(node, "steps")
        if items is None:
            return None
        if not items:
            self.error(node, "steps must contain at least one step")
            return None
        if len(items) > MAX_STEPS:
            self.error(key, f"a dialogue has at most {MAX_STEPS} steps, this one has {len(items)}")
        all_ids = self._prescan_ids(items)
        earlier: dict[str, Step | None] = {}
        for item in items:
            step_id, step = self.step(item, earlier, all_ids)
            if step_id is None:
                continue
            if step_id in earlier:
                id_node = self.mapping_value(item, "id")
                self.error(id_node or item, f"duplicate step id {step_id!r}")
            else:
                earlier[step_id] = step
        return earlier

    def mapping_value(self, node: Node, key: str) -> Node | None:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == key:
                    found: Node = value_node
                    return found
        return None

    def _prescan_ids(self, items: list[Node]) -> set[str]:
        ids = set()
        for item in items:
            id_node = self.mapping_value(item, "id")
            if isinstance(id_node, ScalarNode) and isinstance(id_node.value, str):
                ids.add(id_node.value)
        return ids

    def step(
        self, node: Node, earlier: dict[str, Step | None], all_ids: set[str]
    ) -> tuple[str | None, Step | None]:
        fields = self.mapping(node, "a step")
        if fields is None:
            return None, None
        step_id = self.identifier(fields["id"][1], "step id") if "id" in fields else None
        what = f"step {step_id!r}" if step_id else "a step"
        kind: StepKind | None = None
        if "kind" in fields:
            kind_node = fields["kind"][1]
            raw_kind = self.scalar(kind_node)
            try:
                kind = StepKind(raw_kind)
            except ValueError:
                kinds = ", ".join(k.value for k in StepKind)
                self.error(kind_node, f"kind {raw_kind!r} of {what} is not one of: {kinds}")
        self._check_step_keys(fields, node, what, kind)
        if kind is None:
            return step_id, None
        before = len(self.problems)
        prompts = self.prompts(*fields["prompt"], what) if "prompt" in fields else None
        values: dict[str, Any] = {}
        self._read_common(fields, what, values)
        when = None
        if "when" in fields:
            when = self.condition(fields["when"][1], earlier, all_ids, what)
        if "shows" in fields:
            values["shows"] = self.shows(fields["shows"][1], earlier, all_ids, what)
        if "for_each" in fields:
            values["for_each"] = self.for_each(fields["for_each"][1], what)
        reader = {
            StepKind.TEXT: self._read_text_step,
            StepKind.SCALE: self._read_scale_step,
            StepKind.CHOICE: self._read_choice_step,
            StepKind.MULTI: self._read_choice_step,
            StepKind.DATE: self._read_date_step,
            StepKind.YESNO: self._read_yesno_step,
            StepKind.INFO: None,
        }[kind]
        if reader is not None:
            reader(fields, node, what, values, kind)
        if step_id is None or prompts is None or len(self.problems) != before:
            return step_id, None
        return step_id, Step(
            id=step_id, kind=kind, prompts=prompts, when=when, line=_line(node), **values
        )

    def _check_step_keys(
        self, fields: Fields, node: Node, what: str, kind: StepKind | None
    ) -> None:
        for key in ("id", "kind", "prompt"):
            if key not in fields:
                self.error(node, f"{what} is missing the required key {key!r}")
        allowed = set(COMMON_STEP_KEYS)
        if kind is not None and kind is not StepKind.INFO:
            allowed.update(ANSWER_STEP_KEYS)
        if kind is not None:
            allowed.update(KIND_KEYS[kind])
        for key, (key_node, _) in fields.items():
            if key in allowed:
                continue
            if kind is None and (
                key in ANSWER_STEP_KEYS or any(key in keys for keys in KIND_KEYS.values())
            ):
                continue  # the kind is broken; do not pile up follow-on errors
            owners = [k.value for k, keys in KIND_KEYS.items() if key in keys]
            if key in ANSWER_STEP_KEYS:
                self.error(key_node, f"{key!r} is not allowed on info steps (they have no answer)")
            elif owners:
                self.error(
                    key_node,
                    f"{key!r} is only allowed on {' and '.join(owners)} steps, "
                    f"not on {kind.value if kind else 'this'} steps",
                )
            else:
                self.error(key_node, f"unknown key {key!r} in {what}")

    def shows(
        self, node: Node, earlier: dict[str, Step | None], all_ids: set[str], what: str
    ) -> Shows | None:
        """`shows: commitment`, `shows: {answer: <earlier step or list of steps>}` or
        `shows: {plan_goal: <1-3>}`."""
        if isinstance(node, ScalarNode):
            value = self.scalar(node)
            if value != MaterialKind.COMMITMENT.value:
                self.error(
                    node,
                    f"shows of {what} must be 'commitment' or {{answer: <step>}}, got {value!r}",
                )
                return None
            if MaterialKind.COMMITMENT not in self.material:
                self.error(
                    node,
                    f"{what} shows the commitment, but the dialogue does not load one "
                    "(add `material: [commitment]`)",
                )
                return None
            return Shows(commitment=True)
        fields = self.mapping(node, f"shows of {what}")
        if fields is None:
            return None
        if "plan_goal" in fields:
            return self.shows_plan_goal(fields, node, what)
        self.check_keys(fields, node, f"shows of {what}", ("answer",), ("answer",))
        if "answer" not in fields:
            return None
        answer_node = fields["answer"][1]
        ref_nodes = (
            self.sequence(answer_node, f"the answers {what} shows") or []
            if isinstance(answer_node, SequenceNode)
            else [answer_node]
        )
        if not ref_nodes:
            self.error(answer_node, f"{what} must show at least one answer")
            return None
        refs: list[str] = []
        for ref_node in ref_nodes:
            ref_id = self.identifier(ref_node, f"the step {what} shows")
            if ref_id is None:
                return None
            if ref_id not in earlier:
                where = "does not come before it" if ref_id in all_ids else "does not exist"
                self.error(ref_node, f"{what} shows the answer of step {ref_id!r}, which {where}")
                return None
            ref = earlier[ref_id]
            if ref is not None and (not ref.answerable or ref.for_each is not None):
                self.error(
                    ref_node,
                    f"{what} cannot show step {ref_id!r}: it has no single answer to show",
                )
                return None
            refs.append(ref_id)
        return Shows(answers=tuple(refs))

    def shows_plan_goal(self, fields: Fields, node: Node, what: str) -> Shows | None:
        """`shows: {plan_goal: N}`: goal N (1-3) of the person's latest development plan."""
        self.check_keys(fields, node, f"shows of {what}", ("plan_goal",), ("plan_goal",))
        if len(fields) != 1:
            return None
        number = self.integer(fields["plan_goal"][1], f"plan_goal of {what}", 1, MAX_PLAN_GOALS)
        if number is None:
            return None
        if MaterialKind.PLAN_GOALS not in self.material:
            self.error(
                fields["plan_goal"][1],
                f"{what} shows a plan goal, but the dialogue does not load them "
                "(add `material: [plan_goals]`)",
            )
            return None
        return Shows(plan_goal=number)

    def for_each(self, node: Node, what: str) -> MaterialKind | None:
        value = self.scalar(node)
        if value != MaterialKind.OPEN_COMMITMENTS.value:
            self.error(node, f"for_each of {what} must be 'open_commitments', got {value!r}")
            return None
        if MaterialKind.OPEN_COMMITMENTS not in self.material:
            self.error(
                node,
                f"{what} walks the open commitments, but the dialogue does not load them "
                "(add `material: [open_commitments]`)",
            )
            return None
        return MaterialKind.OPEN_COMMITMENTS

    def prompts(self, key: Node, node: Node, what: str) -> tuple[str, ...] | None:
        if isinstance(node, SequenceNode):
            items = list(node.value)
            if not 1 <= len(items) <= MAX_PHRASINGS:
                self.error(
                    key, f"prompt of {what} needs 1 to {MAX_PHRASINGS} phrasings, got {len(items)}"
                )
                return None
            texts = [self.text(item, f"prompt of {what}", TEXT_LIMIT) for item in items]
            if any(text is None for text in texts):
                return None
            result = tuple(text for text in texts if text is not None)
            if len(set(result)) != len(result):
                self.error(node, f"prompt of {what} repeats the same phrasing")
                return None
            return result
        single = self.text(node, f"prompt of {what}", TEXT_LIMIT)
        return (single,) if single is not None else None

    def _read_common(self, fields: Fields, what: str, values: dict[str, Any]) -> None:
        if "help" in fields:
            values["help"] = self.text(fields["help"][1], f"help of {what}", TEXT_LIMIT)
        for key in ("optional", "private", "sensitive"):
            if key in fields:
                flag = self.boolean(fields[key][1], f"{key} of {what}")
                if flag is not None:
                    values[key] = flag
        if "summary" in fields:
            values["summary"] = self.text(
                fields["summary"][1], f"summary of {what}", STEP_SUMMARY_LIMIT
            )

    def _read_text_step(
        self, fields: Fields, node: Node, what: str, values: dict[str, Any], kind: StepKind
    ) -> None:
        if "max_length" in fields:
            limit = self.integer(
                fields["max_length"][1], f"max_length of {what}", 1, MAX_MAX_LENGTH
            )
            values["max_length"] = limit if limit is not None else DEFAULT_MAX_LENGTH

    def _read_scale_step(
        self, fields: Fields, node: Node, what: str, values: dict[str, Any], kind: StepKind
    ) -> None:
        low, high = 0, 10
        if "min" in fields:
            read = self.integer(fields["min"][1], f"min of {what}", 0, 9)
            low = read if read is not None else low
        if "max" in fields:
            read = self.integer(fields["max"][1], f"max of {what}", 1, 10)
            high = read if read is not None else high
        if low >= high:
            where = fields["max"][1] if "max" in fields else node
            self.error(where, f"min of {what} must be smaller than max (got {low} and {high})")
        values["min"], values["max"] = low, high
        for key in ("min_label", "max_label"):
            if key in fields:
                values[key] = self.text(fields[key][1], f"{key} of {what}", LABEL_LIMIT)
        if "care" in fields:
            care = self.boolean(fields["care"][1], f"care of {what}")
            values["care"] = bool(care)

    def _read_yesno_step(
        self, fields: Fields, node: Node, what: str, values: dict[str, Any], kind: StepKind
    ) -> None:
        if "share_with_group" in fields:
            share = self.boolean(fields["share_with_group"][1], f"share_with_group of {what}")
            values["share_with_group"] = bool(share)

    def _read_choice_step(
        self, fields: Fields, node: Node, what: str, values: dict[str, Any], kind: StepKind
    ) -> None:
        if "ordered" in fields:
            ordered = self.boolean(fields["ordered"][1], f"ordered of {what}")
            values["ordered"] = bool(ordered)
        if "options" not in fields:
            self.error(node, f"{what} is missing the required key 'options'")
            return
        options_node = fields["options"][1]
        items = self.sequence(options_node, f"options of {what}")
        if items is None:
            return
        if not MIN_OPTIONS <= len(items) <= MAX_OPTIONS:
            self.error(
                fields["options"][0],
                f"{what} needs {MIN_OPTIONS} to {MAX_OPTIONS} options, got {len(items)}",
            )
        options: list[Option] = []
        for item in items:
            option_fields = self.mapping(item, f"an option of {what}")
            if option_fields is None:
                continue
            self.check_keys(
                option_fields, item, f"an option of {what}", ("value", "label"), ("value", "label")
            )
            value = (
                self.identifier(option_fields["value"][1], "option value")
                if "value" in option_fields
                else None
            )
            label = (
                self.text(option_fields["label"][1], f"option label of {what}", LABEL_LIMIT)
                if "label" in option_fields
                else None
            )
            if value is not None and any(o.value == value for o in options):
                self.error(option_fields["value"][1], f"duplicate option value {value!r} in {what}")
                continue
            if label is not None and any(o.label == label for o in options):
                self.error(option_fields["label"][1], f"duplicate option label {label!r} in {what}")
                continue
            if value is not None and label is not None:
                options.append(Option(value, label))
        values["options"] = tuple(options)
        if kind is StepKind.MULTI:
            count = len(items)
            low = 1
            if "min_choices" in fields:
                read = self.integer(fields["min_choices"][1], f"min_choices of {what}", 1, count)
                low = read if read is not None else low
            values["min_choices"] = low
            if "max_choices" in fields:
                high_node = fields["max_choices"][1]
                high = self.integer(high_node, f"max_choices of {what}", 1, count)
                if high is not None and high < low:
                    self.error(
                        high_node,
                        f"max_choices of {what} ({high}) is smaller than min_choices ({low})",
                    )
                values["max_choices"] = high

    def _read_date_step(
        self, fields: Fields, node: Node, what: str, values: dict[str, Any], kind: StepKind
    ) -> None:
        low, high = 0, 365
        if "min_days" in fields:
            read = self.integer(
                fields["min_days"][1], f"min_days of {what}", -DAYS_LIMIT, DAYS_LIMIT
            )
            low = read if read is not None else low
        if "max_days" in fields:
            read = self.integer(
                fields["max_days"][1], f"max_days of {what}", -DAYS_LIMIT, DAYS_LIMIT
            )
            high = read if read is not None else high
        if low > high:
            where = fields["max_days"][1] if "max_days" in fields else node
            self.error(
                where, f"min_days of {what} must not be larger than max_days (got {low} and {high})"
            )
        values["min_days"], values["max_days"] = low, high
        if "picks" in fields:
            values["picks"] = self.picks(fields["picks"][1], what, low, high)

    def picks(self, node: Node, what: str, low: int, high: int) -> tuple[int | str, ...] | None:
        """Quick-pick buttons of a date step: day offsets inside its range and next_meeting."""
        items = self.sequence(node, f"picks of {what}")
        if items is None:
            return None
        if not 1 <= len(items) <= MAX_PICKS:
            self.error(node, f"picks of {what} needs 1 to {MAX_PICKS} entries, got {len(items)}")
            return None
        picks: list[int | str] = []
        for item in items:
            value = self.scalar(item)
            if value == NEXT_MEETING:
                pick: int | str = NEXT_MEETING
            elif isinstance(value, int) and not isinstance(value, bool):
                if not low <= value <= high:
                    self.error(
                        item,
                        f"pick {value} of {what} is outside its range ({low} to {high} days)",
                    )
                    continue
                pick = value
            else:
                self.error(
                    item,
                    f"a pick of {what} is a number of days or {NEXT_MEETING!r}, "
                    f"got {_type_name(item, value)}",
                )
                continue
            if pick in picks:
                self.error(item, f"pick {pick!r} of {what} is listed twice")
            else:
                picks.append(pick)
        return tuple(picks)

    # -- conditions -----------------------------------------------------------------------------

    def condition(
        self, node: Node, earlier: dict[str, Step | None], all_ids: set[str], what: str
    ) -> Condition | None:
        fields = self.mapping(node, f"the condition of {what}")
        if fields is None:
            return None
        if "all" in fields or "any" in fields:
            op = ConditionOp.ALL if "all" in fields else ConditionOp.ANY
            for key, (key_node, _) in fields.items():
                if key != op.value:
                    self.error(key_node, f"{op.value!r} must be the only key of its condition")
            items = self.sequence(fields[op.value][1], f"{op.value!r} of {what}")
            if items is None:
                return None
            if not items:
                self.error(fields[op.value][1], f"{op.value!r} needs at least one condition")
                return None
            children = [self.condition(item, earlier, all_ids, what) for item in items]
            if any(child is None for child in children):
                return None
            return Condition(op, children=tuple(c for c in children if c is not None))
        leaf_keys = [op.value for op in LEAF_OPS]
        self.check_keys(fields, node, f"the condition of {what}", ("step", *leaf_keys), ("step",))
        ops = [key for key in fields if key in leaf_keys]
        if len(ops) != 1:
            self.error(
                node,
                f"the condition of {what} needs exactly one of: {', '.join(leaf_keys)}, all, any",
            )
            return None
        if "step" not in fields:
            return None
        step_node = fields["step"][1]
        ref_id = self.identifier(step_node, f"the step in the condition of {what}")
        if ref_id is None:
            return None
        if ref_id not in earlier:
            if ref_id in all_ids:
                self.error(
                    step_node,
                    f"the condition of {what} refers to step {ref_id!r}, which does not come "
                    "before it (conditions may only look at earlier steps)",
                )
            else:
                self.error(step_node, f"the condition of {what} refers to unknown step {ref_id!r}")
            return None
        op = ConditionOp(ops[0])
        value_node = fields[op.value][1]
        ref = earlier[ref_id]
        if ref is None:
            return None  # the referenced step has its own errors; kinds cannot be checked
        value = self.condition_value(op, value_node, ref, what)
        if value is _INVALID:
            return None
        return Condition(op, step=ref_id, value=cast(ConditionValue, value))

    def condition_value(self, op: ConditionOp, node: Node, ref: Step, what: str) -> object:
        if ref.kind is StepKind.INFO:
            self.error(
                node, f"the condition of {what} looks at info step {ref.id!r}, which has no answer"
            )
            return _INVALID
        if op is ConditionOp.ANSWERED:
            flag = self.boolean(node, f"'answered' in the condition of {what}")
            return _INVALID if flag is None else flag
        if op in COMPARISON_OPS:
            if ref.kind is not StepKind.SCALE:
                self.error(
                    node,
                    f"{op.value!r} compares numbers, but step {ref.id!r} "
                    f"is a {ref.kind.value} step",
                )
                return _INVALID
            number = self.integer(node, f"{op.value!r} in the condition of {what}")
            return _INVALID if number is None else number
        if op is ConditionOp.IN:
            items = self.sequence(node, f"'in' of the condition of {what}")
            if items is None:
                return _INVALID
            if not items:
                self.error(node, f"'in' of the condition of {what} needs at least one value")
                return _INVALID
            values = [self.compared_value(item, ref, op) for item in items]
            if any(v is _INVALID for v in values):
                return _INVALID
            return tuple(values)
        return self.compared_value(node, ref, op)

    def compared_value(self, node: Node, ref: Step, op: ConditionOp) -> object:
        value = self.scalar(node)
        kind = ref.kind
        if kind is StepKind.DATE:
            self.error(node, f"{op.value!r} cannot compare with date step {ref.id!r}")
            return _INVALID
        if kind is StepKind.SCALE:
            if isinstance(value, bool) or not isinstance(value, int):
                self.error(
                    node,
                    f"step {ref.id!r} is a scale; compare it with a whole number, "
                    f"got {_type_name(node, value)}",
                )
                return _INVALID
            if not ref.min <= value <= ref.max:
                self.error(
                    node,
                    f"{value} is outside the scale of step {ref.id!r} ({ref.min} to {ref.max})",
                )
                return _INVALID
            return value
        if kind is StepKind.YESNO:
            if not isinstance(value, bool):
                self.error(
                    node,
                    f"step {ref.id!r} is a yes/no step; compare it with true or "
                    f"false, got {_type_name(node, value)}",
                )
                return _INVALID
            return value
        if not isinstance(node, ScalarNode) or not isinstance(value, str):
            self.error(
                node,
                f"step {ref.id!r} is a {kind.value} step; compare it with text, "
                f"got {_type_name(node, value)}",
            )
            return _INVALID
        if kind in (StepKind.CHOICE, StepKind.MULTI) and ref.option(value) is None:
            values = ", ".join(o.value for o in ref.options)
            self.error(node, f"{value!r} is not an option of step {ref.id!r} ({values})")
            return _INVALID
        if kind is StepKind.TEXT and op is ConditionOp.IN:
            self.error(node, f"'in' cannot be used with text step {ref.id!r}")
            return _INVALID
        return value

    # -- recap and effects ------------------------------------------------------------------------

    def recap(self, node: Node, steps: dict[str, Step | None]) -> Recap | None:
        fields = self.mapping(node, "recap")
        if fields is None:
            return None
        self.check_keys(fields, node, "recap", ("title", "steps"))
        title = (
            self.text(fields["title"][1], "recap title", TITLE_LIMIT * 2)
            if "title" in fields
            else None
        )
        chosen: tuple[str, ...] | None = None
        if "steps" in fields:
            items = self.sequence(fields["steps"][1], "recap steps")
            if items is not None:
                if not items:
                    self.error(fields["steps"][1], "recap steps must list at least one step")
                ids: list[str] = []
                for item in items:
                    step_id = self.step_reference(item, steps, "recap")
                    if step_id is None:
                        continue
                    step = steps[step_id]
                    if step is None:
                        continue
                    if step.kind is StepKind.INFO:
                        self.error(item, f"recap lists info step {step_id!r}, which has no answer")
                    elif step_id in ids:
                        self.error(item, f"recap lists step {step_id!r} twice")
                    else:
                        ids.append(step_id)
                chosen = tuple(ids)
        return Recap(title=title, steps=chosen)

    def step_reference(self, node: Node, steps: dict[str, Step | None], what: str) -> str | None:
        step_id = self.identifier(node, f"step in {what}")
        if step_id is None:
            return None
        if step_id not in steps:
            self.error(node, f"{what} refers to unknown step {step_id!r}")
            return None
        if steps[step_id] is None:
            return None  # that step has its own problems
        return step_id

    def effects(self, node: Node, steps: dict[str, Step | None]) -> tuple[EffectSpec, ...]:
        items = self.sequence(node, "effects")
        if items is None:
            return ()
        result: list[EffectSpec] = []
        kinds = ("create_commitment", "record_check")
        for item in items:
            fields = self.mapping(item, "an effect")
            if fields is None:
                continue
            self.check_keys(fields, item, "an effect", kinds)
            named = [key for key in kinds if key in fields]
            if len(named) != 1:
                self.error(item, "an effect names exactly one of: " + ", ".join(kinds))
                continue
            spec_node = fields[named[0]][1]
            spec: EffectSpec | None
            if named[0] == "create_commitment":
                spec = self.create_commitment(spec_node, steps)
            else:
                spec = self.record_check(spec_node, steps)
            if spec is not None:
                result.append(spec)
        return tuple(result)

    def effect_step(
        self,
        node: Node,
        steps: dict[str, Step | None],
        what: str,
        kind: StepKind,
        *,
        per_item: bool = False,
    ) -> str | None:
        """A step an effect reads: it must exist and be of `kind` (per-item only if allowed)."""
        step_id = self.step_reference(node, steps, what)
        if step_id is None:
            return None
        target = steps[step_id]
        if target is None:
            return None
        if target.kind is not kind:
            self.error(
                node,
                f"{what} must name a {kind.value} step; {step_id!r} is a {target.kind.value} step",
            )
            return None
        if target.for_each is not None and not per_item:
            self.error(node, f"{what} cannot use {step_id!r}, which is asked once per item")
            return None
        return step_id

    def create_commitment(
        self, node: Node, steps: dict[str, Step | None]
    ) -> CommitmentEffectSpec | None:
        spec = self.mapping(node, "create_commitment")
        if spec is None:
            return None
        self.check_keys(
            spec,
            node,
            "create_commitment",
            ("text", "due", "done_when", "parent"),
            ("text", "due"),
        )
        refs: dict[str, str | None] = {}
        for key, kind in (
            ("text", StepKind.TEXT),
            ("due", StepKind.DATE),
            ("done_when", StepKind.TEXT),
        ):
            refs[key] = (
                self.effect_step(spec[key][1], steps, f"create_commitment {key!r}", kind)
                if key in spec
                else None
            )
        parent = False
        if "parent" in spec:
            parent_node = spec["parent"][1]
            if self.scalar(parent_node) != MaterialKind.COMMITMENT.value:
                self.error(parent_node, "create_commitment 'parent' can only be 'commitment'")
                return None
            if MaterialKind.COMMITMENT not in self.material:
                self.error(
                    parent_node,
                    "create_commitment names the run's commitment as parent, but the dialogue "
                    "does not load one (add `material: [commitment]`)",
                )
                return None
            parent = True
        text_id, due_id = refs["text"], refs["due"]
        if text_id is None or due_id is None:
            return None
        return CommitmentEffectSpec(text_id, due_id, refs["done_when"], parent, _line(node))

    def record_check(self, node: Node, steps: dict[str, Step | None]) -> RecordCheckSpec | None:
        spec = self.mapping(node, "record_check")
        if spec is None:
            return None
        self.check_keys(spec, node, "record_check", ("status", "new_due", "note"), ("status",))
        if "status" not in spec:
            return None
        status_node = spec["status"][1]
        status = self.effect_step(
            status_node, steps, "record_check 'status'", StepKind.CHOICE, per_item=True
        )
        if status is None:
            return None
        target = steps[status]
        assert target is not None  # effect_step checked it
        unknown = [o.value for o in target.options if o.value not in CHECK_RESULTS]
        if unknown:
            self.error(
                status_node,
                f"record_check 'status' step {status!r} has options that are no check-in "
                f"result: {', '.join(unknown)} (allowed: {', '.join(CHECK_RESULTS)})",
            )
            return None
        if target.for_each is None and MaterialKind.COMMITMENT not in self.material:
            self.error(
                status_node,
                "record_check needs the commitment it is about: add `material: [commitment]`, "
                "or name a status step asked for each open commitment (for_each)",
            )
            return None
        new_due = (
            self.effect_step(spec["new_due"][1], steps, "record_check 'new_due'", StepKind.DATE)
            if "new_due" in spec
            else None
        )
        notes: list[str] = []
        if "note" in spec:
            note_node = spec["note"][1]
            note_items = (
                self.sequence(note_node, "record_check 'note'")
                if isinstance(note_node, SequenceNode)
                else [note_node]
            )
            for note_item in note_items or []:
                note = self.effect_step(note_item, steps, "record_check 'note'", StepKind.TEXT)
                if note is not None:
                    notes.append(note)
        return RecordCheckSpec(status, new_due, tuple(notes), _line(node))
