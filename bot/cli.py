"""The `hemmaplan` command: chat, agenda, history, summary, preview, seed-demo, dialogues, db, run,
admin."""

from __future__ import annotations

import gc
import getpass
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

# Only what every command needs is imported here: `hemmaplan --help` must stay fast, so
# settings, asyncio, the database and Telegram are imported by the commands using them.
from bot.locale_codes import SUPPORTED_LOCALES

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.dialogue.loader import Problem
    from bot.i18n import Translator

T = TypeVar("T")


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"hemmaplan: {message}", err=True)
    sys.exit(code)


def _settings() -> Settings:
    from bot.config import SettingsError, load_settings

    try:
        return load_settings()
    except SettingsError as exc:
        _fail(str(exc))


def _translator(settings: Settings | None = None, lang: str | None = None) -> Translator:
    """Operator messages in the chosen language (--lang), else the configured default one."""
    from bot.i18n import get_translator

    if settings is None:
        return get_translator(lang or SUPPORTED_LOCALES[0])
    return get_translator(lang or settings.default_locale, locales_dir=settings.locales_dir)


def _run(coro: Coroutine[Any, Any, T]) -> T:
    """Runs a coroutine, turning configuration and dialogue-file errors into one clear line."""
    import asyncio

    from bot.config import SettingsError
    from bot.dialogue.loader import DialogueFileError

    try:
        return asyncio.run(coro)
    except SettingsError as exc:
        _fail(str(exc))
    except DialogueFileError as exc:
        t = _translator()
        _fail(t.gettext("invalid dialogue files, refusing to start:") + f"\n{exc}", code=1)


def _default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


user_option = click.option(
    "--user", "user", default=None, help="Console user name (default: your login name)."
)
lang_option = click.option(
    "--lang", type=click.Choice(SUPPORTED_LOCALES), default=None, help="Language (sv or en)."
)


@click.group()
@click.version_option(package_name="hemmaplan")
def cli() -> None:
    """Hemmaplan: reflection between coaching meetings."""


@cli.command()
@click.argument("dialogue", required=False)
@lang_option
@user_option
def chat(dialogue: str | None, lang: str | None, user: str | None) -> None:
    """Do a reflection dialogue in the terminal (resumes an unfinished one)."""
    # Loading the modules allocates a great deal and frees little, so the collector's passes
    # over it find nothing: none run while they load, and what they built is then frozen out of
    # every later pass, the interpreter's at exit included (together about a tenth of the time
    # to the first question, and most of the exit).
    gc.disable()
    from bot.console.chat import ConsoleChat
    from bot.runtime import open_runtime

    settings = _settings()
    gc.freeze()
    gc.enable()

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            chat = ConsoleChat(runtime, sys.stdin, sys.stdout)
            return await chat.run(user or _default_user(), dialogue, lang)

    sys.exit(_run(main()))


@cli.command()
@lang_option
@user_option
def agenda(lang: str | None, user: str | None) -> None:
    """List the next meetings and planned check-ins, in your time zone."""
    from bot.console.agenda_view import show_agenda
    from bot.runtime import open_runtime

    settings = _settings()

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            return await show_agenda(
                runtime, user or _default_user(), lang, click.echo, runtime.now()
            )

    sys.exit(_run(main()))


@cli.command()
@click.option("--run", "run_id", type=int, default=None, help="Show one reflection in full.")
@click.option(
    "--chart",
    "chart_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write a PNG chart of your scales over time (all your own answers) to this file.",
)
@lang_option
@user_option
def history(
    run_id: int | None, chart_path: Path | None, lang: str | None, user: str | None
) -> None:
    """List past reflections, open commitments and trends (or one reflection with --run)."""
    from bot.console.history_view import show_history, write_history_chart
    from bot.runtime import open_runtime

    settings = _settings()

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            if chart_path is not None:
                return await write_history_chart(
                    runtime,
                    user or _default_user(),
                    lang,
                    chart_path,
                    click.echo,
                    runtime.now(),
                    with_run=run_id is not None,
                )
            return await show_history(
                runtime, user or _default_user(), lang, run_id, click.echo, runtime.now()
            )

    sys.exit(_run(main()))


@cli.command()
@click.option("--client", "client", required=True, help="The client: number, or name.")
@click.option(
    "--coach", "coach", default=None, help="The reading coach (default: the client's coach)."
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write an A4 PDF here instead of printing the text.",
)
@lang_option
def summary(client: str, coach: str | None, out: Path | None, lang: str | None) -> None:
    """Show the pre-meeting summary a coach gets about a client (recorded as a view)."""
    from bot.console.summary_view import show_summary
    from bot.runtime import open_runtime

    settings = _settings()
    # Said back in full, so the reader finds the file whatever directory they were in.
    out = out.absolute() if out is not None else None

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            return await show_summary(runtime, client, coach, lang, out, click.echo, runtime.now())

    sys.exit(_run(main()))


@cli.command()
@click.option("--approve", "decision", flag_value="approve", help="Let the summary go as it is.")
@click.option("--decline", "decision", flag_value="decline", help="Share nothing this time.")
@click.option("--undo", "decision", flag_value="undo", help="Back to not decided.")
@click.option(
    "--hold", "hold", multiple=True, help="Hold back an item by its key (again: let it go)."
)
@click.option("--note", "note", default=None, help='A line for your coach ("" removes it).')
@click.option("--auto", "auto", type=click.Choice(["on", "off"]), default=None,
              help="Share summaries automatically, or not.")  # fmt: skip
@lang_option
@user_option
def preview(
    decision: str | None,
    hold: tuple[str, ...],
    note: str | None,
    auto: str | None,
    lang: str | None,
    user: str | None,
) -> None:
    """See what your coach gets before the next meeting, and approve, hold back or decline."""
    from bot.console.preview_view import PreviewChoices, show_preview
    from bot.runtime import open_runtime
    from bot.services.summaries import Decision

    settings = _settings()
    choices = PreviewChoices(
        decision=Decision(decision) if decision else None,
        hold=hold,
        note=note,
        auto=None if auto is None else auto == "on",
    )

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            return await show_preview(
                runtime, user or _default_user(), lang, choices, click.echo, runtime.now()
            )

    sys.exit(_run(main()))


@cli.command("seed-demo")
@click.option("--remove", is_flag=True, help="Remove the demo coach and client and all their data.")
@lang_option
def seed_demo(remove: bool, lang: str | None) -> None:
    """Create a demo coach and client with a term of history, to see what a coach gets."""
    from bot.console.demo_view import seed_demo as run_seed
    from bot.runtime import open_runtime

    settings = _settings()

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            return await run_seed(runtime, lang, remove, click.echo, runtime.now())

    sys.exit(_run(main()))


@cli.command()
@click.argument("run_id", type=int)
@click.argument("step")
@click.argument("value")
@click.option(
    "--visibility",
    type=click.Choice(["private", "coach", "group"]),
    default=None,
    help="Who may see the answer.",
)
@lang_option
@user_option
def edit(
    run_id: int, step: str, value: str, visibility: str | None, lang: str | None, user: str | None
) -> None:
    """Change an answer of a finished reflection; the earlier answer is kept."""
    from bot.console.history_view import edit_answer
    from bot.runtime import open_runtime

    settings = _settings()

    async def main() -> int:
        async with open_runtime(settings) as runtime:
            return await edit_answer(
                runtime,
                user or _default_user(),
                lang,
                run_id,
                step,
                value,
                visibility,
                click.echo,
                runtime.now(),
            )

    sys.exit(_run(main()))


@cli.group()
def dialogues() -> None:
    """Inspect and validate dialogue files."""


@dialogues.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--transcripts",
    "with_transcripts",
    is_flag=True,
    help="Also play the transcripts beside the dialogues (transcripts/<id>.<lang>.yaml).",
)
def dialogues_check(paths: tuple[Path, ...], with_transcripts: bool) -> None:
    """Validate dialogue files (default: the shipped ones); exit 1 on any problem."""
    from bot.dialogue.loader import check_paths

    settings = _settings()
    t = _translator(settings)
    targets = list(paths) or [settings.dialogues_dir]
    missing = [p for p in targets if not p.exists()]
    if missing:
        _fail(
            t.gettext("no such file or directory: {paths}").format(
                paths=", ".join(map(str, missing))
            )
        )
    problems = check_paths(targets)
    played = 0
    if with_transcripts and not problems:
        problems, played = _check_transcripts(targets, settings)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        count = len(problems)
        click.echo(
            t.ngettext("{count} problem found", "{count} problems found", count).format(
                count=count
            ),
            err=True,
        )
        sys.exit(1)
    files = sum(1 if p.is_file() else sum(1 for f in p.glob("*.yaml")) for p in targets)
    click.echo(
        t.ngettext(
            "ok: {count} dialogue file is valid", "ok: {count} dialogue files are valid", files
        ).format(count=files)
    )
    if with_transcripts:
        click.echo(
            t.ngettext(
                "ok: {count} transcript run reads as written",
                "ok: {count} transcript runs read as written",
                played,
            ).format(count=played)
        )


def _check_transcripts(targets: list[Path], settings: Settings) -> tuple[list[Problem], int]:
    """Play the transcripts of the dialogue directories (or of the given dialogue files)."""
    from bot.dialogue.loader import load_dialogues
    from bot.dialogue.transcripts import check_transcripts, transcript_files
    from bot.i18n import get_translator

    catalog = load_dialogues(targets)
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(transcript_files(target))
        else:
            ids = [d.id for d in catalog if Path(d.source) == target]
            files.extend(transcript_files(target.parent, ids))
    return check_transcripts(
        catalog,
        files,
        SUPPORTED_LOCALES,
        lambda lang: get_translator(lang, "Europe/Stockholm", settings.locales_dir),
    )


@dialogues.command("list")
@lang_option
def dialogues_list(lang: str | None) -> None:
    """List the dialogues with their titles."""
    from bot.dialogue.loader import load_dialogues
    from bot.i18n import get_translator

    settings = _settings()
    t = get_translator(lang or settings.default_locale, settings.timezone, settings.locales_dir)
    try:
        catalog = load_dialogues(settings.dialogues_dir)
    except Exception as exc:
        _fail(str(exc), code=1)
    for dialogue in catalog:
        title = t.pgettext(dialogue.id, dialogue.title)
        click.echo(f"{dialogue.id:28} {title} — {t.pgettext(dialogue.id, dialogue.summary)}")


@cli.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply all database migrations."""
    from bot.storage.crypto import Keyring
    from bot.storage.db import Database, upgrade_database
    from bot.storage.key_check import verify_key

    settings = _settings()

    async def main() -> None:
        database = Database(settings.effective_database_url, Keyring.from_settings(settings))
        try:
            await upgrade_database(database)
            await verify_key(database)
        finally:
            await database.dispose()

    _run(main())
    click.echo(_translator(settings).gettext("The database is up to date."))


@db.command("rotate-key")
def db_rotate_key() -> None:
    """Re-encrypt every stored reflection with the first (newest) key."""
    from bot.storage.crypto import Keyring
    from bot.storage.db import Database, upgrade_database
    from bot.storage.key_check import verify_key
    from bot.storage.rotation import rotate_keys

    settings = _settings()

    async def main() -> int:
        keyring = Keyring.from_settings(settings)
        if settings.uses_embedded_database:
            await upgrade_database(settings.effective_database_url, keyring)
        database = Database(settings.effective_database_url, keyring)
        try:
            # One of the keys must fit the stored data; the rotation re-encrypts the marker too.
            await verify_key(database)
            return await rotate_keys(database)
        finally:
            await database.dispose()

    count = _run(main())
    click.echo(
        _translator(settings)
        .ngettext(
            "Re-encrypted {count} value with the first key.",
            "Re-encrypted {count} values with the first key.",
            count,
        )
        .format(count=count)
    )


@cli.command()
def run() -> None:
    """Start the Telegram bot (long polling, or a webhook with HEMMAPLAN_WEBHOOK_URL)."""
    from bot.telegram.runner import PollingConflict, run_bot

    settings = _settings()
    t = _translator(settings)
    if not settings.telegram_bot_token:
        _fail(
            "TELEGRAM_BOT_TOKEN: "
            + t.gettext("required to run the bot (`hemmaplan chat` works without it)")
        )
    try:
        _run(run_bot(settings))
    except PollingConflict:
        _fail(
            "TELEGRAM_BOT_TOKEN: "
            + t.gettext(
                "another instance is already polling with this token; stop it first "
                "(only one bot process may poll per token)"
            ),
            code=1,
        )


@cli.group()
def admin() -> None:
    """People and roles."""


@admin.command("add-coach")
@click.argument("telegram_id", type=int)
@click.option("--name", default=None, help="A display name for the coach.")
@lang_option
def admin_add_coach(telegram_id: int, name: str | None, lang: str | None) -> None:
    """Make the Telegram user TELEGRAM_ID a coach."""
    from bot.telegram.runner import add_coach

    settings = _settings()
    t = _translator(settings, lang)
    message = _run(add_coach(settings, telegram_id, t, name))
    click.echo(message)


@admin.command("remove-coach")
@click.argument("telegram_id", type=int)
@lang_option
def admin_remove_coach(telegram_id: int, lang: str | None) -> None:
    """Take away the coach role of TELEGRAM_ID and end all their client relations."""
    from bot.services.roles import RemoveOutcome
    from bot.telegram.runner import remove_coach

    settings = _settings()
    t = _translator(settings, lang)
    message, outcome = _run(remove_coach(settings, telegram_id, t))
    click.echo(message)
    if outcome in (RemoveOutcome.NOT_FOUND, RemoveOutcome.IS_ADMIN):
        sys.exit(1)


@admin.command("list")
@lang_option
def admin_list(lang: str | None) -> None:
    """List everyone on Telegram: id, Telegram id, role, name, clients and coaches."""
    from bot.telegram.runner import list_people

    settings = _settings()
    t = _translator(settings, lang)
    rows = _run(list_people(settings))
    header = (t.gettext("id"), t.gettext("Telegram id"), t.gettext("role"), t.gettext("clients"),
              t.gettext("coaches"), t.gettext("name"))  # fmt: skip
    # The count columns are as wide as their translated headings, so both languages line up.
    wc, wk = max(7, len(header[3])), max(7, len(header[4]))
    click.echo(f"{header[0]:>5}  {header[1]:>14}  {header[2]:<10}  {header[3]:>{wc}}  "
               f"{header[4]:>{wk}}  {header[5]}")  # fmt: skip
    for row in rows:
        person = row.person
        role = _role_label(t, "admin" if person.is_admin else person.role)
        if not person.consented:
            role += "*"
        click.echo(
            f"{person.id:>5}  {person.telegram_id or '':>14}  {role:<10}  {row.clients:>{wc}}  "
            f"{row.coaches:>{wk}}  {person.display_name or ''}"
        )
    if any(not row.person.consented for row in rows):
        click.echo(t.gettext("* has not finished /start yet"))


def _role_label(t: Translator, role: str) -> str:
    """A role as `admin list` shows it, in the operator's language."""
    if role == "admin":
        return t.pgettext("role", "admin")
    if role == "coach":
        return t.pgettext("role", "coach")
    if role == "client":
        return t.pgettext("role", "client")
    return role


def main() -> None:
    """Entry point of the `hemmaplan` console script."""
    cli()


if __name__ == "__main__":
    main()
