"""Transcripts of the dialogue library: every branch of every dialogue, in Swedish and English."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.config import PROJECT_ROOT
from bot.dialogue.effects import CreateCommitment, Finished, RecordCheck
from bot.dialogue.loader import DialogueCatalog, load_dialogues
from bot.i18n import get_translator
from tests.dialogue.transcript import MATERIAL, Turn, run_transcript

TODAY = date(2026, 3, 10)  # a Tuesday

# Transcripts that run with other material than MATERIAL (three open commitments).
MATERIAL_OF = {
    "infor_motet-sv-done": replace(MATERIAL, commitments=MATERIAL.commitments[:1]),
    "infor_motet-en-none": replace(MATERIAL, commitments=()),
}

# name -> (dialogue id, language, turns); a turn is (what is sent, text the next screen shows).
TRANSCRIPTS: dict[str, tuple[str, str, list[Turn]]] = {
    # ------------------------------------------------------------------ relationer
    "relationer-sv": (
        "relationer",
        "sv",
        [
            (None, ["Relationer och roller (1/7)", "Vilken relation", "1. Min egen chef"]),
            ("7", ["Välj ett alternativ"]),
            ("2", ["(2/7)", "Vad fungerar bra mellan er just nu?", "påhittat namn"]),
            ("Vi delar kunskap", ["Vad fungerar inte som du vill?"]),
            ("Budgetfrågor", ["vad skulle hen kanske säga?", "Det går bra att gissa"]),
            ("Att jag drar igång för mycket", ["Hur bra fungerar samarbetet", "Mycket bra"]),
            ("elva", ["(5/7)", "0 till 10"]),
            ("6", ["(6/7)", "en sak du ska göra annorlunda"]),
            (
                "Fråga innan jag lovar",
                [
                    "(7/7)",
                    "Vill du göra det här till ett åtagande?",
                    ": Fråga innan jag lovar",
                    "3. Till nästa möte",
                ],
            ),
            (
                "3",
                [
                    "Åtagande senast: 26 mars 2026",
                    "Din relation i korthet",
                    "Relation: Chefskollegor",
                    "Samarbetets kvalitet: 6",
                ],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "relationer-en": (
        "relationer",
        "en",
        [
            (None, ["Relations and roles (1/7)", "Which relationship", "5. Someone outside"]),
            ("1", ["What works well between you right now?"]),
            ("Weekly one-to-ones", ["What does not work as you would like?"]),
            ("Late decisions", ["If they described the same situation"]),
            ("/back", ["What does not work as you would like?"]),
            ("/skip", ["If they described the same situation"]),
            ("That I push too hard", ["How well does the collaboration work overall?"]),
            ("3", ["What is one thing you will do differently"]),
            (
                "Ask before I decide",
                [
                    "Do you want to make this a commitment?",
                    "One thing I will do differently: Ask before I decide",
                    "In 2 weeks",
                ],
            ),
            (
                "/skip",
                [
                    "Your relationship, in short",
                    "Relationship: My own manager",
                    "What does not work: Late decisions",
                    "One thing I will do differently: Ask before I decide",
                ],
            ),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ grupp_mognad
    "grupp_mognad-sv-stage2": (
        "grupp_mognad",
        "sv",
        [
            (None, ["Din arbetsgrupp (1/", "2. Det skaver", "inget test"]),
            ("2", ["Vilken händelse nyligen fick dig att välja den beskrivningen?"]),
            ("Ett möte om schemat", ["Vad kan du göra för att hjälpa gruppen ett steg vidare?"]),
            ("Lyfta rollfrågan", ["Vad skulle du märka först"]),
            ("/skip", ["Vill du göra det här till ett åtagande?", ": Lyfta rollfrågan"]),
            (
                "+14",
                [
                    "Åtagande senast: 24 mars 2026",
                    "Din arbetsgrupp, som du ser den",
                    "Närmaste beskrivning: Det skaver",
                    "Det jag kan göra för att hjälpa gruppen vidare: Lyfta rollfrågan",
                ],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "grupp_mognad-sv-stage4": (
        "grupp_mognad",
        "sv",
        [
            ("4", ["Vilken händelse nyligen"]),
            ("Gruppen löste en kris själv", ["fortsätta fungera så här bra", "glider tillbaka"]),
            ("Skydda planeringstiden", ["Vad skulle du märka först"]),
            (
                "Färre frågor till mig",
                ["Vill du göra det här till ett åtagande?", ": Skydda planeringstiden"],
            ),
            ("/skip", ["Närmaste beskrivning: Vi får saker gjorda"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "grupp_mognad-en-stage1": (
        "grupp_mognad",
        "en",
        [
            (None, ["Your work group (1/", "1. Finding our place", "not a test"]),
            ("1", ["What recent moment made you choose that description?"]),
            ("Silence in meetings", ["What could you do to help the group one step further?"]),
            ("Agree goals together", ["What would you notice first"]),
            (
                "Someone proposes an agenda item",
                ["Do you want to make this a commitment?", ": Agree goals together"],
            ),
            ("1", ["Closest description: Finding our place", "A commitment by: 17 Mar 2026"]),
            ("/done", ["Saved"]),
        ],
    ),
    "grupp_mognad-en-stage4": (
        "grupp_mognad",
        "en",
        [
            ("4", ["What recent moment"]),
            ("They fixed a crisis", ["What can you do to help the group keep working this well?"]),
            ("Protect planning time", ["What would you notice first"]),
            (
                "/skip",
                [
                    "Do you want to make this a commitment?",
                    "What I can do to keep it going: Protect planning time",
                ],
            ),
            ("2", ["A commitment by: 24 Mar 2026"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ verksamheten
    "verksamheten-sv-low": (
        "verksamheten",
        "sv",
        [
            (None, ["Verksamheten (1/", "Vilka är verksamhetens viktigaste mål just nu?"]),
            ("Kortare väntetider", ["Hur nära målen är verksamheten i dag?", "Långt ifrån"]),
            ("3", ["Vad håller tillbaka mest?"]),
            ("Rekryteringen", ["Vilken är den viktigaste förändringen"]),
            ("Nytt bokningssystem", ["Vad är din del i den förändringen?"]),
            (
                "Leda införandet",
                ["Verksamheten i korthet", "Det som håller tillbaka: Rekryteringen"],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "verksamheten-sv-high": (
        "verksamheten",
        "sv",
        [
            ("Nöjda kunder", ["Hur nära målen"]),
            ("7", ["Vilken är den viktigaste förändringen"]),
            ("Ny organisation", ["Vad är din del"]),
            ("Förankra den", ["Läget mot målen: 7", "Min del i den: Förankra den"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "verksamheten-en-low": (
        "verksamheten",
        "en",
        [
            (None, ["The operation (1/", "What are the most important goals"]),
            ("Shorter queues", ["How close is the operation to those goals today?"]),
            ("4", ["What is holding it back most?"]),
            ("/skip", ["What is the most important change under way"]),
            ("A new booking system", ["What is your part in that change?"]),
            ("Lead the roll-out", ["Your operation, in short", "Where it stands: 4"]),
            ("/done", ["Saved"]),
        ],
    ),
    "verksamheten-en-high": (
        "verksamheten",
        "en",
        [
            ("Happy customers", ["How close"]),
            ("5", ["What is the most important change under way"]),
            ("Merger", ["What is your part in that change?"]),
            ("Explain it to staff", ["My part in it: Explain it to staff"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ utvecklingsplan
    "utvecklingsplan-sv-one-goal": (
        "utvecklingsplan",
        "sv",
        [
            (None, ["Utvecklingsplan (1/", "Nu skissar vi din utvecklingsplan"]),
            ("", ["Vilket är ditt första utvecklingsmål"]),
            ("", ["Vilket är ditt första utvecklingsmål"]),
            ("Delegera planeringen", ["Vill du lägga till ett andra mål?", "1. Ja"]),
            ("2", ["Hur kommer du, och andra, att märka"]),
            ("Gruppen planerar själv", ["Vilket stöd behöver du"]),
            ("Min coach", ["När vill du följa upp planen?"]),
            ("+3", ["17 mars 2026"]),
            ("+28", ["Din utvecklingsplan", "Mål 1: Delegera planeringen", "7 apr. 2026"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "utvecklingsplan-sv-three-goals": (
        "utvecklingsplan",
        "sv",
        [
            ("", ["första utvecklingsmål"]),
            ("Delegera", ["ett andra mål"]),
            ("ja", ["Vilket är ditt andra mål"]),
            ("Tydligare mål", ["Och ett tredje mål?"]),
            ("1", ["Vilket är ditt tredje mål"]),
            ("Bättre möten", ["Hur kommer du"]),
            ("Färre frågor", ["Vilket stöd"]),
            ("Backstage-gruppen", ["När vill du följa upp"]),
            ("2", ["Mål 2: Tydligare mål", "Mål 3: Bättre möten"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "utvecklingsplan-en-two-goals": (
        "utvecklingsplan",
        "en",
        [
            (None, ["Development plan (1/", "sketch your development plan"]),
            ("", ["What is your first development goal"]),
            ("Delegate planning", ["Do you want to add a second goal?", "2. No"]),
            ("yes", ["What is your second goal"]),
            ("Clearer goals", ["And a third goal?"]),
            ("no", ["How will you, and others, notice"]),
            ("Fewer questions to me", ["What support do you need"]),
            ("My manager", ["When do you want to review the plan?"]),
            ("+42", ["Your development plan", "Goal 2: Clearer goals", "21 Apr 2026"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------- utvecklingsplan_uppfoljning
    "uppfoljning-sv-one-goal-slow": (
        "utvecklingsplan_uppfoljning",
        "sv",
        [
            (None, ["Följ upp utvecklingsplanen (1/", "Hur många mål har den?", "1. Ett"]),
            ("1", ["Mål 1: hur långt har du kommit?", "Inte påbörjat"]),
            ("2", ["Där det går långsamt, vad har stått i vägen?", "inget misslyckande"]),
            ("Sjukskrivningar i gruppen", ["Vad har hjälpt dig framåt?"]),
            ("Samtalen med coachen", ["Vad vill du justera"]),
            ("Mindre mål", ["När vill du följa upp den nästa gång?"]),
            ("/skip", ["Din uppföljning av planen", "Framsteg, mål 1: 2", "Mindre mål"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "uppfoljning-sv-three-goals": (
        "utvecklingsplan_uppfoljning",
        "sv",
        [
            ("3", ["Mål 1: hur långt"]),
            ("5", ["Mål 2: hur långt"]),
            ("9", ["Mål 3: hur långt"]),
            ("3", ["Där det går långsamt"]),
            ("Tiden", ["Ett mål är nära"]),
            ("/skip", ["Vad har hjälpt dig framåt?"]),
            ("Stödet", ["Vad vill du justera"]),
            ("Stryk mål 3", ["När vill du följa upp"]),
            ("+30", ["Framsteg, mål 3: 3", "Nästa uppföljning: 9 apr. 2026"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "uppfoljning-en-two-goals-middle": (
        "utvecklingsplan_uppfoljning",
        "en",
        [
            (None, ["Review the development plan (1/", "How many goals does it have?"]),
            ("2", ["Goal 1: how far have you come?"]),
            ("5", ["Goal 2: how far have you come?"]),
            ("6", ["What has helped you move forward?"]),
            ("Writing things down", ["What do you want to adjust"]),
            ("Nothing", ["When do you want to review it next?"]),
            ("/skip", ["Your plan review", "Progress, goal 2: 6"]),
            ("/done", ["Saved"]),
        ],
    ),
    "uppfoljning-en-one-goal-close": (
        "utvecklingsplan_uppfoljning",
        "en",
        [
            ("1", ["Goal 1: how far"]),
            ("8", ["A goal is close. What would tell you it is reached?"]),
            ("The team runs it alone", ["What has helped you move forward?"]),
            ("Practice", ["What do you want to adjust"]),
            ("A new goal", ["When do you want to review it next?"]),
            ("+7", ["Nearly reached: what is left: The team runs it alone"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ infor_motet
    "infor_motet-sv-partly": (
        "infor_motet",
        "sv",
        [
            (None, ["Inför mötet (1/5)", "Vad har hänt sedan förra mötet"]),
            (
                "Två tunga samtal",
                [
                    "Ditt åtagande: Book one-to-ones",
                    "Hur gick det med det här åtagandet?",
                    "2. Delvis",
                ],
            ),
            ("2", ["Ditt åtagande: Ask for the budget frame", "(3/6)"]),
            ("1", ["Ditt åtagande: Write the change plan", "(4/6)"]),
            ("3", ["Vad kom emellan, eller vad lärde du dig av det?"]),
            ("Semestern", ["Vad vill du ta upp på mötet?"]),
            (
                "Min chefs förväntningar",
                [
                    "Åtagande – Book one-to-ones: Delvis",
                    "Åtagande – Ask for the budget frame: Klart",
                    "Åtagande – Write the change plan: Inte än",
                    "Om åtagandena: Semestern",
                ],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "infor_motet-sv-done": (
        "infor_motet",
        "sv",
        [
            ("Lugnt", ["Hur gick det med det här åtagandet?", "Ditt åtagande: Book one-to-ones"]),
            ("1", ["Vad vill du ta upp på mötet?"]),
            (
                "Rekrytering",
                ["Åtagande – Book one-to-ones: Klart", "Det jag vill ta upp: Rekrytering"],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "infor_motet-en-changed": (
        "infor_motet",
        "en",
        [
            (None, ["Before the meeting (1/5)", "since the last meeting"]),
            (
                "A reorganisation",
                [
                    "How did this commitment go?",
                    "Your commitment: Book one-to-ones",
                    "Due 12 Mar 2026",
                    "Done when: Five talks held",
                ],
            ),
            ("4", ["Your commitment: Ask for the budget frame"]),
            ("/back", ["Book one-to-ones", "Current answer: No longer relevant"]),
            ("/skip", ["Your commitment: Ask for the budget frame"]),
            ("1", ["Your commitment: Write the change plan", "(4/6)"]),
            ("1", ["What got in the way, or what did you learn"]),
            ("/skip", ["What do you want to bring to the meeting?"]),
            (
                "The new role",
                [
                    "Commitment – Book one-to-ones: No longer relevant",
                    "Commitment – Ask for the budget frame: Done",
                    "Commitment – Write the change plan: Done",
                    "The new role",
                ],
            ),
            ("/done", ["Saved"]),
        ],
    ),
    "infor_motet-en-none": (
        "infor_motet",
        "en",
        [
            (None, ["Before the meeting (1/2)"]),
            ("First meeting soon", ["What do you want to bring to the meeting?", "(2/2)"]),
            ("My scope of action", ["Since last time: First meeting soon", "My scope of action"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ case_forberedelse
    "case-sv-test-decision": (
        "case_forberedelse",
        "sv",
        [
            (
                None,
                ["Förbered ditt case (1/", "två eller tre meningar", "Riktiga namn behövs aldrig"],
            ),
            ("Kim vill gå ner i tid mitt i en flytt.", ["Vad har du provat hittills?"]),
            ("Ett samtal", ["Vilken sorts hjälp vill du ha av gruppen?", "4. Pröva ett beslut"]),
            ("4", ["Vilket beslut vill du pröva"]),
            ("Säga ja med villkor", ["Vad står på spel"]),
            ("/skip", ["Får gruppen se din förberedelse före mötet?"]),
            ("nej", ["Ditt case", "Önskad hjälp: Pröva ett beslut", "Delas med gruppen: Nej"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "case-sv-ideas": (
        "case_forberedelse",
        "sv",
        [
            ("Två team krockar.", ["Vad har du provat"]),
            ("Gemensamt möte", ["Vilken sorts hjälp"]),
            ("2", ["Vad står på spel"]),
            ("Leveransen i maj", ["Får gruppen se"]),
            ("ja", ["Önskad hjälp: Idéer om vad jag kan göra", "Delas med gruppen: Ja"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "case-en-support": (
        "case_forberedelse",
        "en",
        [
            (None, ["Prepare your case (1/", "Describe your dilemma", "made-up name"]),
            ("A team lead questions every decision.", ["What have you tried so far?"]),
            ("Talking one to one", ["What kind of help do you want from the group?"]),
            ("3", ["What is at stake, for you or for others?"]),
            ("My credibility", ["May the group see this preparation"]),
            ("1", ["Your case", "Help wanted: Support", "Shared with the group: Yes"]),
            ("/done", ["Saved"]),
        ],
    ),
    "case-en-test-decision": (
        "case_forberedelse",
        "en",
        [
            ("Close the evening shift?", ["What have you tried"]),
            ("Asked staff", ["What kind of help"]),
            ("4", ["Which decision do you want to test"]),
            ("Close it in June", ["What is at stake"]),
            ("/skip", ["May the group see"]),
            ("no", ["The decision to test: Close it in June", "Shared with the group: No"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ efter_motet
    "efter_motet-sv": (
        "efter_motet",
        "sv",
        [
            (None, ["Efter mötet (1/7)", "Vad är din viktigaste insikt från mötet?"]),
            ("Jag tar för mycket själv", ["Vad hjälpte dig mest"]),
            ("En fråga om mandatet", ["Vad ska du göra före nästa gång?", "Litet och konkret"]),
            ("Lämna över veckomötet", ["Till när?"]),
            ("igår", ["datum"]),
            ("24/3", ["Hur vet du att det är gjort?"]),
            ("Någon annan har lett det", ["Hur givande var mötet för dig?", "Mycket givande"]),
            ("8", ["Vad vill du ta med dig till nästa gång?"]),
            (
                "Mandatet",
                ["Efter mötet", "Mitt åtagande: Lämna över veckomötet", "Till när: 24 mars 2026"],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "efter_motet-en": (
        "efter_motet",
        "en",
        [
            (None, ["After the meeting (1/7)", "What is your main insight"]),
            ("I carry too much myself", ["What helped you most"]),
            ("The silent round", ["What will you do before next time?"]),
            ("Hand over the weekly meeting", ["By when?"]),
            ("+14", ["How will you know it is done?"]),
            ("Someone else chaired it", ["How useful was the meeting for you?"]),
            ("10", ["What do you want to carry to next time?"]),
            ("/skip", ["My commitment: Hand over the weekly meeting", "Usefulness: 10"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ checkin
    "checkin-sv-done": (
        "checkin",
        "sv",
        [
            (
                None,
                [
                    "Stäm av ett åtagande",
                    "Ditt åtagande: Book one-to-ones",
                    "Klart när: Five talks held",
                    "Hur går det med ditt åtagande?",
                    "inget misslyckande",
                ],
            ),
            ("1", ["Härligt. Vad hjälpte dig att få det gjort?"]),
            ("Jag bokade tiden direkt", ["Din avstämning", "Läge: Klart"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "checkin-sv-partly": (
        "checkin",
        "sv",
        [
            ("2", ["Vad hjälpte, och vad kom emellan?"]),
            (
                "Tiden räckte inte",
                ["Ditt åtagande: Book one-to-ones", "Vilket nytt datum ger du det?", "Om 1 vecka"],
            ),
            ("3", ["Vill du göra det som återstår till ett eget åtagande?"]),
            ("ja", ["Vad återstår att göra?"]),
            (
                "Boka de två sista samtalen",
                [
                    "Läge: Delvis",
                    "Nytt datum: 26 mars 2026",
                    "Det som återstår: Boka de två sista samtalen",
                ],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "checkin-sv-not-yet": (
        "checkin",
        "sv",
        [
            ("3", ["Vad hjälpte, och vad kom emellan? Det är värt att veta."]),
            ("Sjuk personal", ["Vilket nytt datum ger du det?", "Till nästa möte"]),
            (
                "+10",
                [
                    "Läge: Inte än",
                    "Det som hjälpte och det som kom emellan: Sjuk personal",
                    "Nytt datum: 20 mars 2026",
                ],
            ),
            ("/done", ["Sparat"]),
        ],
    ),
    "checkin-sv-dropped": (
        "checkin",
        "sv",
        [
            ("4", ["Vad ändrades, så att det inte passar längre?"]),
            ("/skip", ["Läge: Inte aktuellt längre"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "checkin-en-done": (
        "checkin",
        "en",
        [
            (
                None,
                [
                    "Check in on a commitment",
                    "Your commitment: Book one-to-ones",
                    "Due 12 Mar 2026",
                    "How is your commitment going?",
                    "not a failure",
                ],
            ),
            ("1", ["Nice. What helped you get it done?"]),
            (
                "A calendar block",
                ["Your check-in", "Status: Done", "What helped: A calendar block"],
            ),
            ("/done", ["Saved"]),
        ],
    ),
    "checkin-en-partly": (
        "checkin",
        "en",
        [
            ("2", ["What helped, and what got in the way?"]),
            (
                "Half the team was away",
                ["Which new date do you give it?", "At the next meeting (26 Mar 2026)"],
            ),
            ("+10", ["Do you want to make what remains a commitment of its own?"]),
            ("no", ["Status: Partly", "New date: 20 Mar 2026"]),
            ("/done", ["Saved"]),
        ],
    ),
    "checkin-en-not-yet": (
        "checkin",
        "en",
        [
            ("3", ["What helped, and what got in the way?"]),
            ("Too big a step", ["Which new date do you give it?", "In 2 weeks"]),
            ("/skip", ["This question cannot be skipped"]),
            ("1", ["Status: Not yet", "New date: 17 Mar 2026"]),
            ("/done", ["Saved"]),
        ],
    ),
    "checkin-en-dropped": (
        "checkin",
        "en",
        [
            ("4", ["What changed, so it no longer fits?"]),
            ("The project was stopped", ["Status: No longer relevant", "The project was stopped"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ grow
    "grow-sv-low-confidence": (
        "grow",
        "sv",
        [
            (None, ["GROW: från mål till handling (1/", "Formulera det som ett resultat"]),
            ("Beslut på varje veckomöte", ["Var är du i dag, om 10 betyder att målet är nått?"]),
            ("4", ["Vad skulle du kunna göra?"]),
            ("Agenda, beslutslogg", ["Vilket alternativ ska du agera på"]),
            ("Beslutslogg från måndag", ["Hur säker är du på att du kommer att göra det?"]),
            ("5", ["Vad skulle höja din tilltro ett steg?"]),
            (
                "Be en kollega påminna",
                ["Vill du göra det här till ett åtagande?", ": Beslutslogg från måndag"],
            ),
            ("/skip", ["Din GROW", "Tilltro: 5"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "grow-sv-high-confidence": (
        "grow",
        "sv",
        [
            ("Tydligare mål", ["Var är du i dag"]),
            ("6", ["Vad skulle du kunna göra?"]),
            ("Workshop", ["Vilket alternativ"]),
            ("Workshop i april", ["Hur säker är du"]),
            ("7", ["Vill du göra det här till ett åtagande?", "Workshop i april"]),
            ("imorgon", ["Din GROW", "Det jag ska göra: Workshop i april"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "grow-en-low-confidence": (
        "grow",
        "en",
        [
            (None, ["GROW: goal to action (1/", "Say it as a result"]),
            ("Decisions at every meeting", ["Where are you today"]),
            ("3", ["What could you do?"]),
            ("Decision log", ["Which option will you act on"]),
            ("Start Monday", ["How sure are you that you will do it?"]),
            ("6", ["What would raise your confidence by one point?"]),
            ("Tell my team", ["Do you want to make this a commitment?", ": Start Monday"]),
            ("/skip", ["Your GROW", "What would raise it: Tell my team"]),
            ("/done", ["Saved"]),
        ],
    ),
    "grow-en-high-confidence": (
        "grow",
        "en",
        [
            ("Clear goals", ["Where are you today"]),
            ("8", ["What could you do?"]),
            ("A workshop", ["Which option"]),
            ("Workshop in April", ["How sure are you"]),
            (
                "9",
                [
                    "Do you want to make this a commitment?",
                    ": Workshop in April",
                    "At the next meeting",
                ],
            ),
            ("3", ["Your GROW", "Confidence: 9", "A commitment by: 26 Mar 2026"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ kolb
    "kolb-sv": (
        "kolb",
        "sv",
        [
            (None, ["Lär av en erfarenhet (1/5)", "Vad hände? Beskriv en situation kort."]),
            ("Ett möte som spårade ur", ["Vad lade du märke till, hos andra och hos dig själv?"]),
            ("Jag blev tyst", ["Känner du igen ett mönster?"]),
            ("När det blir högljutt", ["Vad ska du pröva nästa gång"]),
            ("Säga vad jag ser", ["Vill du göra det här till ett åtagande?", ": Säga vad jag ser"]),
            ("+7", ["Det du lärde dig", "Mönstret: När det blir högljutt"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "kolb-en": (
        "kolb",
        "en",
        [
            (None, ["Learn from an experience (1/5)", "What happened?"]),
            ("A meeting went off track", ["What did you notice"]),
            ("I went quiet", ["Do you recognise a pattern?"]),
            ("When voices rise", ["What will you try next time"]),
            (
                "Name what I see",
                ["Do you want to make this a commitment?", "What I try next: Name what I see"],
            ),
            ("/skip", ["What you learned", "What I try next: Name what I see"]),
            ("/done", ["Saved"]),
        ],
    ),
    # ------------------------------------------------------------------ skalfragan
    "skalfragan-sv-middle": (
        "skalfragan",
        "sv",
        [
            (None, ["Skalfrågan (1/", "Vad vill du sätta på en skala?"]),
            ("Samarbetet med HR", ["Om 10 är så bra som det realistiskt kan bli", "Sämsta"]),
            ("4", ["Varför just den siffran och inte lägre?"]),
            ("Vi pratar varje vecka", ["Hur skulle ett steg högre se ut?"]),
            ("Färre missförstånd", ["Din skala", "Var det är: 4", "Så skulle +1 se ut"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "skalfragan-sv-zero": (
        "skalfragan",
        "sv",
        [
            ("Arbetsbelastningen", ["Om 10 är"]),
            ("0", ["Det låter tufft. Hur lyckas du ändå hålla ut?"]),
            ("Kollegorna", ["Hur skulle ett steg högre se ut?"]),
            ("En ledig kväll", ["Så håller jag ut: Kollegorna"]),
            ("/done", ["Sparat"]),
        ],
    ),
    "skalfragan-en-ten": (
        "skalfragan",
        "en",
        [
            (None, ["The scaling question (1/", "What do you want to put on a scale?"]),
            ("My team's planning", ["If 10 is as good as it can realistically get"]),
            ("10", ["Why that number and not lower?"]),
            ("They own it", ["What will help you keep it there?"]),
            ("Keep the Monday check", ["Your scale", "How to keep it: Keep the Monday check"]),
            ("/done", ["Saved"]),
        ],
    ),
    "skalfragan-en-zero-and-middle": (
        "skalfragan",
        "en",
        [
            ("Workload", ["If 10 is"]),
            ("0", ["That sounds tough. How are you managing to keep going anyway?"]),
            ("/back", ["If 10 is"]),
            ("6", ["Why that number and not lower?"]),
            ("Good colleagues", ["What would one point higher look like?"]),
            ("One free evening", ["Where it is: 6", "What +1 would look like: One free evening"]),
            ("/done", ["Saved"]),
        ],
    ),
}


@pytest.fixture(scope="module")
def catalog() -> DialogueCatalog:
    return load_dialogues(PROJECT_ROOT / "dialogues")


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_library_transcript(name: str, catalog: DialogueCatalog) -> None:
    dialogue_id, lang, turns = TRANSCRIPTS[name]
    t = get_translator(lang, "Europe/Stockholm")
    material = MATERIAL_OF.get(name, MATERIAL)
    result = run_transcript(
        catalog.get(dialogue_id), turns, translator=t, today=TODAY, material=material
    )
    assert turns[-1][0] == "/done"
    assert any(isinstance(effect, Finished) for effect in result.effects)


def test_every_library_dialogue_has_transcripts_in_both_languages() -> None:
    covered = {(dialogue_id, lang) for dialogue_id, lang, _ in TRANSCRIPTS.values()}
    for dialogue_id in LIBRARY:
        assert {(dialogue_id, "sv"), (dialogue_id, "en")} <= covered, dialogue_id


LIBRARY = (
    "relationer",
    "grupp_mognad",
    "verksamheten",
    "utvecklingsplan",
    "utvecklingsplan_uppfoljning",
    "infor_motet",
    "case_forberedelse",
    "efter_motet",
    "checkin",
    "grow",
    "kolb",
    "skalfragan",
)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "efter_motet-sv",
            CreateCommitment(
                "Lämna över veckomötet", date(2026, 3, 24), "Någon annan har lett det"
            ),
        ),
        (
            "efter_motet-en",
            CreateCommitment(
                "Hand over the weekly meeting", date(2026, 3, 24), "Someone else chaired it"
            ),
        ),
    ],
)
def test_after_meeting_creates_the_commitment(
    name: str, expected: CreateCommitment, catalog: DialogueCatalog
) -> None:
    dialogue_id, lang, turns = TRANSCRIPTS[name]
    result = run_transcript(
        catalog.get(dialogue_id), turns, translator=get_translator(lang), today=TODAY
    )
    assert [e for e in result.effects if isinstance(e, CreateCommitment)] == [expected]


@pytest.mark.parametrize("dialogue_id", LIBRARY)
def test_only_the_planned_dialogues_create_or_update_commitments(
    dialogue_id: str, catalog: DialogueCatalog
) -> None:
    dialogue = catalog.get(dialogue_id)
    # The five that end by offering their action as a commitment (grupp_mognad has two
    # alternative actions); checkin updates its commitment and may create the rest.
    expected = {
        "efter_motet": 1,
        "checkin": 2,
        "infor_motet": 1,
        "handlingsfrihet": 1,
        "relationer": 1,
        "grupp_mognad": 2,
        "kolb": 1,
        "grow": 1,
    }.get(dialogue_id, 0)
    assert len(dialogue.effects) == expected


def test_checkin_asks_about_what_hindered_differently_per_answer(catalog: DialogueCatalog) -> None:
    dialogue = catalog.get("checkin")
    t = get_translator("en")
    seconds = {
        value: run_transcript(
            dialogue, [(value, [])], translator=t, today=TODAY, material=MATERIAL
        ).screen.text
        for value in ("1", "2", "3", "4")
    }
    # Partly and not yet share one question about what helped and what got in the way.
    assert len(set(seconds.values())) == 3
    assert seconds["2"] == seconds["3"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("checkin-sv-done", [RecordCheck(1, "done", None, "Jag bokade tiden direkt")]),
        (
            "checkin-sv-partly",
            [
                RecordCheck(1, "partly", date(2026, 3, 26), "Tiden räckte inte"),
                CreateCommitment("Boka de två sista samtalen", date(2026, 3, 26), None, 1),
            ],
        ),
        ("checkin-sv-not-yet", [RecordCheck(1, "not_yet", date(2026, 3, 20), "Sjuk personal")]),
        ("checkin-sv-dropped", [RecordCheck(1, "dropped", None, None)]),
        (
            "checkin-en-partly",
            [RecordCheck(1, "partly", date(2026, 3, 20), "Half the team was away")],
        ),
    ],
)
def test_checkin_updates_its_commitment(
    name: str, expected: list[object], catalog: DialogueCatalog
) -> None:
    dialogue_id, lang, turns = TRANSCRIPTS[name]
    result = run_transcript(
        catalog.get(dialogue_id),
        turns,
        translator=get_translator(lang),
        today=TODAY,
        material=MATERIAL,
    )
    assert [e for e in result.effects if not isinstance(e, Finished)] == expected


def test_checkin_without_its_commitment_changes_nothing(catalog: DialogueCatalog) -> None:
    # The service never starts a check-in without a commitment; if state lost it, no effect
    # may guess which commitment was meant.
    turns: list[Turn] = [("3", []), ("Busy", []), ("1", []), ("/done", ["Saved"])]
    result = run_transcript(catalog.get("checkin"), turns, today=TODAY)
    assert "Your commitment" not in result.texts[0]
    assert result.effects == [Finished()]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "infor_motet-sv-partly",
            [RecordCheck(1, "partly"), RecordCheck(2, "done"), RecordCheck(3, "not_yet")],
        ),
        ("infor_motet-sv-done", [RecordCheck(1, "done")]),
        (
            "infor_motet-en-changed",
            [RecordCheck(1, "dropped"), RecordCheck(2, "done"), RecordCheck(3, "done")],
        ),
        ("infor_motet-en-none", []),
    ],
)
def test_before_the_meeting_records_a_status_for_each_open_commitment(
    name: str, expected: list[RecordCheck], catalog: DialogueCatalog
) -> None:
    dialogue_id, lang, turns = TRANSCRIPTS[name]
    result = run_transcript(
        catalog.get(dialogue_id),
        turns,
        translator=get_translator(lang),
        today=TODAY,
        material=MATERIAL_OF.get(name, MATERIAL),
    )
    assert [e for e in result.effects if not isinstance(e, Finished)] == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("relationer-sv", [CreateCommitment("Fråga innan jag lovar", date(2026, 3, 26))]),
        ("relationer-en", []),
        ("grupp_mognad-sv-stage2", [CreateCommitment("Lyfta rollfrågan", date(2026, 3, 24))]),
        ("grupp_mognad-sv-stage4", []),
        ("grupp_mognad-en-stage1", [CreateCommitment("Agree goals together", date(2026, 3, 17))]),
        ("grupp_mognad-en-stage4", [CreateCommitment("Protect planning time", date(2026, 3, 24))]),
        ("grow-sv-high-confidence", [CreateCommitment("Workshop i april", date(2026, 3, 11))]),
        ("grow-en-high-confidence", [CreateCommitment("Workshop in April", date(2026, 3, 26))]),
        ("kolb-sv", [CreateCommitment("Säga vad jag ser", date(2026, 3, 17))]),
        ("kolb-en", []),
    ],
)
def test_the_action_becomes_a_commitment_only_when_a_date_is_given(
    name: str, expected: list[CreateCommitment], catalog: DialogueCatalog
) -> None:
    dialogue_id, lang, turns = TRANSCRIPTS[name]
    result = run_transcript(
        catalog.get(dialogue_id),
        turns,
        translator=get_translator(lang),
        today=TODAY,
        material=MATERIAL,
    )
    assert [e for e in result.effects if isinstance(e, CreateCommitment)] == expected
