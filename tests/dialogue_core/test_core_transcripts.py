"""Transcripts of the three core dialogues, every branch, in Swedish and English, as data."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import PROJECT_ROOT
from bot.dialogue.effects import CareNotice, CreateCommitment, Finished
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.i18n import get_translator
from tests.dialogue.transcript import Turn, run_transcript

TODAY = date(2026, 3, 10)

TRANSCRIPTS: dict[str, tuple[str, str, list[Turn]]] = {
    "nulage-sv-all": (
        "nulage",
        "sv",
        [
            (None, ["Nuläge (1/5)", "Vad tar mest av din uppmärksamhet på jobbet just nu?"]),
            (
                "Omorganisationen av kundtjänst",
                ["(2/5)", "Hur går det i rollen för dig just nu?", "0 = Inte bra alls"],
            ),
            ("sju", ["Svara med ett tal från 0 till 10"]),
            ("11", ["0 till 10"]),
            ("6", ["(3/5)", "Hur är din energi", "(bara för mig)"]),
            ("5", ["(4/5)", "Vad fungerar bra just nu"]),
            ("Veckomötena har blivit kortare", ["(5/5)", "Vad vill du få ut av ditt nästa möte?"]),
            ("", ["(5/5)"]),
            (
                "Hur jag prioriterar",
                ["Ditt nuläge", "Omorganisationen av kundtjänst", "Hur jag prioriterar"],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "nulage-en-skip-energy": (
        "nulage",
        "en",
        [
            (None, ["Where you stand now (1/5)", "What takes up most of your attention"]),
            ("The reorganisation", ["How is the role going for you right now?"]),
            ("8", ["How is your energy", "(only for me)"]),
            ("/skip", ["(4/5)", "What is working well right now"]),
            ("/back", ["How is your energy"]),
            ("/skip", ["What is working well right now"]),
            ("Shorter meetings", ["What do you want to get out of your next meeting?"]),
            ("Priorities", ["Your current situation", "The reorganisation", "Priorities"]),
            ("/done", ["Saved"]),
        ],
    ),
    "nulage-en-low-energy-care": (
        "nulage",
        "en",
        [
            ("Everything at once", ["(2/5)"]),
            ("3", ["(3/5)"]),
            ("1", ["(4/5)", "1177", "occupational health"]),
            ("Nothing", ["(5/5)"]),
            ("A plan", ["Your current situation"]),
            ("/done", ["Saved"]),
        ],
    ),
    "nulage-sv-low-energy-care": (
        "nulage",
        "sv",
        [
            ("Allt på en gång", ["(2/5)"]),
            ("3", ["(3/5)"]),
            ("0", ["(4/5)", "1177", "företagshälsovården"]),
        ],
    ),
    "handlingsfrihet-sv": (
        "handlingsfrihet",
        "sv",
        [
            (None, ["Handlingsfrihet (1/8)", "Vilken fråga vill du titta på?"]),
            ("Vikarier under sommaren", ["(2/8)", "Vad i den här frågan bestämmer du själv?"]),
            ("Schemat", ["(3/8)", "Vad kan du påverka, även om någon annan bestämmer?"]),
            ("Budgetäskandet", ["(4/8)", "Vad ligger utanför din kontroll här?"]),
            ("Anställningsstoppet", ["(5/8)", "Vad är oklart med ditt mandat"]),
            ("/skip", ["(6/8)", "Välj en sak inom det du kan påverka"]),
            ("Skriva ett underlag", ["(7/8)", "Med vem kan du reda ut eller vidga ditt mandat?"]),
            (
                "Min chef",
                ["(8/8)", "Vill du göra det här till ett åtagande?", ": Skriva ett underlag"],
            ),
            (
                "+7",
                [
                    "Åtagande senast: 17 mars 2026",
                    "Din handlingsfrihet",
                    "Det jag bestämmer själv",
                    "Schemat",
                    "Det jag kan påverka",
                    "Budgetäskandet",
                    "Utanför min kontroll",
                ],
            ),
            ("/edit 2", ["Vad i den här frågan bestämmer du själv?"]),
            ("Schemat och semestrarna", ["Din handlingsfrihet", "Schemat och semestrarna"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "handlingsfrihet-en": (
        "handlingsfrihet",
        "en",
        [
            (None, ["Scope of action (1/8)", "Which issue do you want to look at?"]),
            ("Summer cover", ["In this issue, what do you decide yourself?"]),
            ("/skip", ["cannot be skipped", "what do you decide yourself"]),
            ("The rota", ["What can you influence, even though someone else decides?"]),
            ("The budget request", ["What lies outside your control here?"]),
            ("The hiring freeze", ["What is unclear about your mandate"]),
            ("Who approves temps", ["Pick one thing within your influence"]),
            ("Write a proposal", ["With whom could you clarify or widen your mandate?"]),
            (
                "/skip",
                [
                    "Do you want to make this a commitment?",
                    "One action within my influence: Write a proposal",
                ],
            ),
            (
                "/skip",
                [
                    "Your scope of action",
                    "What I decide myself",
                    "The rota",
                    "Who approves temps",
                    "Write a proposal",
                ],
            ),
            ("/done", ["Saved"]),
        ],
    ),
    "nasta_steg-sv-low-confidence": (
        "nasta_steg",
        "sv",
        [
            (
                None,
                ["Nästa konkreta steg (1/", "Vad ska du göra? Beskriv steget med dina egna ord."],
            ),
            ("Boka utvecklingssamtal", ["När ska det vara gjort?"]),
            ("igår", ["datum"]),
            ("1/4", ["Hur vet du att det är gjort?"]),
            ("Alla samtal bokade", ["Vad kommer troligast i vägen"]),
            (
                "Om kalendern fylls, bokar jag måndag",
                ["Hur säker är du på att du kommer att göra det?"],
            ),
            ("5", ["Vad skulle höja din tilltro ett steg?"]),
            ("Be om hjälp", ["Ditt åtagande", "Boka utvecklingssamtal", "Be om hjälp"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "nasta_steg-en-high-confidence": (
        "nasta_steg",
        "en",
        [
            (
                None,
                [
                    "Next concrete step (1/",
                    "What will you do? Describe the step in your own words.",
                ],
            ),
            ("Book appraisal talks", ["By when will you have done it?"]),
            ("+200", ["date"]),
            ("+7", ["How will you know it is done?"]),
            ("All booked", ["What is most likely to get in the way"]),
            ("If my week fills up, I book Monday", ["How confident are you"]),
            ("9", ["Your commitment", "Book appraisal talks", "All booked"]),
            ("/done", ["Saved"]),
        ],
    ),
}


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_core_transcript(name: str, catalog: DialogueCatalog) -> None:
    dialogue_id, lang, turns = TRANSCRIPTS[name]
    t = get_translator(lang, "Europe/Stockholm")
    result = run_transcript(catalog.get(dialogue_id), turns, translator=t, today=TODAY)
    if turns[-1][0] == "/done":
        assert any(isinstance(e, Finished) for e in result.effects)


def test_low_energy_yields_a_care_notice_and_the_dialogue_goes_on(catalog: DialogueCatalog) -> None:
    _, lang, turns = TRANSCRIPTS["nulage-en-low-energy-care"]
    result = run_transcript(
        catalog.get("nulage"), turns, translator=get_translator(lang), today=TODAY
    )
    assert [e for e in result.effects if isinstance(e, CareNotice)] == [CareNotice("energy", 1)]


def test_next_step_commitment_has_the_parsed_due_date(catalog: DialogueCatalog) -> None:
    _, lang, turns = TRANSCRIPTS["nasta_steg-sv-low-confidence"]
    result = run_transcript(
        catalog.get("nasta_steg"), turns, translator=get_translator(lang), today=TODAY
    )
    commitments = [e for e in result.effects if isinstance(e, CreateCommitment)]
    assert commitments == [
        CreateCommitment("Boka utvecklingssamtal", date(2026, 4, 1), "Alla samtal bokade")
    ]


def test_wording_rotates_so_the_same_question_is_not_repeated(catalog: DialogueCatalog) -> None:
    t = get_translator("en")
    first = run_transcript(catalog.get("nulage"), [], translator=t, today=TODAY)
    again = run_transcript(
        catalog.get("nulage"),
        [],
        translator=t,
        today=TODAY,
        last_phrasings=first.state["phrasings"],
    )
    assert first.screen.text != again.screen.text


def test_scope_of_action_offers_its_action_as_a_commitment(catalog: DialogueCatalog) -> None:
    taken = run_transcript(
        catalog.get("handlingsfrihet"),
        TRANSCRIPTS["handlingsfrihet-sv"][2],
        translator=get_translator("sv"),
        today=TODAY,
    )
    assert [e for e in taken.effects if isinstance(e, CreateCommitment)] == [
        CreateCommitment("Skriva ett underlag", date(2026, 3, 17))
    ]
    declined = run_transcript(
        catalog.get("handlingsfrihet"),
        TRANSCRIPTS["handlingsfrihet-en"][2],
        translator=get_translator("en"),
        today=TODAY,
    )
    assert not [e for e in declined.effects if isinstance(e, CreateCommitment)]
