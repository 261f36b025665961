"""Benchmark: what loading the shipped dialogues adds to `hemmaplan chat`'s start-up.

Each figure is measured in a fresh interpreter that first imports `bot.config` (which chat
imports anyway), then times with the process's CPU clock:

- yaml: importing PyYAML and composing every file, the floor any YAML loader pays (baseline);
- cold: importing the loader and `load_dialogues` with an empty cache directory: import pydantic,
  parse, build the schema's validators, validate, convert, and write the cache (a first start,
  or one after a dialogue file or the loader's code changed);
- warm: the same with the cache written by the cold run (every later start).

Every figure is the median of `--runs` (default 9) processes, run in turns so that all meet the
same load on a shared machine; min–max beside it.

Usage: python bench/dialogues.py [--runs N]
The last line reads `dialogues: yaml_ms=<median> cold_ms=<median> warm_ms=<median>` (CPU ms).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys, time
from pathlib import Path
import bot.config
from bot.config import shipped_dir
folder, mode, cache = shipped_dir("dialogues"), sys.argv[1], Path(sys.argv[2])
start = time.process_time()
if mode == "yaml":
    import yaml
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(folder.glob("*.yaml")):
        yaml.compose(path.read_text(encoding="utf-8"), Loader=loader)
else:
    from bot.dialogue.loader import load_dialogues
    load_dialogues(folder, cache_dir=cache)
print((time.process_time() - start) * 1000)
"""


def measure(mode: str, cache: Path) -> float:
    """CPU milliseconds of one fresh process loading the dialogues in this mode."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(cache)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip())


def main() -> None:
    """Runs the three modes in turns and prints medians; the last line is the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    figures: dict[str, list[float]] = {"yaml": [], "cold": [], "warm": []}
    with tempfile.TemporaryDirectory(prefix="hemmaplan-dialogues-") as tmp:
        for run in range(args.runs):
            cold = Path(tmp) / f"cold-{run}"  # a fresh, empty cache each time
            figures["yaml"].append(measure("yaml", cold))
            figures["cold"].append(measure("cold", cold))
            figures["warm"].append(measure("warm", cold))  # the cache the cold run wrote
    for mode, values in figures.items():
        print(
            f"{mode}: median {statistics.median(values):.1f} ms CPU"
            f" (min {min(values):.1f}, max {max(values):.1f}, runs {len(values)})"
        )
    medians = {mode: statistics.median(values) for mode, values in figures.items()}
    print("dialogues: " + " ".join(f"{mode}_ms={value:.1f}" for mode, value in medians.items()))


if __name__ == "__main__":
    main()
