"""Babel extractor for dialogue YAML: every user-visible text, with the dialogue id as msgctxt.

Registered in babel.cfg as `dialogues = bot.i18n_extract:extract_dialogues`. Which keys are texts
to translate, and what translators are told about them, is declared in the dialogue schema
(`bot.dialogue.schema`, the fields marked `Translatable`); this walks a file's data along the
schema. It skips whatever it cannot read instead of failing the whole extraction: the dialogue
loader reports the errors.
"""

from __future__ import annotations

import typing
from collections.abc import Collection, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import IO, Any

from pydantic.fields import FieldInfo

from bot.dialogue.schema import DialogueFile, Spec, Translatable
from bot.dialogue.yaml_tree import Path as DataPath
from bot.dialogue.yaml_tree import Tree, YamlSyntaxError, read_tree

# (lineno, funcname, (msgctxt, msgid), translator comments), as Babel expects from an extractor.
Extracted = tuple[int, str, tuple[str, str], list[str]]


# What to look at in a mapping: per key, the note of a text to translate (and whether the key
# holds a list of them, the phrasings of a question), or the parts the key may hold.
Plan = dict[str, "tuple[str, bool] | tuple[type[Spec], ...]"]


def _parts_in(annotation: Any) -> tuple[type[Spec], ...]:
    """The schema parts an annotation holds (through lists, unions and Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, Spec):
        return (annotation,)
    found: list[type[Spec]] = []
    for argument in typing.get_args(annotation):
        for part in _parts_in(argument):
            if part not in found:
                found.append(part)
    return tuple(found)


def _note(info: FieldInfo) -> tuple[str, bool] | None:
    """A text field's translator note, and whether it holds a list of texts."""
    for meta in info.metadata:
        if isinstance(meta, Translatable):
            return meta.note, typing.get_origin(info.annotation) is list
    # The mark may sit on the type inside `| None` rather than on the field.
    for inner in typing.get_args(info.annotation):
        for meta in getattr(inner, "__metadata__", ()):
            if isinstance(meta, Translatable):
                return meta.note, typing.get_origin(typing.get_args(inner)[0]) is list
    return None


def _holds_texts(parts: tuple[type[Spec], ...], seen: set[type[Spec]]) -> bool:
    for part in parts:
        if part in seen:
            continue  # conditions hold conditions
        seen.add(part)
        for info in part.model_fields.values():
            if _note(info) is not None or _holds_texts(_parts_in(info.annotation), seen):
                return True
    return False


@cache
def _plan(parts: tuple[type[Spec], ...]) -> Plan:
    """What to look at in a mapping that is one of `parts` (several kinds of step: their keys
    are merged, so a step whose kind is misspelt still has its texts extracted)."""
    plan: Plan = {}
    for part in parts:
        for name, info in part.model_fields.items():
            key = info.alias or name
            if key in plan:
                continue
            note = _note(info)
            nested = _parts_in(info.annotation)
            if note is not None:
                plan[key] = note
            elif nested and _holds_texts(nested, set()):
                plan[key] = nested
    return plan


class _Collector:
    """Accumulates the messages of one dialogue file."""

    def __init__(self, context: str, tree: Tree) -> None:
        self.context = context
        self.tree = tree
        self.found: list[Extracted] = []

    def add(self, path: DataPath, text: Any, comment: str) -> None:
        if isinstance(text, str) and text.strip():
            line = self.tree.value_lines.get(path, 1)
            self.found.append((line, "pgettext", (self.context, text), [comment]))

    def walk(
        self, parts: tuple[type[Spec], ...], data: Any, path: DataPath, notes: list[str]
    ) -> None:
        if not isinstance(data, dict):
            return
        context = parts[0].note_context(data) if len(parts) >= 1 else None
        if context is not None:
            notes = [*notes, context]
        for key, target in _plan(parts).items():
            if key not in data:
                continue
            value, at = data[key], (*path, key)
            if isinstance(target[0], str):
                note, many = target
                self.text(at, value, [*notes, note] if note else notes, many)
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    self.walk(target, item, (*at, index), notes)
            else:
                self.walk(target, value, at, notes)

    def text(self, path: DataPath, value: Any, notes: list[str], many: bool) -> None:
        if not (many and isinstance(value, list)):
            self.add(path, value, ", ".join(notes))
            return
        # Several phrasings of one question: translators see which one this is.
        for number, item in enumerate(value, start=1):
            note = ", ".join(notes)
            if len(value) > 1:
                note = f"{note} phrasing {number} of {len(value)}"
            self.add((*path, number - 1), item, note)


def dialogue_messages(text: str, fallback_id: str) -> list[Extracted]:
    """All translatable texts of one dialogue YAML document; [] if it is not readable YAML."""
    try:
        tree = read_tree(text)
    except YamlSyntaxError:
        return []
    if tree is None or not isinstance(tree.data, dict):
        return []
    raw_id = tree.data.get("id")
    collector = _Collector(raw_id if isinstance(raw_id, str) and raw_id else fallback_id, tree)
    collector.walk((DialogueFile,), tree.data, (), [])
    return collector.found


def extract_dialogues(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any] | Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """Babel extraction method: yield (lineno, "pgettext", (dialogue id, text), comments)."""
    encoding = str(options.get("encoding", "utf-8"))
    try:
        text = fileobj.read().decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return
    name = getattr(fileobj, "name", "")
    fallback_id = Path(name).stem if isinstance(name, str) and name else "dialogue"
    yield from dialogue_messages(text, fallback_id)
