"""Dialogue transcripts as data: what the person sends and what the next screen must show.

A transcript file sits beside the dialogues, `transcripts/<dialogue id>.<language>.yaml`, and
holds one or more runs of that dialogue in that language (format: dialogues/README.md). Every
run starts on TODAY with STANDARD_MATERIAL unless it declares its own material; its `effects:`
list every effect the run yields besides finishing or cancelling, in order. The test suite and
`hemmaplan dialogues check --transcripts` play them through the engine; a mismatch is a Problem
at the line of the turn (or run) that failed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.dialogue.effects import (
    Cancelled,
    CareNotice,
    CreateCommitment,
    Effect,
    Finished,
    RecordCheck,
)
from bot.dialogue.engine import StepContext, start, step
from bot.dialogue.inputs import Input, parse_console_input
from bot.dialogue.loader import DialogueCatalog, Problem
from bot.dialogue.material import CommitmentItem, GoalItem, Material
from bot.dialogue.model import Dialogue
from bot.dialogue.screens import Screen
from bot.dialogue.text_render import render_text
from bot.dialogue.translation import Translator

TODAY = date(2026, 3, 10)  # a Tuesday: every transcript's dates are counted from it
CARE_THRESHOLD = 2
_BOOK = CommitmentItem(1, "Book one-to-ones", date(2026, 3, 12), "Five talks held")
# What a service would load for a run unless the run says otherwise: the commitment checked in
# on, three open commitments (one already "not yet"), the next meeting, a plan with three goals.
STANDARD_MATERIAL = Material(
    commitment=_BOOK,
    commitments=(
        _BOOK,
        CommitmentItem(2, "Ask for the budget frame", date(2026, 3, 13)),
        CommitmentItem(3, "Write the change plan", date(2026, 3, 20), None, "not_yet"),
    ),
    next_meeting=date(2026, 3, 26),
    goals=(
        GoalItem(1, "Delegate the weekly planning"),
        GoalItem(2, "Clearer goals for the team"),
        GoalItem(3, "Better meetings"),
    ),
)
SUBDIRECTORY = "transcripts"

# A turn as code writes it: what is sent (console text, an engine Input, or None to only look
# at the current screen) and the text(s) the screen must show.
Turn = tuple[str | Input | None, str | Sequence[str]]


class TranscriptMismatch(AssertionError):
    """A screen did not show what the transcript expected."""

    def __init__(self, index: int, sent: object, piece: str, shown: str, history: str) -> None:
        super().__init__(
            f"turn {index} ({sent!r}): expected {piece!r} in the screen:\n{shown}\n\n"
            f"--- whole transcript ---\n{history}"
        )
        self.index = index


@dataclass
class Played:
    """What playing a transcript produced."""

    state: dict[str, Any]
    screens: list[Screen] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)

    @property
    def screen(self) -> Screen:
        """The last screen."""
        return self.screens[-1]


def play(
    dialogue: Dialogue,
    turns: Sequence[Turn],
    translator: Translator,
    *,
    today: date = TODAY,
    care_threshold: int = CARE_THRESHOLD,
    last_phrasings: Mapping[str, int] | None = None,
    material: Material | None = None,
) -> Played:
    """Start the dialogue and play the turns (raises TranscriptMismatch at the first miss)."""
    ctx = StepContext(translator, today, care_threshold, dict(last_phrasings or {}), material)
    state, screen = start(dialogue, ctx)
    played = Played(state, [screen], [render_text(screen, translator)])
    for number, (sent, expected) in enumerate(turns, start=1):
        if sent is not None:
            inp = parse_console_input(sent) if isinstance(sent, str) else sent
            state, screen, effects = step(dialogue, state, inp, ctx)
            played.state = state
            played.screens.append(screen)
            played.texts.append(render_text(screen, translator))
            played.effects.extend(effects)
        shown = played.texts[-1]
        for piece in [expected] if isinstance(expected, str) else expected:
            if piece not in shown:
                history = "\n\n".join(played.texts)
                raise TranscriptMismatch(number, sent, piece, shown, history)
    return played


# --------------------------------------------------------------------------- the files


@dataclass(frozen=True)
class FileTurn:
    """One turn of a transcript file, with its line."""

    send: str | None
    see: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Run:
    """One run of a dialogue in a transcript file."""

    name: str
    line: int
    turns: tuple[FileTurn, ...]
    effects: tuple[Effect, ...]
    material: Material


@dataclass(frozen=True)
class TranscriptFile:
    """A transcript file: the dialogue, the language and the runs."""

    path: Path
    dialogue_id: str
    lang: str
    runs: tuple[Run, ...]


def transcripts_dir(dialogues_dir: Path) -> Path:
    """Where the transcripts of a dialogue directory live."""
    return dialogues_dir / SUBDIRECTORY


def read_transcript(path: Path) -> tuple[TranscriptFile | None, list[Problem]]:
    """Read one transcript file; problems name the file and line."""
    source = str(path)
    parts = path.name.split(".")
    if len(parts) != 3 or parts[2] != "yaml" or not parts[0] or not parts[1]:
        return None, [Problem(source, 1, "name a transcript file <dialogue id>.<language>.yaml")]
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(source, 1, f"cannot read the file: {error}")]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        return None, [Problem(source, line, f"YAML syntax error: {error.problem or error}")]
    except yaml.YAMLError as error:
        return None, [Problem(source, 1, f"YAML error: {error}")]
    reader = _Reader(source)
    runs = reader.runs(root)
    if reader.problems:
        return None, reader.problems
    return TranscriptFile(path, parts[0], parts[1], tuple(runs)), []


def transcript_files(dialogues_dir: Path, dialogue_ids: Iterable[str] | None = None) -> list[Path]:
    """The transcript files of a dialogue directory (only those of `dialogue_ids` if given)."""
    folder = transcripts_dir(dialogues_dir)
    if not folder.is_dir():
        return []
    if dialogue_ids is None:
        return sorted(folder.glob("*.yaml"))
    return sorted(path for ident in dialogue_ids for path in folder.glob(f"{ident}.*.yaml"))


def check_transcripts(
    catalog: DialogueCatalog,
    files: Iterable[Path],
    languages: Sequence[str],
    translator_for: Callable[[str], Translator],
) -> tuple[list[Problem], int]:
    """Play the given transcript files against the catalog; (problems, runs played).

    Every dialogue of the catalog needs a transcript in every language; a transcript must name
    a dialogue of the catalog and a supported language.
    """
    problems: list[Problem] = []
    covered: set[tuple[str, str]] = set()
    played = 0
    for path in files:
        transcript, found = read_transcript(path)
        problems.extend(found)
        if transcript is None:
            continue
        if transcript.dialogue_id not in catalog:
            problems.append(Problem(str(path), 1, f"no dialogue {transcript.dialogue_id!r}"))
            continue
        if transcript.lang not in languages:
            problems.append(Problem(str(path), 1, f"no language {transcript.lang!r}"))
            continue
        covered.add((transcript.dialogue_id, transcript.lang))
        dialogue = catalog.get(transcript.dialogue_id)
        translator = translator_for(transcript.lang)
        for run in transcript.runs:
            played += 1
            problems.extend(check_run(dialogue, run, translator, str(path)))
    for dialogue in catalog:
        for lang in languages:
            if (dialogue.id, lang) not in covered:
                folder = transcripts_dir(Path(dialogue.source).parent)
                expected = folder / f"{dialogue.id}.{lang}.yaml"
                problems.append(Problem(str(expected), 1, "no transcript of this dialogue"))
    return problems, played


def check_run(dialogue: Dialogue, run: Run, translator: Translator, source: str) -> list[Problem]:
    """Play one run; the problems it shows (empty when the run reads as written)."""
    turns: list[Turn] = [(turn.send, turn.see) for turn in run.turns]
    try:
        result = play(dialogue, turns, translator, material=run.material)
    except TranscriptMismatch as miss:
        return [Problem(source, run.turns[miss.index - 1].line, f"run {run.name!r}: {miss}")]
    problems = []
    last = run.turns[-1].send if run.turns else None
    ending = {"/done": Finished(), "/confirm": Finished(), "/cancel": Cancelled()}.get(
        (last or "").strip().lower()
    )
    if ending is not None and ending not in result.effects:
        problems.append(
            Problem(source, run.turns[-1].line, f"run {run.name!r}: the run did not end")
        )
    effects = [e for e in result.effects if not isinstance(e, Finished | Cancelled)]
    if effects != list(run.effects):
        got = "\n".join(f"  {effect!r}" for effect in effects) or "  (none)"
        problems.append(
            Problem(source, run.line, f"run {run.name!r}: the run yielded other effects:\n{got}")
        )
    return problems


class _Reader:
    """Reads composed YAML nodes into runs, collecting problems with lines."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.source, int(node.start_mark.line) + 1, message))

    def fields(self, node: Node, what: str, allowed: Iterable[str]) -> dict[str, Node] | None:
        if not isinstance(node, MappingNode):
            self.error(node, f"{what}: expected a mapping")
            return None
        allowed = tuple(allowed)
        result: dict[str, Node] = {}
        for key, value in node.value:
            name = key.value if isinstance(key, ScalarNode) else ""
            if name not in allowed:
                self.error(key, f"{what}: unknown key {name!r} (allowed: {', '.join(allowed)})")
            elif name in result:
                self.error(key, f"{what}: {name!r} given twice")
            else:
                result[name] = value
        return result

    def text(self, node: Node, what: str) -> str | None:
        # The text as written (`+14` stays "+14", `7` stays "7"): a transcript shows what a
        # person types, and YAML's number or date reading would change it.
        if not isinstance(node, ScalarNode):
            self.error(node, f"{what}: expected text")
            return None
        return str(node.value)

    def texts(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, SequenceNode):
            found = [self.text(item, what) for item in node.value]
            return tuple(piece for piece in found if piece is not None)
        one = self.text(node, what)
        return (one,) if one is not None else ()

    def date(self, node: Node, what: str) -> date | None:
        raw = self.text(node, what)
        try:
            return date.fromisoformat(raw) if raw is not None else None
        except ValueError:
            self.error(node, f"{what}: expected a date YYYY-MM-DD, got {raw!r}")
            return None

    def integer(self, node: Node, what: str) -> int | None:
        raw = self.text(node, what)
        if raw is None or not (raw.isascii() and raw.isdigit()):
            self.error(node, f"{what}: expected a whole number")
            return None
        return int(raw)

    def runs(self, root: Node | None) -> list[Run]:
        if root is None:
            self.problems.append(Problem(self.source, 1, "the file is empty"))
            return []
        top = self.fields(root, "transcript", ("runs",))
        if top is None:
            return []
        if "runs" not in top or not isinstance(top["runs"], SequenceNode) or not top["runs"].value:
            self.error(root, "transcript: `runs:` must list at least one run")
            return []
        runs = [self.run(node) for node in top["runs"].value]
        names = [run.name for run in runs if run is not None]
        for node, run in zip(top["runs"].value, runs, strict=True):
            if run is not None and names.count(run.name) > 1:
                self.error(node, f"run {run.name!r}: the name is used twice")
        return [run for run in runs if run is not None]

    def run(self, node: Node) -> Run | None:
        fields = self.fields(node, "run", ("name", "material", "turns", "effects"))
        if fields is None:
            return None
        name = self.text(fields["name"], "run name") if "name" in fields else None
        if name is None:
            self.error(node, "run: needs a `name:`")
            return None
        what = f"run {name!r}"
        turns_node = fields.get("turns")
        if not isinstance(turns_node, SequenceNode) or not turns_node.value:
            self.error(node, f"{what}: `turns:` must list at least one turn")
            return None
        turns = [self.turn(item, what) for item in turns_node.value]
        effects_node = fields.get("effects")
        effects: list[Effect | None] = []
        if effects_node is not None:
            if not isinstance(effects_node, SequenceNode):
                self.error(effects_node, f"{what}: `effects:` must be a list")
            else:
                effects = [self.effect(item, what) for item in effects_node.value]
        material = STANDARD_MATERIAL
        if "material" in fields:
            material = self.material(fields["material"], what) or STANDARD_MATERIAL
        return Run(
            name,
            int(node.start_mark.line) + 1,
            tuple(turn for turn in turns if turn is not None),
            tuple(effect for effect in effects if effect is not None),
            material,
        )

    def turn(self, node: Node, what: str) -> FileTurn | None:
        fields = self.fields(node, f"{what}: turn", ("send", "see"))
        if fields is None:
            return None
        send = self.text(fields["send"], f"{what}: send") if "send" in fields else None
        see = self.texts(fields["see"], f"{what}: see") if "see" in fields else ()
        if "send" not in fields and not see:
            self.error(node, f"{what}: a turn sends something, expects something, or both")
        return FileTurn(send, see, int(node.start_mark.line) + 1)

    def effect(self, node: Node, what: str) -> Effect | None:
        kinds = {
            "commitment": ("commitment", "due", "done_when", "parent"),
            "check": ("check", "result", "new_due", "note"),
            "care": ("care", "value"),
        }
        keys = {key.value for key, _ in node.value} if isinstance(node, MappingNode) else set()
        kind = next((k for k in kinds if k in keys), None)
        if kind is None:
            self.error(node, f"{what}: an effect starts with commitment:, check: or care:")
            return None
        fields = self.fields(node, f"{what}: {kind} effect", kinds[kind])
        if fields is None:
            return None
        label = f"{what}: {kind} effect"
        if kind == "commitment":
            text = self.text(fields["commitment"], label)
            due = self.date(fields["due"], label) if "due" in fields else None
            if due is None:
                self.error(node, f"{label}: needs `due:`")
            done_when = self.text(fields["done_when"], label) if "done_when" in fields else None
            parent = self.integer(fields["parent"], label) if "parent" in fields else None
            if text is None or due is None:
                return None
            return CreateCommitment(text, due, done_when, parent)
        if kind == "check":
            ident = self.integer(fields["check"], label)
            result = self.text(fields["result"], label) if "result" in fields else None
            if result is None:
                self.error(node, f"{label}: needs `result:`")
            new_due = self.date(fields["new_due"], label) if "new_due" in fields else None
            note = self.text(fields["note"], label) if "note" in fields else None
            if ident is None or result is None:
                return None
            return RecordCheck(ident, result, new_due, note)
        step_id = self.text(fields["care"], label)
        value = self.integer(fields["value"], label) if "value" in fields else None
        if value is None:
            self.error(node, f"{label}: needs `value:`")
        if step_id is None or value is None:
            return None
        return CareNotice(step_id, value)

    def material(self, node: Node, what: str) -> Material | None:
        label = f"{what}: material"
        fields = self.fields(node, label, ("commitment", "commitments", "next_meeting", "goals"))
        if fields is None:
            return None
        items: list[CommitmentItem] = []
        listed = fields.get("commitments")
        if listed is not None:
            if not isinstance(listed, SequenceNode):
                self.error(listed, f"{label}: `commitments:` must be a list")
            else:
                items = [item for n in listed.value if (item := self.item(n, label)) is not None]
        one = None
        if "commitment" in fields:
            ident = self.integer(fields["commitment"], label)
            one = next((item for item in items if item.id == ident), None)
            if one is None:
                self.error(fields["commitment"], f"{label}: `commitment:` names no listed id")
        meeting = self.date(fields["next_meeting"], label) if "next_meeting" in fields else None
        goals: list[GoalItem] = []
        if "goals" in fields:
            # The development plan's goals, numbered 1, 2, 3 in the order written.
            texts = self.texts(fields["goals"], f"{label}: goals")
            goals = [GoalItem(number, text) for number, text in enumerate(texts, start=1)]
        return Material(one, tuple(items), meeting, tuple(goals))

    def item(self, node: Node, label: str) -> CommitmentItem | None:
        keys = ("id", "text", "due", "done_when", "last_check")
        fields = self.fields(node, f"{label}: commitment", keys)
        if fields is None:
            return None
        if not {"id", "text", "due"} <= set(fields):
            self.error(node, f"{label}: a commitment needs id, text and due")
            return None
        ident = self.integer(fields["id"], label)
        text = self.text(fields["text"], label)
        due = self.date(fields["due"], label)
        done_when = self.text(fields["done_when"], label) if "done_when" in fields else None
        last_check = self.text(fields["last_check"], label) if "last_check" in fields else None
        if ident is None or text is None or due is None:
            return None
        return CommitmentItem(ident, text, due, done_when, last_check)
