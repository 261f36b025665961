"""Build step: a wheel carries the top-level dialogues/ and locales/ as package data (bot/_data/).

The folders stay at the top of the repository (translators and dialogue authors work there); the
build copies what the bot reads at run time into the package. An editable install copies nothing
and reads the repository folders (bot/config.py resolves both).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# folder -> the files of it the bot reads at run time (dialogue format notes ride along).
RUNTIME_DATA = {
    "dialogues": ("*.yaml", "README.md", "transcripts/*.yaml"),
    "locales": ("*/LC_MESSAGES/*.po",),
}


class BuildPyWithData(build_py):
    """build_py that also copies the dialogues and catalogs into bot/_data/ of the build."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        # A reused build/ directory must not ship a dialogue that was deleted since.
        shutil.rmtree(Path(self.build_lib, "bot", "_data"), ignore_errors=True)
        for folder, patterns in RUNTIME_DATA.items():
            source_dir = ROOT / folder
            target_dir = Path(self.build_lib, "bot", "_data", folder)
            files = sorted({f for pattern in patterns for f in source_dir.glob(pattern)})
            if not files:
                raise SystemExit(f"setup.py: nothing to ship in {source_dir}")
            for source in files:
                target = target_dir / source.relative_to(source_dir)
                self.mkpath(str(target.parent))
                self.copy_file(str(source), str(target))


setup(cmdclass={"build_py": BuildPyWithData})
