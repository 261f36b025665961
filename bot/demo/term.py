"""One term of a demo client's reflections, as what she typed and pressed, in sv and en.

Sara leads a customer-service team of nine through a reorganisation, a hiring freeze and a new
case system. The events are days from the start of the term; texts are her answers (data, not
interface wording, so they are not in the catalogs). Scale values vary over the term so the
summary has trends to show: energy falls to the care threshold before the third meeting.
"""

from __future__ import annotations

from dataclasses import dataclass

Bilingual = tuple[str, str]  # (Swedish, English)
# A step's answer: typed text (both languages), a button value, one button value per repeated
# step (a list), or None to skip an optional step.
Answer = Bilingual | str | list[str] | None

TERM_DAYS = 84
# Meetings with the coach, as (day, hour) of the term; the last term ends on the seeding day
# (day 84), two days before the next meeting, so the client has seen and approved her preview.
MEETINGS: tuple[tuple[int, int], ...] = ((3, 10), (31, 10), (59, 14))
NEXT_MEETING = (86, 10)


@dataclass(frozen=True)
class Reflection:
    """A finished dialogue: day and hour of the term, answers by step id, steps kept private."""

    day: int
    hour: int
    dialogue_id: str
    answers: dict[str, Answer]
    private: frozenset[str] = frozenset()
    # For a check-in: the start of the commitment's text it is about (Swedish, English).
    about: Bilingual | None = None


# Who the demo people are; "(demo)" in the name tells every reader it is not a real person.
CLIENT_NAME = "Sara Lind (demo)"
COACH_NAME = "Maria Holm (demo)"
DEMO_MARK = "(demo)"
TIMEZONE = "Europe/Stockholm"

_VIKARIE = ("Skriva ett underlag", "Write a one-page case")
_ONE_TO_ONE = ("Boka 1:1", "Book a one-to-one")
_SAY_NO = ("Säga nej till", "Say no to")
_WEEK_START = ("Införa en kort veckostart", "Start a short Monday")
_DELEGATE = ("Lämna över schemaläggningen", "Hand the rota")
_SAY_NO_REST = ("Ta fram en enkel prioriteringslista", "Draft a simple priority list")

TERM: tuple[Reflection, ...] = (
    Reflection(
        1,
        19,
        "nulage",
        {
            "occupies": (
                "Omorganisationen. Vi ska slås ihop med fakturagruppen i vår och ingen vet riktigt "
                "vad det betyder för teamet.",
                "The reorganisation. We merge with the invoicing group in spring and nobody really "
                "knows what it means for the team.",
            ),
            "role": "5",
            "energy": "6",
            "works": (
                "Teamet hjälper varandra när det är mycket samtal. Det har jag inte behövt be om.",
                "The team helps each other when the phones are busy. I did not have to ask.",
            ),
            "want": (
                "Få syn på vad som faktiskt är mitt att bestämma i omorganisationen.",
                "To see what is actually mine to decide in the reorganisation.",
            ),
        },
    ),
    Reflection(
        2,
        20,
        "handlingsfrihet",
        {
            "issue": (
                "Anställningsstoppet, när två i teamet är föräldralediga.",
                "The hiring freeze, with two of the team on parental leave.",
            ),
            "decide": (
                "Hur arbetet fördelas och vilka ärenden vi prioriterar först.",
                "How work is shared and which cases we take first.",
            ),
            "influence": (
                "Min chefs bild av läget, om jag visar siffror i stället för att klaga.",
                "My manager's view of the situation, if I show figures instead of complaining.",
            ),
            "outside": ("Själva beslutet om stoppet.", "The freeze itself."),
            "unclear": (
                "Om jag får ta in en vikarie på timmar utan att fråga.",
                "Whether I may bring in an hourly temp without asking.",
            ),
            "action": (
                "Skriva ett underlag om en vikarie till min chef, med kötider och sjukfrånvaro.",
                "Write a one-page case for a temp to my manager, with queue times and sick leave.",
            ),
            "clarify_with": (
                "Min chef, på torsdagens avstämning.",
                "My manager, at Thursday's check-in.",
            ),
            "commit_due": "+12",
        },
    ),
    Reflection(
        2,
        21,
        "grupp_mognad",
        {
            "stage": "stage_2",
            "example": (
                "På mötet om nya schemat blev det tyst, sedan kom kritiken i korridoren efteråt.",
                "At the meeting about the new rota it went quiet, then the criticism came in the "
                "corridor afterwards.",
            ),
            "one_step": (
                "Be om invändningar i mötet, en runda där alla säger något.",
                "Ask for objections in the meeting, one round where everyone says something.",
            ),
            "sign": ("Att kritiken kommer i rummet.", "That the criticism is said in the room."),
            "commit_due": None,
        },
    ),
    Reflection(
        4,
        18,
        "efter_motet",
        {
            "insight": (
                "Jag tar på mig att lösa allt själv i stället för att fråga teamet.",
                "I take it on myself to solve everything instead of asking the team.",
            ),
            "helped": (
                "Frågan om vad som händer om jag inte löser det.",
                "The question of what happens if I do not solve it.",
            ),
            "action": (
                "Boka 1:1 med alla i teamet före månadsskiftet.",
                "Book a one-to-one with everyone in the team before the end of the month.",
            ),
            "due": "+14",
            "done_when": ("Alla nio samtal är hållna.", "All nine talks have been held."),
            "if_then": (
                "Om kalendern fylls bokar jag de sista samtalen på fredagsmorgnar.",
                "If the calendar fills up, I book the last talks on Friday mornings.",
            ),
            "confidence": "7",
            "useful": "8",
            "carry": (
                "Vad jag själv behöver släppa för att teamet ska ta mer.",
                "What I need to let go of so that the team takes more on.",
            ),
        },
    ),
    Reflection(
        7,
        20,
        "utvecklingsplan",
        {
            "intro": "",
            "goal_1": (
                "Delegera mer och tydligare, så att teamet klarar sammanslagningen utan mig i "
                "varje fråga. Det stödjer målet om kortare handläggningstider.",
                "Delegate more and more clearly, so the team manages the merger without me in "
                "every question. It serves the goal of shorter handling times.",
            ),
            "more_2": "yes",
            "goal_2": (
                "Säga nej och prioritera högt, mot verksamhetens mål om färre parallella projekt.",
                "Say no and prioritise out loud, for the operation's goal of fewer parallel "
                "projects.",
            ),
            "more_3": "no",
            "progress_signs": (
                "Att jag har färre ärenden på mitt bord och att teamet fattar fler beslut själva.",
                "Fewer cases on my desk and more decisions taken by the team itself.",
            ),
            "support": (
                "Min coach, och att min chef backar mig när jag säger nej.",
                "My coach, and my manager backing me when I say no.",
            ),
            "review": "+60",
        },
    ),
    Reflection(
        14,
        17,
        "checkin",
        {
            "status": "done",
            "helped": (
                "Siffrorna. Min chef tog med underlaget till ledningsgruppen samma vecka.",
                "The figures. My manager took the case to the management team the same week.",
            ),
        },
        about=_VIKARIE,
    ),
    Reflection(
        18,
        17,
        "checkin",
        {
            "status": "partly",
            "hindered": (
                "Sex av nio är gjorda. Två var sjuka och en veckas schema sprack.",
                "Six of nine are done. Two were ill and one week's rota fell apart.",
            ),
            "new_date": "+7",
            "split": "no",
        },
        about=_ONE_TO_ONE,
    ),
    Reflection(
        21,
        19,
        "skalfragan",
        {
            "topic": (
                "Hur tydligt jag leder teamet i förändringen.",
                "How clearly I lead the team through the change.",
            ),
            "score": "4",
            "why_not_lower": (
                "Jag berättar det jag vet, även när det är lite.",
                "I tell them what I know, even when it is little.",
            ),
            "plus_one": (
                "Att jag säger vad jag inte vet, i stället för att vänta tills jag vet.",
                "That I say what I do not know, instead of waiting until I do.",
            ),
        },
    ),
    Reflection(
        25,
        16,
        "checkin",
        {
            "status": "done",
            "helped": (
                "Jag bokade de sista samtalen direkt efter frukostmötet innan något annat hann "
                "emellan.",
                "I booked the last talks right after the breakfast meeting before anything else "
                "got in between.",
            ),
        },
        about=_ONE_TO_ONE,
    ),
    Reflection(
        29,
        20,
        "infor_motet",
        {
            "since": (
                "Vikarien är godkänd från mars. Samtalen med teamet gav mer än jag trodde: tre "
                "vill ta mer ansvar.",
                "The temp is approved from March. The talks with the team gave more than I "
                "expected: three want to take on more.",
            ),
            "commitment": ["done"],
            "bring": (
                "Hur jag säger nej till nya uppdrag från ledningsgruppen utan att backa.",
                "How I say no to new assignments from the management team without backing down.",
            ),
        },
    ),
    Reflection(
        32,
        18,
        "efter_motet",
        {
            "insight": (
                "Ett nej kan vara ett ja till något annat, om jag säger vad.",
                "A no can be a yes to something else, if I say what.",
            ),
            "helped": ("Att vi övade på formuleringen.", "That we practised the wording."),
            "action": (
                "Säga nej till projektet om ny chattfunktion och föreslå start efter sommaren.",
                "Say no to the new chat project and suggest starting after the summer.",
            ),
            "due": "+10",
            "done_when": (
                "Jag har sagt det på ledningsgruppsmötet.",
                "I have said it at the management meeting.",
            ),
            "if_then": (
                "Om jag tvekar i stunden läser jag upp det jag skrivit i förväg.",
                "If I hesitate in the moment, I read out what I wrote beforehand.",
            ),
            "confidence": "5",
            "raise_it": (
                "Att säga det till min chef innan mötet.",
                "Telling my manager before the meeting.",
            ),
            "useful": "7",
            "carry": (
                "Varför det är så svårt för mig att göra någon besviken.",
                "Why it is so hard for me to disappoint anyone.",
            ),
        },
        private=frozenset({"carry"}),
    ),
    Reflection(
        33,
        19,
        "nasta_steg",
        {
            "action": (
                "Införa en kort veckostart med teamet på måndagar, femton minuter.",
                "Start a short Monday meeting with the team, fifteen minutes.",
            ),
            "due": "+14",
            "done_sign": ("Två veckostarter är hållna.", "Two Monday meetings have been held."),
            "if_then": (
                "Om telefonkön är lång, då tar vi den stående vid tavlan i stället.",
                "If the phone queue is long, then we hold it standing at the board instead.",
            ),
            "confidence": "8",
        },
    ),
    Reflection(
        35,
        21,
        "nulage",
        {
            "occupies": (
                "Budgeten för nästa år och att sammanslagningen flyttats fram en månad.",
                "Next year's budget, and the merger being moved forward a month.",
            ),
            "role": "6",
            "energy": "4",
            "works": (
                "Veckostarten. Folk säger mer än jag väntat mig.",
                "The Monday meeting. People say more than I expected.",
            ),
            "want": ("Prioritera i budgetarbetet.", "Prioritising in the budget work."),
        },
        private=frozenset({"energy"}),
    ),
    Reflection(
        42,
        17,
        "checkin",
        {
            "status": "not_yet",
            "hindered": (
                "Budgetarbetet tog all tid, och mötet där jag skulle säga det ställdes in.",
                "The budget work took all my time, and the meeting where I would say it was "
                "cancelled.",
            ),
            "new_date": "+10",
        },
        about=_SAY_NO,
    ),
    Reflection(
        45,
        20,
        "grupp_mognad",
        {
            "stage": "stage_2",
            "example": (
                "Två i teamet är osams om hur ärenden fördelas och det märks i kön.",
                "Two in the team disagree on how cases are shared, and it shows in the queue.",
            ),
            "one_step": (
                "Låta dem två ta fram ett förslag på fördelning tillsammans.",
                "Let the two of them draft a proposal for sharing the cases together.",
            ),
            "sign": None,
            "commit_due": None,
        },
    ),
    Reflection(
        47,
        16,
        "checkin",
        {
            "status": "done",
            "helped": (
                "Att jag lade den i kalendern som ett återkommande möte direkt.",
                "Putting it in the calendar as a recurring meeting straight away.",
            ),
        },
        about=_WEEK_START,
    ),
    Reflection(
        50,
        20,
        "relationer",
        {
            "relation": "own_manager",
            "works": (
                "Han lyssnar när jag kommer med fakta.",
                "He listens when I bring facts.",
            ),
            "not_working": (
                "Nya uppdrag kommer i korridoren, utan att något annat tas bort.",
                "New assignments arrive in the corridor, without anything else being removed.",
            ),
            "their_view": (
                "Att jag alltid säger ja och att han därför tror att det går.",
                "That I always say yes, so he thinks it works.",
            ),
            "quality": "5",
            "differently": (
                "Fråga vad som ska bort när något nytt kommer.",
                "Ask what should go when something new comes in.",
            ),
            "commit_due": None,
        },
    ),
    Reflection(
        52,
        17,
        "checkin",
        {
            "status": "not_yet",
            "hindered": (
                "Jag ville vänta in budgetbeskedet först. Det är nog en ursäkt.",
                "I wanted to wait for the budget decision first. It is probably an excuse.",
            ),
            "new_date": "+14",
        },
        about=_SAY_NO,
    ),
    Reflection(
        56,
        20,
        "infor_motet",
        {
            "since": (
                "Budgeten är lagd, med en vikarie. Jag har fortfarande inte sagt nej till "
                "chattprojektet.",
                "The budget is set, with one temp. I have still not said no to the chat project.",
            ),
            "commitment": ["not_yet"],
            "commitments_note": (
                "Jag skjuter upp det för att jag är rädd att verka ovillig.",
                "I keep putting it off because I am afraid of seeming unwilling.",
            ),
            "bring": (
                "Varför jag skjuter upp nejet, och hur jag tar mig förbi det.",
                "Why I keep putting off the no, and how I get past it.",
            ),
        },
    ),
    Reflection(
        60,
        18,
        "efter_motet",
        {
            "insight": (
                "Det är inte nejet jag är rädd för utan att stå ensam med det.",
                "It is not the no I fear but standing alone with it.",
            ),
            "helped": (
                "När coachen frågade vem som skulle stå bredvid mig.",
                "When my coach asked who would stand next to me.",
            ),
            "action": (
                "Lämna över schemaläggningen till Ali, med en genomgång och en uppföljning.",
                "Hand the rota over to Ali, with a walk-through and a follow-up.",
            ),
            "due": "+14",
            "done_when": (
                "Ali har lagt nästa månads schema själv.",
                "Ali has made next month's rota on his own.",
            ),
            "if_then": (
                "Om Ali fastnar svarar jag på frågor men lägger inte schemat själv.",
                "If Ali gets stuck, I answer questions but do not make the rota myself.",
            ),
            "confidence": "8",
            "useful": "9",
            "carry": None,
        },
    ),
    Reflection(
        62,
        19,
        "skalfragan",
        {
            "topic": (
                "Hur tydligt jag leder teamet i förändringen.",
                "How clearly I lead the team through the change.",
            ),
            "score": "6",
            "why_not_lower": (
                "Veckostarten gör att alla hör samma sak samtidigt.",
                "The Monday meeting means everyone hears the same thing at the same time.",
            ),
            "plus_one": (
                "Att teamet kan förklara varför vi slås ihop, med egna ord.",
                "That the team can explain why we merge, in their own words.",
            ),
        },
    ),
    Reflection(
        64,
        22,
        "nulage",
        {
            "occupies": (
                "Min mamma är sjuk och jag åker till Gävle varje helg.",
                "My mother is ill and I travel to Gävle every weekend.",
            ),
            "role": "6",
            "energy": "2",
            "works": (
                "Ali har tagit schemat på allvar, det avlastar.",
                "Ali has taken the rota seriously, which takes weight off.",
            ),
            "want": (
                "Hur jag håller ut fram till sammanslagningen.",
                "How I keep going until the merger.",
            ),
        },
        private=frozenset({"occupies"}),
    ),
    Reflection(
        66,
        17,
        "checkin",
        {
            "status": "partly",
            "hindered": (
                "Jag sa nej till chattprojektet, men gav inget nytt datum och nu kommer frågan "
                "tillbaka.",
                "I said no to the chat project but gave no new date, and now the question is back.",
            ),
            "new_date": "+14",
            "split": "yes",
            "rest": (
                "Ta fram en enkel prioriteringslista för teamet som ledningsgruppen får se.",
                "Draft a simple priority list for the team that the management team gets to see.",
            ),
        },
        about=_SAY_NO,
    ),
    Reflection(
        70,
        20,
        "utvecklingsplan_uppfoljning",
        {
            "progress_1": "6",
            "progress_2": "3",
            "in_the_way": (
                "Nejet tar emot. Jag vill vara den som fixar.",
                "The no is hard. I want to be the one who fixes things.",
            ),
            "helped": (
                "Att Ali tog schemat, och veckostarten.",
                "Ali taking the rota, and the Monday meeting.",
            ),
            "adjust": (
                "Mindre steg i mål två: ett nej i månaden räcker.",
                "Smaller steps for goal two: one no a month is enough.",
            ),
            "next_review": None,
        },
    ),
    Reflection(
        74,
        16,
        "checkin",
        {
            "status": "done",
            "helped": (
                "Vi gjorde första schemat tillsammans och sedan släppte jag det.",
                "We made the first rota together and then I let go of it.",
            ),
        },
        about=_DELEGATE,
    ),
    Reflection(
        76,
        20,
        "grupp_mognad",
        {
            "stage": "stage_3",
            "example": (
                "Teamet löste en krock i semesterschemat själva, utan mig.",
                "The team solved a clash in the holiday rota themselves, without me.",
            ),
            "one_step": (
                "Låta teamet leda varannan veckostart.",
                "Let the team lead every other Monday meeting.",
            ),
            "sign": (
                "Att någon annan än jag öppnar mötet.",
                "That someone other than me opens the meeting.",
            ),
            "commit_due": "+21",
        },
    ),
    Reflection(
        78,
        21,
        "nulage",
        {
            "occupies": (
                "Sammanslagningen börjar om tre veckor och fakturagruppen har många frågor.",
                "The merger starts in three weeks and the invoicing group has many questions.",
            ),
            "role": "7",
            "energy": "3",
            "works": (
                "Teamet tar mer ansvar. Jag har färre ärenden på bordet.",
                "The team takes more responsibility. I have fewer cases on my desk.",
            ),
            "want": (
                "En plan för de första veckorna efter sammanslagningen.",
                "A plan for the first weeks after the merger.",
            ),
        },
    ),
    Reflection(
        81,
        20,
        "infor_motet",
        {
            "since": (
                "Listan är halvfärdig. Teamet ledde veckostarten i måndags och det gick bra.",
                "The list is half done. The team led the Monday meeting and it went well.",
            ),
            "commitment": ["partly", "not_yet"],
            "commitments_note": (
                "Listan väntar på besked om vilka ärendetyper fakturagruppen tar med sig.",
                "The list is waiting for word on which case types the invoicing group brings.",
            ),
            "bring": (
                "Hur jag håller i min egen energi när sammanslagningen drar igång, och hjälp att "
                "välja vad jag ska släppa de första veckorna.",
                "How I keep my own energy up when the merger starts, and help choosing what to "
                "let go of in the first weeks.",
            ),
        },
    ),
)

# The commitment texts a check-in may be about (so the seed can find them by their start).
ABOUT = (_VIKARIE, _ONE_TO_ONE, _SAY_NO, _WEEK_START, _DELEGATE, _SAY_NO_REST)

# What the client writes to the coach when she approves the preview of the coming meeting.
NOTE: Bilingual = (
    "Jag kommer direkt från ett möte med fakturagruppen, så jag kan behöva några minuter att "
    "landa.",
    "I come straight from a meeting with the invoicing group, so I may need a few minutes to land.",
)
