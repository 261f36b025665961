"""Telegram's HTML parse mode for the Bot API fake: validates markup and yields text + entities.

Modelled on how the Bot API parses `parse_mode=HTML`: only the documented tags, the four named
entities plus numeric ones, offsets in the error messages counted in UTF-8 bytes and entity
offsets/lengths counted in UTF-16 code units. The fake is deliberately a little stricter than the
real server for a bare `&` (the documentation requires escaping it; the server sometimes lets it
through), because a bot that relies on that leniency breaks on the next user input containing
`&lt;`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tag -> entity type; "pre"/"code"/"a"/"span"/"blockquote" get extra handling below.
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "a": "text_link",
    "span": "spoiler",
    "tg-emoji": "custom_emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]*);")
_TAG_NAME_RE = re.compile(r"[A-Za-z0-9-]+")
_ATTR_RE = re.compile(r"\s*([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(\"[^\"]*\"|'[^']*'|[^\s>\"']+))?")


class HtmlParseError(ValueError):
    """The text is not valid Telegram HTML; `str()` is Telegram's wording after the prefix."""


@dataclass
class _Open:
    name: str
    start: int  # UTF-16 offset in the plain text
    attrs: dict[str, str] = field(default_factory=dict)


def utf16_len(text: str) -> int:
    """Returns the length of text in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(source: str, index: int) -> int:
    return len(source[:index].encode("utf-8"))


def _decode_entity(source: str, index: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(source, index)
    if match is None:
        raise HtmlParseError(
            f"Can't find end of the entity starting at byte offset {_byte_offset(source, index)}"
        )
    body = match.group(1)
    if body.startswith(("#x", "#X")):
        code = int(body[2:], 16)
    elif body.startswith("#"):
        code = int(body[1:])
    elif body in _NAMED_ENTITIES:
        return _NAMED_ENTITIES[body], match.end()
    else:
        raise HtmlParseError(
            f'Unsupported HTML entity "&{body};" at byte offset {_byte_offset(source, index)}'
        )
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise HtmlParseError(f"Wrong HTML entity at byte offset {_byte_offset(source, index)}")
    return chr(code), match.end()


def _decode_attr_value(raw: str) -> str:
    if raw[:1] in "\"'":
        raw = raw[1:-1]
    out: list[str] = []
    i = 0
    while i < len(raw):
        if raw[i] == "&":
            try:
                char, i = _decode_entity(raw, i)
            except HtmlParseError:
                char, i = "&", i + 1
            out.append(char)
        else:
            out.append(raw[i])
            i += 1
    return "".join(out)


def _entity_for(tag: _Open, length: int, parent: _Open | None) -> dict[str, Any] | None:
    kind = _SIMPLE_TAGS[tag.name]
    entity: dict[str, Any] = {"type": kind, "offset": tag.start, "length": length}
    if tag.name == "a":
        href = tag.attrs.get("href", "")
        if not href:
            return None
        if href.startswith("tg://user?id="):
            entity = {"type": "text_mention", "offset": tag.start, "length": length}
            entity["user"] = {"id": int(href.split("=", 1)[1] or 0), "is_bot": False}
            return entity
        entity["url"] = href
    elif tag.name == "blockquote" and "expandable" in tag.attrs:
        entity["type"] = "expandable_blockquote"
    elif tag.name == "code" and parent is not None and parent.name == "pre":
        language = tag.attrs.get("class", "")
        if language.startswith("language-"):
            # Telegram folds <pre><code class="language-x"> into one pre entity with a language.
            entity["type"] = "pre"
            entity["language"] = language.removeprefix("language-")
    elif tag.name == "tg-emoji":
        entity["custom_emoji_id"] = tag.attrs.get("emoji-id", "")
    return entity


def _parse_start_tag(source: str, index: int) -> tuple[_Open, int]:
    """Parses `<name attr=...>` at index; returns the open tag (start unset) and the next index."""
    name_match = _TAG_NAME_RE.match(source, index + 1)
    name = name_match.group(0).lower() if name_match else source[index + 1 : index + 2].strip()
    if name not in _SIMPLE_TAGS:
        raise HtmlParseError(
            f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, index)}'
        )
    assert name_match is not None
    i = name_match.end()
    attrs: dict[str, str] = {}
    while True:
        while i < len(source) and source[i].isspace():
            i += 1
        if i >= len(source):
            raise HtmlParseError(f"Unclosed start tag at byte offset {_byte_offset(source, index)}")
        if source[i] == ">":
            i += 1
            break
        if source.startswith("/>", i):
            raise HtmlParseError(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, index)}'
            )
        attr = _ATTR_RE.match(source, i)
        if attr is None or attr.end() == i:
            raise HtmlParseError(
                f"Expected equal sign in declaration of an attribute of the tag "
                f'"{name}" at byte offset {_byte_offset(source, i)}'
            )
        value = _decode_attr_value(attr.group(2)) if attr.group(2) is not None else ""
        attrs[attr.group(1).lower()] = value
        i = attr.end()
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise HtmlParseError('Tag "span" must have class "tg-spoiler"')
    if name == "tg-emoji" and not attrs.get("emoji-id"):
        raise HtmlParseError('Tag "tg-emoji" must have attribute "emoji-id"')
    return _Open(name=name, start=0, attrs=attrs), i


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parses Telegram HTML; returns (plain text, entities) or raises HtmlParseError."""
    out: list[str] = []
    out_len = 0  # UTF-16 units emitted so far
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char == "&":
            decoded, i = _decode_entity(source, i)
            out.append(decoded)
            out_len += utf16_len(decoded)
            continue
        if char != "<":
            out.append(char)
            out_len += utf16_len(char)
            i += 1
            continue
        if source.startswith("</", i):
            end = source.find(">", i)
            if end < 0:
                raise HtmlParseError(
                    f"Can't find end tag corresponding to start tag at byte offset "
                    f"{_byte_offset(source, i)}"
                )
            name = source[i + 2 : end].strip().lower()
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {_byte_offset(source, i)}")
            top = stack.pop()
            if name != top.name:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {_byte_offset(source, i)}, "
                    f'expected "</{top.name}>", found "</{name}>"'
                )
            length = out_len - top.start
            folded = (
                top.name == "pre"
                and entities
                and entities[-1].get("language") is not None
                and (entities[-1]["offset"], entities[-1]["length"]) == (top.start, length)
            )
            if length > 0 and not folded:
                entity = _entity_for(top, length, stack[-1] if stack else None)
                if entity is not None:
                    entities.append(entity)
            i = end + 1
            continue
        tag, i = _parse_start_tag(source, i)
        tag.start = out_len
        stack.append(tag)
    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def strip_outer_whitespace(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[Any]]:
    """Trims leading/trailing whitespace like Telegram does, moving entity offsets along."""
    stripped_left = text.lstrip()
    shift = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip()
    limit = utf16_len(result)
    moved: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"] - shift, 0)
        end = min(entity["offset"] + entity["length"] - shift, limit)
        if end > start:
            moved.append({**entity, "offset": start, "length": end - start})
    return result, moved
