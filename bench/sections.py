"""Where ours' time per update goes, without a profiler's overhead (`updates.py --sections`).

Wraps a fixed list of functions (services, the unit of work, the step repository, the dialogue
engine, rendering, the Bot API post) with a wall-clock timer that counts only while ours handles
a timed update (`Sections.active`), so the bare bots' calls of the same PTB functions are not
counted. Sections nest (a service call contains its storage and engine work), so they do not add
up to the total; the rest is PTB, handlers and the Bot API fake.
"""

from __future__ import annotations

import functools
import inspect
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


def _targets() -> list[tuple[Any, str, str]]:
    """(owner, attribute, label) of every function timed, outermost first."""
    import telegram

    from bot.dialogue import engine
    from bot.services import dialogue_runs, people
    from bot.storage import uow
    from bot.storage.repositories import steps
    from bot.telegram.handlers import dialogue as dialogue_handlers

    service = dialogue_runs.DialogueService
    return [
        (service, "answer_typed", "service: typed answer"),
        (service, "press", "service: button press"),
        (service, "start", "service: start a dialogue"),
        (service, "menu", "service: menu"),
        (people.PeopleService, "find", "service: who is writing"),
        (uow.UnitOfWork, "__aenter__", "  storage: unit of work opened"),
        (uow.UnitOfWork, "__aexit__", "  storage: unit of work closed"),
        (uow.UnitOfWork, "commit", "  storage: commit"),
        (steps.StepRepository, "person_with_run", "  storage: read person and run"),
        (steps.StepRepository, "save_step", "  storage: write the run"),
        (service, "_record_finished", "  storage: save a finished run"),
        (engine, "step", "  engine: step"),
        (engine, "render", "  engine: render"),
        (dialogue_handlers, "render_screen", "telegram: screen to HTML and keyboard"),
        (telegram.Bot, "_post", "telegram: Bot API calls (PTB and the fake)"),
    ]


class Sections:
    """Accumulated seconds and calls per section while `active`."""

    def __init__(self) -> None:
        self.active = False
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self._restore: list[tuple[Any, str, Any]] = []

    def _timed(self, function: Callable[..., Any], label: str) -> Callable[..., Any]:
        sections = self
        if inspect.iscoroutinefunction(function):

            @functools.wraps(function)
            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                if not sections.active:
                    return await function(*args, **kwargs)
                started = time.perf_counter()
                try:
                    return await function(*args, **kwargs)
                finally:
                    sections.seconds[label] += time.perf_counter() - started
                    sections.calls[label] += 1

            return timed_async

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            if not sections.active:
                return function(*args, **kwargs)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                sections.seconds[label] += time.perf_counter() - started
                sections.calls[label] += 1

        return timed

    @contextmanager
    def installed(self) -> Iterator[Sections]:
        """Wraps the targets for the duration; restores them afterwards."""
        for owner, name, label in _targets():
            original = owner.__dict__[name] if isinstance(owner, type) else getattr(owner, name)
            self._restore.append((owner, name, original))
            setattr(owner, name, self._timed(getattr(owner, name), label))
        try:
            yield self
        finally:
            for owner, name, original in reversed(self._restore):
                setattr(owner, name, original)
            self._restore.clear()

    def report(self, tag: str, updates: int) -> list[str]:
        """One line per section: microseconds per update, calls, microseconds per call."""
        lines = []
        for _owner, _name, label in _targets():
            calls = self.calls[label]
            if not calls:
                continue
            seconds = self.seconds[label]
            lines.append(
                f"{tag}   {label:<44} {seconds / updates * 1e6:7.0f} us/update "
                f"({calls} calls, {seconds / calls * 1e6:.0f} us each)"
            )
        return lines
