"""Benchmark: how long the commands people type first take to answer.

- help: `hemmaplan --help`, from starting the process to its exit.
- chat: `hemmaplan chat --lang en`, from starting the process to its first question (the
  dialogue menu, up to its "Answer with a number" line), on an embedded database that is already
  migrated (an untimed first run in a temporary data directory creates and migrates it). Input
  is a pipe that is closed once the question has been read, so the process then ends by itself.
- python: `python -c pass` with the same interpreter, the floor every command pays (baseline).

Before the runs the package's bytecode is compiled (untimed), as installing a wheel does: an
editable install in an environment with PYTHONDONTWRITEBYTECODE set would otherwise compile every
module of `bot` from source at every start, which no installed copy does.

Every figure is the median of `--runs` (default 5) runs, one after the other; the spread
(min–max) is printed beside it because the machine is shared.

Usage: python bench/startup.py [--runs N]
The last line reads `startup: help_ms=<median> chat_ms=<median, to the first question>`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HEMMAPLAN = str(BIN / "hemmaplan")
# The last line of the dialogue menu (English, since the runs pass --lang en).
MENU_END = b"Answer with a number from 1 to"
TIMEOUT_SECONDS = 60.0


def _environment(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")}
    env["HEMMAPLAN_DATA_DIR"] = str(data_dir)
    return env


def compile_bytecode(env: dict[str, str]) -> None:
    """Writes the `bot` package's .pyc files where the command's interpreter imports it from."""
    script = (
        "import bot, compileall, os\n"
        "compileall.compile_dir(os.path.dirname(bot.__file__), quiet=1)\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=TIMEOUT_SECONDS)


def _children_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def time_to_exit(argv: list[str], env: dict[str, str], cpu: list[float]) -> float:
    """Milliseconds from starting `argv` to its exit (output discarded; must exit 0)."""
    cpu_before = _children_cpu_ms()
    started = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True, timeout=TIMEOUT_SECONDS)
    elapsed = (time.perf_counter() - started) * 1000
    cpu.append(_children_cpu_ms() - cpu_before)
    return elapsed


def time_to_question(env: dict[str, str], cpu: list[float]) -> float:
    """Milliseconds from starting `hemmaplan chat` to the end of its first question."""
    cpu_before = _children_cpu_ms()
    started = time.perf_counter()
    process = subprocess.Popen(
        [HEMMAPLAN, "chat", "--lang", "en", "--user", "bench"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    seen = b""
    for line in process.stdout:
        seen += line
        if MENU_END in line:
            break
    elapsed = (time.perf_counter() - started) * 1000
    # End of input at the menu: the chat ends by itself (exit 0).
    rest, errors = process.communicate(input=b"", timeout=TIMEOUT_SECONDS)
    cpu.append(_children_cpu_ms() - cpu_before)
    if MENU_END not in seen or process.returncode != 0:
        sys.exit(
            f"hemmaplan chat did not ask its first question (exit {process.returncode}):\n"
            + (seen + rest + errors).decode(errors="replace")
        )
    return elapsed


def _summary(name: str, values: list[float]) -> str:
    return (
        f"{name}: median {statistics.median(values):.0f} ms"
        f" (min {min(values):.0f}, max {max(values):.0f}, runs {len(values)})"
    )


def main() -> None:
    """Runs each command `--runs` times and prints medians; the last line is the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hemmaplan-startup-") as tmp:
        env = _environment(Path(tmp))
        compile_bytecode(env)
        time_to_question(env, [])  # untimed: creates the key file and migrates the database
        python, help_, chat = [], [], []
        cpu: dict[str, list[float]] = {"python": [], "help": [], "chat": []}
        for _ in range(args.runs):
            python.append(time_to_exit([sys.executable, "-c", "pass"], env, cpu["python"]))
            help_.append(time_to_exit([HEMMAPLAN, "--help"], env, cpu["help"]))
            chat.append(time_to_question(env, cpu["chat"]))
    print(_summary("python -c pass (baseline)", python))
    print(_summary("hemmaplan --help", help_))
    print(_summary("hemmaplan chat, to the first question", chat))
    # CPU time depends less on what else the machine is doing than wall time does; the chat's
    # includes its (short) exit after the question.
    print(
        "cpu ms (median of each process): "
        + " ".join(f"{name}={statistics.median(values):.0f}" for name, values in cpu.items())
    )
    print(f"startup: help_ms={statistics.median(help_):.0f} chat_ms={statistics.median(chat):.0f}")


if __name__ == "__main__":
    main()
