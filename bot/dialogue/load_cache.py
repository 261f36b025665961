"""Validated dialogues kept between starts, keyed by the exact bytes of the files and of the code
that reads them, so `hemmaplan chat` skips YAML parsing and schema validation when nothing changed.

Any change to a dialogue file, or to the modules that turn it into the engine's model, gives a new
key and the files are read and validated again; the cache never decides whether a file is valid.
`hemmaplan dialogues check` does not use it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

from bot.dialogue.model import Dialogue

# The modules whose code decides what a loaded dialogue looks like.
_CODE = ("loader.py", "load_cache.py", "schema.py", "yaml_tree.py", "model.py", "material.py")
_FORMAT = b"hemmaplan-dialogues-1"


def dialogue_cache_dir() -> Path:
    """Where validated dialogues are kept between runs (the user's cache directory)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "hemmaplan" / "dialogues"


def key_of(paths: Sequence[Path]) -> str | None:
    """A digest of the files and of the code reading them (None if a file cannot be read)."""
    digest = hashlib.sha256(_FORMAT)
    here = Path(__file__).parent
    try:
        for name in _CODE:
            digest.update((here / name).read_bytes())
        for path in paths:
            data = path.read_bytes()
            digest.update(f"\0{path}\0{len(data)}\0".encode())
            digest.update(data)
    except OSError:
        return None
    return digest.hexdigest()


def _entry(paths: Sequence[Path], cache_dir: Path) -> Path:
    # One entry per set of files (a dialogues directory), replaced when they change.
    where = hashlib.sha256("\0".join(str(p.resolve()) for p in paths).encode()).hexdigest()
    return cache_dir / f"{where[:24]}.pickle"


def cached(paths: Sequence[Path], cache_dir: Path) -> tuple[str | None, list[Dialogue] | None]:
    """The key of these files and, when the cache holds them under it, their dialogues."""
    key = key_of(paths)
    if key is None:
        return None, None
    try:
        stored_key, dialogues = pickle.loads(_entry(paths, cache_dir).read_bytes())
    except Exception:  # missing, half-written by an old version, unreadable: read the files
        return key, None
    if stored_key != key or not isinstance(dialogues, list):
        return key, None
    if not all(isinstance(dialogue, Dialogue) for dialogue in dialogues):
        return key, None
    return key, dialogues


def store(paths: Sequence[Path], key: str, dialogues: list[Dialogue], cache_dir: Path) -> None:
    """Keep valid dialogues for the next start (silently skipped if the cache is not writable)."""
    entry = _entry(paths, cache_dir)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a concurrent start never reads half a file.
        partial = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        partial.write_bytes(pickle.dumps((key, dialogues), protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(entry)
    except OSError:
        pass
