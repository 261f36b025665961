"""The `hemmaplan` command as a person uses it: piped chats, resume after a kill, history."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT

HEMMAPLAN = [sys.executable, "-m", "bot.cli"]

SCOPE_SV = [
    "Vi får inte anställa fast teamet är underbemannat",
    "Hur arbetet fördelas i teamet",
    "Min chefs prioriteringar",
    "Anställningsstoppet",
    "Vem som beslutar om vikarier",
    "Skriva ett underlag om en vikarie",
    "Min chef, på torsdag",
    "+7",  # yes: the action becomes a commitment a week from today
    "/done",
]
SCOPE_EN = [
    "We may not hire although the team is understaffed",
    "How work is shared in the team",
    "My manager's priorities",
    "The hiring freeze",
    "Who decides about temporary staff",
    "Write a one-page case for a temporary hire",
    "My manager, on Thursday",
    "/skip",  # not now: no commitment
    "/done",
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("HEMMAPLAN_")}
    environment["HEMMAPLAN_DATA_DIR"] = str(tmp_path / "data")
    return environment


def hemmaplan(
    env: dict[str, str], *args: str, stdin: str = "", timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HEMMAPLAN, *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=PROJECT_ROOT,
    )


@pytest.mark.parametrize(
    ("lang", "answers", "saved", "listed"),
    [
        ("sv", SCOPE_SV, "Sparat", "Handlingsfrihet"),
        ("en", SCOPE_EN, "Saved", "Scope of action"),
    ],
)
def test_piped_input_completes_handlingsfrihet_and_history_shows_it(
    env: dict[str, str], lang: str, answers: list[str], saved: str, listed: str
) -> None:
    chat = hemmaplan(
        env,
        "chat",
        "handlingsfrihet",
        "--lang",
        lang,
        "--user",
        "anna",
        stdin="\n".join(answers) + "\n",
    )
    assert chat.returncode == 0, chat.stderr
    assert saved in chat.stdout
    assert answers[5] in chat.stdout  # the recap shows the action
    history = hemmaplan(env, "history", "--user", "anna", "--lang", lang)
    assert history.returncode == 0, history.stderr
    assert listed in history.stdout
    finished = "avslutad" if lang == "sv" else "finished"
    assert finished in history.stdout
    # Only the Swedish run took up the offer to make its action a commitment.
    assert (answers[5] in history.stdout) is (lang == "sv")


def test_next_step_creates_a_commitment_shown_in_history(env: dict[str, str]) -> None:
    answers = [
        "Boka ett samtal med varje ny medarbetare",
        "+14",
        "Alla samtal är bokade",
        "Om veckan blir full bokar jag måndag morgon",
        "5",
        "Be om hjälp att hitta tider",
        "/done",
    ]
    chat = hemmaplan(
        env, "chat", "nasta_steg", "--lang", "sv", "--user", "bo", stdin="\n".join(answers) + "\n"
    )
    assert chat.returncode == 0, chat.stderr
    history = hemmaplan(env, "history", "--user", "bo")
    assert "Boka ett samtal med varje ny medarbetare" in history.stdout


def test_chat_without_a_dialogue_first_offers_the_check_in_that_is_due(
    env: dict[str, str],
) -> None:
    # A commitment due today: its check-in is due at the check-in time, so with the
    # whole day as check-in-able time it is due now whatever the hour of the test run.
    env = {**env, "HEMMAPLAN_CHECKIN_TIME": "00:00", "HEMMAPLAN_QUIET_START": "00:00",
           "HEMMAPLAN_QUIET_END": "00:00"}  # fmt: skip
    answers = ["Ringa Eva om budgeten", "+0", "Eva har svarat", "Om det krånglar mejlar jag",
               "8", "/done"]  # fmt: skip
    made = hemmaplan(
        env, "chat", "nasta_steg", "--lang", "sv", "--user", "eva", stdin="\n".join(answers) + "\n"
    )
    assert made.returncode == 0, made.stderr
    # Enter passes the offer by: the ordinary menu follows and nothing is taken.
    passed = hemmaplan(env, "chat", "--lang", "sv", "--user", "eva", stdin="\n")
    assert "Dags nu:" in passed.stdout, passed.stdout
    assert "Ringa Eva om budgeten" in passed.stdout
    assert "Vilken reflektion vill du göra?" in passed.stdout
    # Picking it runs the check-in about that commitment.
    chat = hemmaplan(env, "chat", "--lang", "sv", "--user", "eva", stdin="1\n")
    assert chat.returncode == 0, chat.stderr
    assert "Ringa Eva om budgeten" in chat.stdout.split("Dags nu:", 1)[1]
    assert "Avstämning" in chat.stdout or "åtagande" in chat.stdout, chat.stdout


def test_invalid_input_is_answered_clearly_and_nothing_is_lost(env: dict[str, str]) -> None:
    answers = ["Omorganisationen", "sju", "12", "7"]
    chat = hemmaplan(
        env, "chat", "nulage", "--lang", "sv", "--user", "cia", stdin="\n".join(answers) + "\n"
    )
    assert chat.returncode == 0, chat.stderr
    assert chat.stdout.count("0 till 10") >= 2  # both bad answers explain the range
    resumed = hemmaplan(env, "chat", "--user", "cia", "--lang", "sv", stdin="/back\n/back\n")
    assert "(3/5)" in resumed.stdout  # both earlier answers were kept
    assert "Omorganisationen" in resumed.stdout  # /back twice shows the first answer again


def _read_until(process: subprocess.Popen[str], marker: str, timeout: float = 30) -> str:
    assert process.stdout is not None
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        if time.monotonic() > deadline:
            raise AssertionError(f"{marker!r} not seen in:\n{seen}")
        line = process.stdout.readline()
        if line == "":
            raise AssertionError(f"process ended before {marker!r}:\n{seen}")
        seen += line
    return seen


def test_killing_chat_mid_dialogue_resumes_at_the_same_step(env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [*HEMMAPLAN, "chat", "handlingsfrihet", "--lang", "en", "--user", "dan"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
    )
    assert process.stdin is not None
    try:
        _read_until(process, "(1/8)")
        process.stdin.write(SCOPE_EN[0] + "\n")
        process.stdin.flush()
        _read_until(process, "(2/8)")
        process.stdin.write(SCOPE_EN[1] + "\n")
        process.stdin.flush()
        _read_until(process, "(3/8)")
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    again = hemmaplan(env, "chat", "--user", "dan", "--lang", "en", stdin="")
    assert again.returncode == 0, again.stderr
    assert "(3/8)" in again.stdout
    assert "(1/8)" not in again.stdout and "(2/8)" not in again.stdout
    rest = hemmaplan(
        env, "chat", "--user", "dan", "--lang", "en", stdin="\n".join(SCOPE_EN[2:]) + "\n"
    )
    assert SCOPE_EN[0] in rest.stdout and SCOPE_EN[1] in rest.stdout  # earlier answers in the recap


def test_dialogues_check_passes_on_the_shipped_files(env: dict[str, str]) -> None:
    result = hemmaplan(env, "dialogues", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() and "problem" not in result.stdout + result.stderr


def test_dialogues_check_reports_path_and_line_of_a_broken_copy(
    env: dict[str, str], tmp_path: Path
) -> None:
    broken = tmp_path / "dialogues"
    shutil.copytree(PROJECT_ROOT / "dialogues", broken)
    path = broken / "nulage.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "kind: scale" in line)
    lines[number] = lines[number].replace("kind: scale", "kind: slider")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = hemmaplan(env, "dialogues", "check", str(broken))
    assert result.returncode == 1
    assert f"{path}:{number + 1}:" in result.stdout
    assert "slider" in result.stdout


def test_dialogues_check_plays_the_transcripts_and_names_the_turn_that_no_longer_reads(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok = hemmaplan(env, "dialogues", "check", "--transcripts")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    copy = tmp_path / "dialogues"
    shutil.copytree(PROJECT_ROOT / "dialogues", copy)
    path = copy / "transcripts" / "kolb.en.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "What happened?" in line)
    lines[number] = lines[number].replace("What happened?", "What went on?")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plain = hemmaplan(env, "dialogues", "check", str(copy))
    assert plain.returncode == 0, plain.stdout + plain.stderr
    played = hemmaplan(env, "dialogues", "check", "--transcripts", str(copy))
    assert played.returncode == 1
    assert f"{path}:" in played.stdout and "What went on?" in played.stdout
    (copy / "transcripts" / "kolb.sv.yaml").unlink()
    one = hemmaplan(env, "dialogues", "check", "--transcripts", str(copy / "kolb.yaml"))
    assert f"{copy / 'transcripts' / 'kolb.sv.yaml'}:1: " in one.stdout


def test_start_up_refuses_an_invalid_dialogue_file(env: dict[str, str], tmp_path: Path) -> None:
    broken = tmp_path / "dialogues"
    shutil.copytree(PROJECT_ROOT / "dialogues", broken)
    (broken / "nulage.yaml").write_text("id: nulage\nversion: one\n", encoding="utf-8")
    env["HEMMAPLAN_DIALOGUES_DIR"] = str(broken)
    result = hemmaplan(env, "chat", "nulage", stdin="")
    assert result.returncode == 1
    assert f"{broken / 'nulage.yaml'}:2:" in result.stderr


def test_an_invalid_setting_stops_start_up_with_one_line(env: dict[str, str]) -> None:
    env["HEMMAPLAN_TIMEZONE"] = "Europe/Atlantis"
    result = hemmaplan(env, "chat", stdin="")
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "HEMMAPLAN_TIMEZONE" in result.stderr


def test_run_without_a_token_says_so_in_one_line(env: dict[str, str]) -> None:
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = hemmaplan(env, "run")
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_the_key_file_beside_the_embedded_database_is_private(env: dict[str, str]) -> None:
    hemmaplan(env, "chat", "nulage", "--user", "eva", stdin="Something private\n")
    key = Path(env["HEMMAPLAN_DATA_DIR"]) / "secret.key"
    assert key.stat().st_mode & 0o777 == 0o600
    database = (Path(env["HEMMAPLAN_DATA_DIR"]) / "hemmaplan.sqlite3").read_bytes()
    assert b"Something private" not in database


def test_admin_add_coach_and_list_speak_swedish_and_english(env: dict[str, str]) -> None:
    added = hemmaplan(env, "admin", "add-coach", "4242", "--name", "Cora", "--lang", "sv")
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (
        "Telegram-användaren 4242 är nu coach och gör klart sin registrering med /start i boten "
        "(språk, tidszon, samtycke)."
    )
    again = hemmaplan(env, "admin", "add-coach", "4242", "--lang", "en")
    assert again.stdout.strip() == (
        "Telegram user 4242 already is a coach or admin; nothing changed."
    )

    listed_sv = hemmaplan(env, "admin", "list", "--lang", "sv").stdout.splitlines()
    assert listed_sv[0].split() == ["id", "Telegram-id", "roll", "deltagare", "coacher", "namn"]
    assert listed_sv[1].split()[1:] == ["4242", "coach*", "0", "0"]
    assert listed_sv[1].index("0") + 1 == listed_sv[0].index("deltagare") + len("deltagare")
    assert listed_sv[-1] == "* har inte slutfört /start än"

    listed_en = hemmaplan(env, "admin", "list", "--lang", "en").stdout.splitlines()
    assert listed_en[0].split() == ["id", "Telegram", "id", "role", "clients", "coaches", "name"]
    assert listed_en[1].split()[1:] == ["4242", "coach*", "0", "0"]
    assert listed_en[-1] == "* has not finished /start yet"

    env["HEMMAPLAN_DEFAULT_LOCALE"] = "en"  # without --lang: the configured language
    assert "already is a coach" in hemmaplan(env, "admin", "add-coach", "4242").stdout
