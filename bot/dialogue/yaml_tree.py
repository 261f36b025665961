"""A YAML document as plain data plus the line of every key and value, for `path:line` errors."""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

# A path into the data: mapping keys and list positions, from the document's root.
Path = tuple[str | int, ...]

# libyaml's parser (when PyYAML has it) composes the same nodes with the same marks about ten
# times faster: reading every dialogue is on the path to `hemmaplan chat`'s first question.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR_TAG = "tag:yaml.org,2002:str"


class Null:
    """What a YAML null (`key:` with nothing after it) reads as.

    No field of the dialogue format accepts it, so a forgotten value is reported as "got
    nothing" instead of silently counting as a key that was left out (which None would mean).
    """

    _instance: Null | None = None

    def __new__(cls) -> Null:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "null"


NULL = Null()


class YamlSyntaxError(Exception):
    """The text is not readable YAML; carries the 1-based line and what is wrong."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class Tree:
    """A document's data with the lines of its values and keys, and what could not be read."""

    def __init__(self) -> None:
        self.data: Any = None
        self.value_lines: dict[Path, int] = {}
        self.key_lines: dict[Path, int] = {}
        # (path, line, message with {where} for what the path is called): duplicate keys...
        self.problems: list[tuple[Path, int, str]] = []

    def line(self, path: Path) -> int:
        """The line to report for a path: its key's line (a block list or mapping starts on the
        next one), an item's own line, or the nearest enclosing value that exists."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if prefix in self.key_lines:
                return self.key_lines[prefix]
            if prefix in self.value_lines:
                return self.value_lines[prefix]
        return 1

    def at(self, path: Path) -> Any:
        """The value at a path (None when there is none)."""
        current = self.data
        for part in path:
            found, current = _child(current, part)
            if not found:
                return None
        return current

    def resolve(self, loc: tuple[str | int, ...]) -> Path:
        """A validation error's location as a path into the data, leaving out the parts that are
        no key or position of the data (the kind a step was validated as, for example)."""
        current = self.data
        path: list[str | int] = []
        for part in loc:
            found, child = _child(current, part)
            if found:
                path.append(part)
                current = child
        return tuple(path)


def _child(value: Any, part: str | int) -> tuple[bool, Any]:
    """Whether `part` is a key or position of `value`, and what is there."""
    if isinstance(value, dict) and isinstance(part, str) and part in value:
        return True, value[part]
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return True, value[part]
    return False, None


def read_tree(text: str) -> Tree | None:
    """Parse one YAML document into a Tree (None for an empty document).

    Raises YamlSyntaxError when the text is not YAML.
    """
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = " ".join(part for part in (error.context, error.problem) if part)
        raise YamlSyntaxError(line, f"YAML syntax error: {what or error}") from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, f"YAML error: {error}") from error
    if root is None:
        return None
    tree = Tree()
    tree.data = _Reader(tree).read(root, ())
    return tree


class _Reader:
    """Turns composed nodes into plain data, noting lines and what cannot be read."""

    def __init__(self, tree: Tree) -> None:
        self.tree = tree
        self.constructor = SafeConstructor()
        # Nodes being read, to stop at an alias that contains itself (`&a [*a]`).
        self.open: set[int] = set()

    def problem(self, path: Path, node: Node, message: str) -> None:
        self.tree.problems.append((path, int(node.start_mark.line) + 1, message))

    def read(self, node: Node, path: Path) -> Any:
        self.tree.value_lines[path] = int(node.start_mark.line) + 1
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        if id(node) in self.open:
            self.problem(path, node, "{where} refers to itself (a YAML alias inside its anchor)")
            return NULL
        self.open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.read(item, (*path, index)) for index, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self.mapping(node, path)
            return NULL
        finally:
            self.open.discard(id(node))

    def scalar(self, node: ScalarNode, path: Path) -> Any:
        if node.tag == _STR_TAG:
            return node.value  # most values: no need to ask the constructor
        try:
            value = self.constructor.construct_object(node, deep=True)
        except yaml.YAMLError as error:
            self.problem(path, node, f"cannot read value: {error}")
            return NULL
        return NULL if value is None else value

    def mapping(self, node: MappingNode, path: Path) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.scalar(key_node, path) if isinstance(key_node, ScalarNode) else None
            if not isinstance(key, str):
                self.problem(
                    path, key_node, f"keys in {{where}} must be text, got {type_name(key)}"
                )
                continue
            if key in result:
                self.problem(path, key_node, f"duplicate key {key!r} in {{where}}")
                continue
            self.tree.key_lines[(*path, key)] = int(key_node.start_mark.line) + 1
            result[key] = self.read(value_node, (*path, key))
        return result


def type_name(value: Any) -> str:
    """How a value read from YAML is named in an error ("a list", "a boolean (put it...)")."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None or isinstance(value, Null):
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean (put it in quotes if you meant text)"
    if isinstance(value, int):
        return "a number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, date):
        return "a date (put it in quotes if you meant text)"
    if isinstance(value, str):
        return "text"
    return "a value of another type"
