"""Loading and validating dialogue YAML files, reporting every problem as `path:line: message`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.dialogue.load_cache import cached, key_of, store
from bot.dialogue.model import Dialogue

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from bot.dialogue.schema import Parts
    from bot.dialogue.yaml_tree import Path as PathTo

__all__ = [
    "DialogueCatalog",
    "DialogueFileError",
    "Problem",
    "check_paths",
    "load_dialogue",
    "load_dialogues",
]


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


def load_dialogues(
    dir_or_paths: str | Path | Iterable[str | Path], cache_dir: Path | None = None
) -> DialogueCatalog:
    """Load every dialogue of a directory (or the given files) into a catalog.

    With `cache_dir`, dialogues validated at an earlier start are taken from there when neither
    the files nor the code reading them changed (see `bot.dialogue.load_cache`).
    """
    paths = _expand(dir_or_paths)
    key = None
    if cache_dir is not None:
        key, known = cached(paths, cache_dir)
        if known is not None:
            return DialogueCatalog(known)
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
    # Kept only if no file changed while it was read.
    if cache_dir is not None and key is not None and key_of(paths) == key:
        store(paths, key, dialogues, cache_dir)
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
    # Imported here: a start that finds its dialogues in the cache needs neither YAML nor the
    # schema (building the schema's validators costs more than reading the files).
    from pydantic import ValidationError

    from bot.dialogue.format_errors import describe, explain
    from bot.dialogue.schema import DialogueFile, Parts, dialogue_problems, to_dialogue
    from bot.dialogue.yaml_tree import YamlSyntaxError, read_tree

    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, [Problem(source, 1, f"cannot read the file: {error}")]
    try:
        tree = read_tree(text)
    except YamlSyntaxError as error:
        return None, [Problem(source, error.line, error.message)]
    if tree is None:
        return None, [Problem(source, 1, "the file is empty")]
    # Keys YAML itself cannot hold (a duplicate, a key that is no text), at the key's line.
    problems = [
        Problem(source, line, message.replace("{where}", describe(where, tree)))
        for where, line, message in tree.problems
    ]
    spec: DialogueFile | None = None
    try:
        spec = DialogueFile.model_validate(tree.data)
        parts = Parts.of(spec)
    except ValidationError as error:
        broken: list[PathTo] = []
        for detail in error.errors(include_url=False):
            where, message = explain(detail, tree)
            problems.append(Problem(source, tree.line(where), message))
            broken.append(where)
        # Relations are still checked between the parts that are valid on their own.
        parts = _valid_parts(tree.data, broken)
    for where, message in dialogue_problems(parts, path.stem):
        problems.append(Problem(source, tree.line(where), message))
    if problems or spec is None:
        return None, sorted(problems, key=lambda problem: problem.line)
    return to_dialogue(spec, source, tree.line), []


@cache
def _adapters() -> tuple[TypeAdapter[Any], TypeAdapter[Any], TypeAdapter[Any]]:
    # Only a broken file needs them: imported and built on first use.
    from pydantic import TypeAdapter

    from bot.dialogue.schema import Audience, MaterialName, StepSpec

    return TypeAdapter(Audience), TypeAdapter(MaterialName), TypeAdapter(StepSpec)


def _valid(adapter: TypeAdapter[Any] | type[Any], value: Any) -> Any:
    """`value` validated by a part of the schema, or None if it has problems (already listed)."""
    from pydantic import ValidationError

    try:
        if isinstance(adapter, type):
            return adapter.model_validate(value)
        return adapter.validate_python(value)
    except ValidationError:
        return None


def _valid_items(adapter: TypeAdapter[Any], value: Any) -> list[Any] | None:
    """The items of a list validated one by one (None for those with problems)."""
    return [_valid(adapter, item) for item in value] if isinstance(value, list) else None


def _valid_parts(data: Any, broken: list[PathTo]) -> Parts:
    """The parts of a file with problems (at the `broken` paths) that are valid on their own."""
    from bot.dialogue.schema import ID_PATTERN, EffectItem, Parts, RecapSpec

    if not isinstance(data, dict):
        return Parts()
    audience, material, step_adapter = _adapters()
    raw_id = data.get("id")
    parts = Parts(raw_id if isinstance(raw_id, str) and ID_PATTERN.match(raw_id) else None)
    parts.audience = _valid_items(audience, data.get("audience"))
    parts.material = _valid_items(material, data.get("material"))
    raw_steps = data.get("steps")
    for index, raw in enumerate(raw_steps if isinstance(raw_steps, list) else ()):
        step_id = raw.get("id") if isinstance(raw, dict) else None
        if not (isinstance(step_id, str) and ID_PATTERN.match(step_id)):
            step_id = None
        step = _valid(step_adapter, raw)
        if step is None and isinstance(raw, dict):
            # Without its broken keys, a step's condition and references can still be checked.
            keys = {p[2] for p in broken if len(p) > 2 and p[:2] == ("steps", index)}
            kept = {key: value for key, value in raw.items() if key not in keys}
            if "prompt" in keys:
                kept["prompt"] = "?"  # required, and nothing relates to it
            step = _valid(step_adapter, kept)
            parts.partial.add(index)
        parts.steps.append((step_id, step))
    recap = data.get("recap")
    if isinstance(recap, dict):
        # A broken title should not hide what is wrong with the steps the recap lists.
        parts.recap = _valid(RecapSpec, recap) or _valid(RecapSpec, {"steps": recap.get("steps")})
    raw_effects = data.get("effects")
    for raw in raw_effects if isinstance(raw_effects, list) else ():
        parts.effects.append(_valid(EffectItem, raw))
    return parts
