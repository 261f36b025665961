"""The newest packaged migration, read from the revision files without importing Alembic."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"

# Alembic's revision modules declare `revision: str = "0002"` and `down_revision: ... = "0001"`
# (or None) at the top level; that is all it reads to find the head, and so do we.
_ASSIGNMENT = re.compile(
    r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(?:[\"']([^\"']+)[\"']|None)\s*$", re.M
)


@cache
def packaged_head() -> str | None:
    """The single head revision of the packaged migrations, or None if there is not exactly one."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        found = dict(
            (name, value) for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8"))
        )
        if found.get("revision"):
            revisions.add(found["revision"])
        if found.get("down_revision"):
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None
