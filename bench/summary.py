"""Benchmark: the coach's summary for a client with one term of history and with ten terms.

Each client is written by `hemmaplan seed-demo`'s own code (bot.demo.seed, through the services)
on a fresh embedded SQLite database in a temporary directory: one term is 28 reflections and four
meetings, ten terms are ten such terms one after the other (280 reflections) with the same coach.
A measured run does what a coach's delivery does, as the coach reads it:

- compose: `SummaryService.coach_summary` (the released summary, composed from the database,
  with its audit-log row), in Swedish;
- messages: the Telegram HTML messages (`bot.summary.html.render_messages`);
- chart: the trend chart as the PDF prints it (`bot.summary.pdf.pdf_chart`, matplotlib Agg);
- pdf: the A4 PDF with that chart (`bot.summary.pdf.render_pdf`).

Each is timed on the wall clock (what the coach waits for); the run's CPU time is printed beside
the total, since on a busy shared machine the wall clock also counts waiting for a core.

One untimed warm-up run per client loads matplotlib, fpdf2 and the fonts (the bot pays that once
per process), then `--runs` timed runs (default 7). Figures are medians with min–max; the load
average is printed before and after, since the machine is shared. The baseline is the one-term
client in the same process: `growth_10x` is the ten-term median over the one-term median.

Usage: python bench/summary.py [--runs N]
The last line reads `summary: median_s=<one term> growth_10x=<ten terms / one term>`.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.demo.seed import DemoSeeder  # noqa: E402
from bot.i18n import get_translator  # noqa: E402
from bot.runtime import Runtime, open_runtime  # noqa: E402
from bot.services.summaries import Channel  # noqa: E402
from bot.summary.html import render_messages  # noqa: E402
from bot.summary.pdf import pdf_chart, render_pdf  # noqa: E402

STEPS = ("compose", "messages", "chart", "pdf")


@dataclass
class Client:
    """A seeded client and the coach who reads."""

    label: str
    terms: int
    client_id: int
    coach_id: int
    reflections: int


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


async def seed(runtime: Runtime, terms: int) -> Client:
    result = await DemoSeeder(runtime).seed(
        "sv", runtime.now(), terms=terms, client_key=f"bench-{terms}"
    )
    assert result.client_id is not None and result.coach_id is not None, result
    label = "one term" if terms == 1 else f"{terms} terms"
    return Client(label, terms, result.client_id, result.coach_id, result.reflections)


async def one_run(runtime: Runtime, client: Client) -> dict[str, float]:
    """One summary as the coach gets it; wall seconds per step, and the process's CPU seconds."""
    t = get_translator("sv", "Europe/Stockholm")
    times: dict[str, float] = {}
    cpu_started = time.process_time()
    started = time.perf_counter()
    result = await runtime.summaries.coach_summary(
        client.coach_id, client.client_id, t, runtime.now(), Channel.PDF
    )
    summary = result.summary
    assert summary is not None, result.status
    times["compose"] = time.perf_counter() - started
    started = time.perf_counter()
    messages = render_messages(summary)
    times["messages"] = time.perf_counter() - started
    started = time.perf_counter()
    chart = pdf_chart(summary)
    times["chart"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(summary, chart=chart)
    times["pdf"] = time.perf_counter() - started
    assert messages and pdf.startswith(b"%PDF") and chart is not None
    times["total"] = sum(times[step] for step in STEPS)
    # CPU time is what the work costs whatever else the shared machine is doing.
    times["cpu"] = time.process_time() - cpu_started
    return times


def describe(values: list[float]) -> str:
    median = statistics.median(values)
    return f"{median * 1000:.0f} ms ({min(values) * 1000:.0f}–{max(values) * 1000:.0f})"


async def main(runs: int) -> None:
    print(f"load before: {load()}")
    with tempfile.TemporaryDirectory(prefix="hemmaplan-bench-summary-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        async with open_runtime(settings) as runtime:
            started = time.perf_counter()
            clients = [await seed(runtime, 1), await seed(runtime, 10)]
            print(f"seeded in {time.perf_counter() - started:.1f} s (untimed)")
            medians: dict[int, float] = {}
            for client in clients:
                await one_run(runtime, client)  # warm-up: imports, fonts, caches
                results = [await one_run(runtime, client) for _ in range(runs)]
                steps = "  ".join(
                    f"{step}={describe([r[step] for r in results])}" for step in STEPS
                )
                total = [r["total"] for r in results]
                medians[client.terms] = statistics.median(total)
                print(
                    f"{client.label} ({client.reflections} reflections): "
                    f"total={describe(total)}  cpu={describe([r['cpu'] for r in results])}  "
                    f"{steps}"
                )
    print(f"load after: {load()}")
    one = medians[1]
    print(f"summary: median_s={one:.3f} growth_10x={medians[10] / one:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per client")
    asyncio.run(main(parser.parse_args().runs))
