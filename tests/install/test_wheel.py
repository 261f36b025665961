"""The built wheel: it carries the dialogues and catalogs and runs from any directory.

One sdist and wheel are built per session (`python -m build`, as .ci/run does) and installed
into a virtualenv of their own. `.ci/run` also installs the wheel with all its dependencies into a
fresh virtualenv; here the dependencies are borrowed from the test environment to stay fast.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

KOLB_SV = ["Ett svårt möte", "Jag pratade för mycket", "Jag fyller tystnader", "Fråga och vänta"]


@dataclass(frozen=True)
class Installed:
    """A virtualenv holding the built wheel, and a directory outside the repository."""

    venv: Path
    elsewhere: Path

    @property
    def package_data(self) -> Path:
        """Where the installed package keeps its dialogues and catalogs."""
        (site_packages,) = self.venv.glob("lib/python*/site-packages")
        return site_packages / "bot" / "_data"

    def run(
        self, *args: str, stdin: str = "", env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a command of the virtualenv's bin/ from the directory outside the repository."""
        environment = {k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")}
        environment["HEMMAPLAN_DATA_DIR"] = str(self.elsewhere / "data")
        environment.update(env or {})
        command = [str(self.venv / "bin" / args[0]), *args[1:]]
        return subprocess.run(
            command,
            input=stdin,
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            cwd=self.elsewhere,
        )


def _build_tools_installed() -> bool:
    """True when the test extras' `build` and `setuptools>=77` are installed (older venvs)."""
    try:
        return int(metadata.version("setuptools").split(".")[0]) >= 77 and bool(
            metadata.version("build")
        )
    except metadata.PackageNotFoundError:
        return False


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the sdist and wheel once and install the wheel into its own virtualenv."""
    if not _build_tools_installed():
        message = "build or setuptools>=77 missing: pip install -e '.[test]'"
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail(message)
        pytest.skip(message)
    root = tmp_path_factory.mktemp("wheel")
    dist, venv, elsewhere = root / "dist", root / "venv", root / "elsewhere"
    subprocess.run(
        # No isolated build environment (seconds saved): the test extras carry setuptools.
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(PROJECT_ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("hemmaplan-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies: the test environment's site-packages, after the venv's own (a .pth
    # line adds a directory without running the .pth files in it, so the editable install
    # of this checkout stays out).
    (site_packages,) = venv.glob("lib/python*/site-packages")
    (site_packages / "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"])
    elsewhere.mkdir()
    return Installed(venv, elsewhere)


def test_the_wheel_carries_the_repository_dialogues_and_catalogs(installed: Installed) -> None:
    shipped = {
        "dialogues": [
            *PROJECT_ROOT.glob("dialogues/*.yaml"),
            *PROJECT_ROOT.glob("dialogues/transcripts/*.yaml"),
            PROJECT_ROOT / "dialogues/README.md",
        ],
        "locales": list(PROJECT_ROOT.glob("locales/*/LC_MESSAGES/*.po")),
    }
    for folder, files in shipped.items():
        packaged = sorted(p for p in (installed.package_data / folder).rglob("*") if p.is_file())
        assert [p.relative_to(installed.package_data) for p in packaged] == sorted(
            f.relative_to(PROJECT_ROOT) for f in files
        )
        for path in packaged:
            original = PROJECT_ROOT / path.relative_to(installed.package_data)
            assert path.read_bytes() == original.read_bytes(), path


def test_the_installed_command_runs_a_dialogue_from_another_directory(
    installed: Installed,
) -> None:
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text("utf-8"))
    version = pyproject["project"]["version"]
    assert installed.run("hemmaplan", "--version").stdout == f"hemmaplan, version {version}\n"
    as_module = installed.run("python", "-m", "bot", "--version")
    assert as_module.stdout.endswith(f", version {version}\n"), as_module.stderr

    check = installed.run("hemmaplan", "dialogues", "check")
    count = len(list(PROJECT_ROOT.glob("dialogues/*.yaml")))
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout == f"ok: {count} dialogfiler är giltiga\n"

    answers = "\n".join([*KOLB_SV, "/skip", "/done"]) + "\n"  # /skip: no commitment
    chat = installed.run("hemmaplan", "chat", "kolb", "--lang", "sv", "--user", "ci", stdin=answers)
    assert chat.returncode == 0, chat.stdout + chat.stderr
    assert "Lär av en erfarenhet (4/5)" in chat.stdout
    assert chat.stdout.rstrip().endswith("Sparat. Tack för att du tog dig tid.")


def test_the_environment_still_overrides_the_packaged_folders(
    installed: Installed, tmp_path: Path
) -> None:
    dialogues = tmp_path / "dialogues"
    dialogues.mkdir()
    shutil.copy(PROJECT_ROOT / "dialogues" / "kolb.yaml", dialogues)
    locales = tmp_path / "locales"
    shutil.copytree(PROJECT_ROOT / "locales", locales, ignore=shutil.ignore_patterns(".*"))
    catalog = locales / "sv" / "LC_MESSAGES" / "messages.po"
    catalog.write_text(
        catalog.read_text("utf-8").replace('"Lär av en erfarenhet"', '"Lär av det som hände"'),
        "utf-8",
    )
    env = {"HEMMAPLAN_DIALOGUES_DIR": str(dialogues), "HEMMAPLAN_LOCALES_DIR": str(locales)}

    listed = installed.run("hemmaplan", "dialogues", "list", "--lang", "sv", env=env)
    assert listed.returncode == 0, listed.stderr
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["kolb"]
    assert "Lär av det som hände" in listed.stdout

    # Without catalogs the operator messages and the chat fall back to the English source.
    env["HEMMAPLAN_LOCALES_DIR"] = str(tmp_path / "no-catalogs")
    check = installed.run("hemmaplan", "dialogues", "check", env=env)
    assert check.stdout == "ok: 1 dialogue file is valid\n"
    answers = "\n".join([*KOLB_SV, "/skip", "/done"]) + "\n"  # /skip: no commitment
    chat = installed.run("hemmaplan", "chat", "kolb", "--lang", "sv", stdin=answers, env=env)
    assert chat.returncode == 0, chat.stderr
    assert "Learn from an experience (1/5)" in chat.stdout
