"""Babel extractor for dialogue YAML: every user-visible text, with the dialogue id as msgctxt.

Registered in babel.cfg as `dialogues = bot.i18n_extract:extract_dialogues`. It reads the YAML
node tree (not the loaded data) so each message keeps its own line number, and it skips whatever
it cannot read instead of failing the whole extraction: the dialogue loader reports the errors.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# (lineno, funcname, (msgctxt, msgid), translator comments), as Babel expects from an extractor.
Extracted = tuple[int, str, tuple[str, str], list[str]]

_STR_TAG = "tag:yaml.org,2002:str"
_STEP_TEXT_KEYS = ("help", "min_label", "max_label", "summary")


def _scalar(node: Node | None) -> str | None:
    """The text of a string scalar node, or None for anything else."""
    if isinstance(node, ScalarNode) and node.tag == _STR_TAG and isinstance(node.value, str):
        return node.value
    return None


def _get(node: Node | None, key: str) -> Node | None:
    """The value node for a key of a mapping node (None if absent or not a mapping)."""
    if not isinstance(node, MappingNode):
        return None
    for key_node, value_node in node.value:
        if (
            isinstance(key_node, ScalarNode)
            and key_node.value == key
            and isinstance(value_node, Node)
        ):
            return value_node
    return None


def _items(node: Node | None) -> list[Node]:
    """The items of a sequence node (empty for anything else)."""
    return list(node.value) if isinstance(node, SequenceNode) else []


class _Collector:
    """Accumulates messages for one dialogue file."""

    def __init__(self, context: str) -> None:
        self.context = context
        self.found: list[Extracted] = []

    def add(self, node: Node | None, comment: str) -> None:
        text = _scalar(node)
        if node is not None and text and text.strip():
            line = node.start_mark.line + 1
            self.found.append((line, "pgettext", (self.context, text), [comment]))


def _step_messages(collector: _Collector, step: Node) -> None:
    """Collect the texts of one step: prompt phrasings, help, labels, options."""
    step_id = _scalar(_get(step, "id")) or "?"
    kind = _scalar(_get(step, "kind")) or "?"
    where = f"step: {step_id} ({kind})"
    prompt = _get(step, "prompt")
    phrasings = _items(prompt) if isinstance(prompt, SequenceNode) else [prompt]
    for number, phrasing in enumerate(phrasings, start=1):
        if len(phrasings) > 1:
            note = f"{where}, question phrasing {number} of {len(phrasings)}"
        else:
            note = f"{where}, question"
        if phrasing is not None:
            collector.add(phrasing, note)
    for key in _STEP_TEXT_KEYS:
        label = "summary label" if key == "summary" else key.replace("_", " ")
        collector.add(_get(step, key), f"{where}, {label}")
    for option in _items(_get(step, "options")):
        value = _scalar(_get(option, "value")) or "?"
        collector.add(_get(option, "label"), f"{where}, option {value}")


def dialogue_messages(text: str, fallback_id: str) -> list[Extracted]:
    """All translatable texts of one dialogue YAML document; [] if it is not readable YAML."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return []
    if not isinstance(root, MappingNode):
        return []
    collector = _Collector(_scalar(_get(root, "id")) or fallback_id)
    collector.add(_get(root, "title"), "dialogue title (menu button, short)")
    collector.add(_get(root, "summary"), "dialogue summary (menu description)")
    for step in _items(_get(root, "steps")):
        if isinstance(step, MappingNode):
            _step_messages(collector, step)
    collector.add(_get(_get(root, "recap"), "title"), "recap title")
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
