"""The words of content/example besides the posts (example_posts.py), used by make_example.py:
assessments, IUPs, talks and unit plans per stage, so that a Swedish teacher finds them credible.

Stages: "fs" preschool (Lpfö18), "f3" years 1–3, "46" years 4–6, "79" years 7–9 (Lgr22). A text
has variants; each child takes one by its index, so children in a group read differently.
"""

from __future__ import annotations

from typing import Any

from example_posts import POSTS as POSTS  # re-exported
from example_posts import stage as stage

SUBJECTS = {
    "f3": ["Svenska", "Matematik", "Engelska", "NO", "Idrott och hälsa"],
    "46": ["Svenska", "Matematik", "Engelska", "NO", "Idrott och hälsa"],
    "79": ["Svenska", "Matematik", "Engelska", "Biologi", "Idrott och hälsa"],
}
# Per subject: what a pupil shows at a low, middle and high level, and the next step at each.
SUBJECT_TEXT: dict[str, tuple[tuple[str, str], tuple[str, str], tuple[str, str]]] = {
    "Svenska": (
        ("läser korta texter och berättar om dem med stöd", "läsa högt hemma varje dag"),
        ("läser med flyt och sammanfattar det viktigaste", "använda fler sambandsord"),
        ("drar egna slutsatser och skriver väl strukturerade texter", "skriva för nya mottagare"),
    ),
    "Matematik": (
        ("löser uppgifter med stöd av konkret material", "träna på de fyra räknesätten"),
        (
            "väljer fungerande metoder och visar sina uträkningar",
            "förklara varför metoden fungerar",
        ),
        ("löser problem på flera sätt och resonerar om svaren", "ta sig an mer öppna problem"),
    ),
    "Engelska": (
        ("förstår enkla ord och fraser i tydligt tal", "lyssna på engelska varje vecka"),
        ("förstår det huvudsakliga innehållet och deltar i samtal", "våga tala mer i helklass"),
        ("uttrycker sig varierat och förstår detaljer", "läsa längre texter på engelska"),
    ),
    "NO": (
        ("beskriver enkla samband med stöd", "använda ämnesord i sina förklaringar"),
        ("genomför undersökningar och beskriver resultatet", "jämföra resultatet med sin hypotes"),
        (
            "planerar undersökningar och förklarar samband",
            "värdera felkällor i sina undersökningar",
        ),
    ),
    "Biologi": (
        ("beskriver några arter och deras miljö med stöd", "repetera begreppen i ekologi"),
        ("förklarar näringskedjor och samband i ekosystem", "använda fler exempel i resonemangen"),
        ("för utvecklade resonemang om biologisk mångfald", "koppla resonemangen till samhället"),
    ),
    "Idrott och hälsa": (
        ("deltar i de flesta aktiviteter", "prova fler rörelser och lekar"),
        ("rör sig varierat och följer regler och instruktioner", "planera ett eget träningspass"),
        ("anpassar rörelser och ger andra konstruktiv återkoppling", "leda en uppvärmning"),
    ),
}
LEVEL_PHRASE = {
    "1": "arbetar mot godtagbara kunskaper",
    "2": "har godtagbara kunskaper",
    "3": "har goda kunskaper",
    "4": "har mycket goda kunskaper",
    "F": "har ännu inte nått godtagbara kunskaper",
    "E": "har godtagbara kunskaper",
    "D": "har godtagbara och till viss del goda kunskaper",
    "C": "har goda kunskaper",
    "B": "har goda och till övervägande del mycket goda kunskaper",
    "A": "har mycket goda kunskaper",
}
TIER = {"1": 0, "2": 1, "3": 1, "4": 2, "F": 0, "E": 1, "D": 1, "C": 1, "B": 2, "A": 2}


def assessment_text(*, given: str, subject: str, level: str) -> str:
    """The comment agrees with the level: its phrase, then what the pupil shows, next step."""
    shows, next_step = SUBJECT_TEXT[subject][TIER[level]]
    return (
        f"{given} {LEVEL_PHRASE[level]} i {subject.lower()}. {given} {shows}.\n\n"
        f"**Nästa steg:** {next_step}."
    )


# "Mina mål" in the child's own voice; agreements per party.
IUP: dict[str, list[dict[str, Any]]] = {
    "f3": [
        {
            "goals": [
                "Jag vill läsa kapitelböcker själv",
                "Jag ska visa hur jag tänker när jag räknar",
            ],
            "school": ["Ger lästips varje vecka"],
            "student": ["Jag läser 15 minuter varje dag"],
            "home": ["Frågar om boken vid middagen"],
            "body": "Under hösten övar {name} på **läsförståelse** och på att berätta hur "
            "hen räknar.",
        },
        {
            "goals": [
                "Jag vill skriva berättelser med början, mitten och slut",
                "Jag ska kunna tiokamraterna",
            ],
            "school": ["Ger en skrivmall med bilder"],
            "student": ["Jag skriver i min skrivbok två gånger i veckan"],
            "home": ["Spelar tiokamratsspelet en gång i veckan"],
            "body": "{name} har lätt för att hitta på idéer. Nu bygger vi **struktur** i texterna.",
        },
    ],
    "46": [
        {
            "goals": [
                "Jag vill bli bättre på att sammanfatta det jag läser",
                "Jag ska redovisa utan manus",
            ],
            "school": ["Ger stödfrågor till varje text"],
            "student": ["Jag skriver tre stödord i stället för ett manus"],
            "home": ["Lyssnar när jag övar på redovisningen"],
            "body": "{name} läser mycket. Fokus framåt är att **sammanfatta** och tala inför "
            "grupp.",
        },
        {
            "goals": ["Jag vill räkna med bråk utan att gissa", "Jag ska lämna in läxorna i tid"],
            "school": ["Går igenom bråk med bilder och tallinje"],
            "student": ["Jag skriver upp läxorna i kalendern"],
            "home": ["Frågar på söndagar vilka läxor som finns"],
            "body": "Under hösten arbetar {name} med **bråk** och med att planera sitt skolarbete.",
        },
    ],
    "79": [
        {
            "goals": [
                "Jag vill skriva argumenterande texter med tydliga skäl",
                "Jag ska planera prov och läxor i kalendern",
            ],
            "school": ["Ger respons på första utkastet"],
            "student": ["Jag börjar med inlämningar en vecka innan"],
            "home": ["Hjälper mig hitta lugn arbetstid på kvällen"],
            "body": "{name} har goda kunskaper i flera ämnen. Målet är **jämnare resultat**.",
        },
        {
            "goals": [
                "Jag vill visa fler lösningsmetoder i matematik",
                "Jag ska våga prata mer engelska på lektionerna",
            ],
            "school": ["Erbjuder matematikstudio på tisdagar"],
            "student": ["Jag går till matematikstudion varannan vecka"],
            "home": ["Tittar på en engelsk serie tillsammans"],
            "body": "{name} vill höja sig i **matematik** och bli tryggare i muntlig engelska.",
        },
    ],
}

TALK_BODIES = {
    "fs": [
        "Vi pratar om hur inskolningen till den äldre gruppen har gått och vad {name} tycker om "
        "att leka just nu.",
        "{name} har många kompisar på Humlan. Vi pratar om hur vi kan stötta {name} i att säga "
        "ifrån med ord.",
    ],
    "school": [
        "Vi pratar om hur hösten har varit för {name}, vad som gått bra och vad vi gör framåt.",
        "{name} har arbetat målmedvetet i höst. Vi går igenom omdömena och sätter nya mål.",
        "Vi pratar om trivseln i klassen och om hur {name} kan få mer arbetsro.",
    ],
}
PREVIOUS = {
    "fs": ["{name} övar på att vänta på sin tur.", "{name} klär på sig själv inför utevistelsen."],
    "school": [
        "{name} läser hemma 15 minuter om dagen.",
        "{name} räcker upp handen och väntar på sin tur.",
        "{name} packar väskan kvällen innan.",
    ],
}

# Unit plans: goals that match the subject; preschool plans follow Lpfö18 and assess no child.
GROUP_PLANS: dict[str, dict[str, Any]] = {
    "g-humlan": {
        "title": "Vatten överallt",
        "subject": "Naturvetenskap",
        "goals": [
            "Lpfö18: utforska vatten – vad flyter och vad sjunker?",
            "Lpfö18: ställa frågor och samtala om det vi ser",
        ],
        "body": "Avdelning Humlan utforskar vatten under hösten.\n\n- Vecka 36–38: flyta och "
        "sjunka\n- Vecka 39–42: is och snö\n- Vecka 43: vi visar våra experiment för familjerna",
    },
    "g-2a": {
        "title": "Vatten i naturen",
        "subject": "NO",
        "goals": ["Beskriva vattnets kretslopp med egna ord", "Genomföra en enkel undersökning"],
        "matrix_levels": ["På väg", "Godtagbart", "Mer än godtagbart"],
        "matrix": [
            {"criterion": "Beskriva kretsloppet", "levels": ["Med stöd", "Enkelt", "Utvecklat"]},
            {
                "criterion": "Undersöka",
                "levels": ["Med hjälp", "Följer planeringen", "Planerar själv"],
            },
        ],
        "body": "Klass 2A arbetar med vattnets kretslopp.\n\n- Vecka 36–38: avdunstning och "
        "kondensation\n- Vecka 39–42: undersökningar\n- Vecka 43: redovisning",
    },
    "g-5b": {
        "title": "Bråk och decimaltal",
        "subject": "Matematik",
        "goals": [
            "Jämföra och storleksordna tal i bråk- och decimalform",
            "Använda bråk och decimaltal i vardagliga problem",
        ],
        "matrix_levels": ["Godtagbara kunskaper", "Goda kunskaper", "Mycket goda kunskaper"],
        "matrix": [
            {
                "criterion": "Begreppsförståelse",
                "levels": [
                    "Beskriver enkelt",
                    "Beskriver utförligt",
                    "Beskriver och generaliserar",
                ],
            },
            {
                "criterion": "Problemlösning",
                "levels": ["Fungerande metod", "Ändamålsenlig metod", "Effektiv metod"],
            },
            {
                "criterion": "Resonemangsförmåga",
                "levels": ["Enkla resonemang", "Utvecklade resonemang", "Välutvecklade resonemang"],
            },
        ],
        "body": "Klass 5B arbetar med bråk och decimaltal.\n\n- Vecka 36–38: bråk på "
        "tallinjen\n- Vecka 39–42: decimaltal och procent\n- Vecka 43: prov",
    },
    "g-8c": {
        "title": "Demokrati och makt",
        "subject": "Samhällskunskap",
        "goals": [
            "Förklara hur riksdag, regering och kommun fattar beslut",
            "Resonera om hur medborgare kan påverka beslut",
        ],
        "matrix_levels": ["E", "C", "A"],
        "matrix": [
            {
                "criterion": "Förklara samband",
                "levels": ["Enkla samband", "Förhållandevis komplexa samband", "Komplexa samband"],
            },
            {
                "criterion": "Källhantering",
                "levels": [
                    "Godtagbara omdömen",
                    "Välgrundade omdömen",
                    "Välgrundade och nyanserade",
                ],
            },
        ],
        "body": "Klass 8C arbetar med demokrati och makt.\n\n- Vecka 36–38: riksdag och "
        "regering\n- Vecka 39–42: kommunen och påverkan\n- Vecka 43: debatt",
    },
}
