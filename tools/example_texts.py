"""The words of content/example (used by tools/make_example.py): posts, assessments, IUPs,
talks and unit plans per stage, so that a Swedish teacher finds them credible.

Stages: "fs" preschool (Lpfö18), "f3" years 1–3, "46" years 4–6, "79" years 7–9 (Lgr22). A text
has variants; each child takes one by its index, so children in a group read differently.
"""

from __future__ import annotations

from typing import Any

Post = tuple[str, str, list[str], list[str], list[str]]  # date, title, subjects, goals, variants


def stage(year: int | None) -> str:
    if year is None:
        return "fs"
    return "f3" if year <= 3 else "46" if year <= 6 else "79"


# Post 1 carries the photo utflykt.jpg (leaves and cones), post 3 a PDF reading log (school),
# post 4 shows monster.png inline; make_example.py adds those attachments by position.
POSTS: dict[str, list[Post]] = {
    "fs": [
        (
            "2026-09-04",
            "Höstpromenad till Ekbacken",
            ["Natur"],
            ["Lpfö18: utforska naturen och samband i naturen"],
            [
                "Idag gick vi till **Ekbacken** och samlade löv och kottar på en filt. {name} "
                "sorterade fynden efter färg och storlek och räknade kottarna högt.\n\n"
                "- Vi pratade om varför löven byter färg\n- Vi luktade på mossa och bark",
                "Idag gick vi till **Ekbacken** och letade efter höstens tecken. {name} hittade "
                "tre olika sorters löv och ville veta vilket träd de kom ifrån.\n\n"
                "- Vi samlade löv och kottar\n- Vi räknade ekollon i en hög\n"
                "- Vi pratade om varför löven byter färg",
                "Vi byggde ett kojbo av pinnar i **Ekbacken**. {name} bar de längsta pinnarna och "
                "visade de yngre barnen hur man lutar dem mot varandra.\n\n"
                "Läs mer om [allemansrätten](https://www.naturvardsverket.se/allemansratten).",
                "På promenaden till **Ekbacken** lyssnade vi efter fåglar. {name} härmade en "
                "kråka och fick hela gruppen att skratta. Sedan letade vi småkryp under en "
                "stock.\n\n"
                "- Vi hittade en gråsugga och en daggmask\n"
                "- Vi pratade om var djuren bor på vintern",
            ],
        ),
        (
            "2026-09-25",
            "Vi bygger torn",
            ["Teknik"],
            ["Lpfö18: bygga och konstruera med olika material och tekniker"],
            [
                "Vi byggde torn av mjölkkartonger. {name} upptäckte att tornet stod stadigare när "
                "de största kartongerna låg längst ner.",
                "I bygghörnan byggde {name} en bro mellan två stolar av klossar och tejp, och "
                "testade den med en leksaksbil.",
                "{name} byggde ett högt torn av kaplastavar tillsammans med två kompisar. "
                "De turades om att lägga stavarna och räknade varje våning högt.",
            ],
        ),
        (
            "2026-10-16",
            "Sagostund i kojan",
            ["Språk"],
            ["Lpfö18: språk och kommunikation – berätta, lyssna och samtala"],
            [
                "Varje fredag har vi sagostund i kojan. {name} valde boken *Pettson och Findus* "
                "och berättade om bilderna för de andra barnen.\n\n"
                "- Vi pratade om vad som hände först och sist\n"
                "- Vi hittade på ett nytt slut tillsammans\n\n"
                "Tips: biblioteket har [sagor på många språk](https://www.exempelby.se/bibliotek).",
                "I sagostunden lyssnade {name} på *Bockarna Bruse* och ville spela trollet när vi "
                "dramatiserade sagan efteråt.",
                "{name} berättade en egen saga med flanobilder: om en katt som tappade bort sin "
                "vante. De andra barnen fick gissa hur det slutade.",
            ],
        ),
        (
            "2026-11-06",
            "Former och mönster",
            ["Matematik"],
            ["Lpfö18: matematik – former, mönster och antal"],
            [
                "Vi letade efter former på gården och lade egna mönster med pärlor. {name} "
                "upptäckte att ett mönster kan *upprepas*.\n\n"
                "![Ett mönster av cirklar och trianglar](monster.png)",
                "Vi stämplade mönster med potatis och färg. {name} gjorde ett mönster med två "
                "trianglar och en cirkel, om och om igen.\n\n"
                "![Ett mönster av cirklar och trianglar](monster.png)",
            ],
        ),
    ],
    "f3": [
        (
            "2026-09-04",
            "Året runt i naturen: hösten",
            ["NO"],
            ["Lgr22 Biologi 1–3: året runt i naturen"],
            [
                "Vi gick till **Ekbacken** och samlade löv från olika träd. {name} artbestämde "
                "björk, ek och lönn med hjälp av vår bildnyckel.\n\n"
                "- Vi pressade löven\n- Vi jämförde formen på bladkanten",
                "I **Ekbacken** undersökte vi vad som händer med naturen på hösten. {name} ritade "
                "av en svamp och skrev tre ord om den.",
                "{name} var först att hitta en kotte som en ekorre ätit på. Vi pratade om hur "
                "djuren förbereder sig för vintern.",
            ],
        ),
        (
            "2026-09-25",
            "Vi bygger broar",
            ["Teknik", "Matematik"],
            ["Lgr22 Teknik 1–3: konstruktioner"],
            [
                "Veckans uppdrag var att bygga en bro av glasspinnar och tejp. {name} provade "
                "*tre* modeller innan bron höll för en hel burk med kulor.\n\n"
                "| Modell | Höll för |\n|---|---|\n| Platt | 2 kulor |\n| Båge | 9 kulor |\n"
                "| Fackverk | 25 kulor |\n\nNästa vecka ritar vi våra broar.",
                "{name} byggde en bro av papper och testade hur många mynt den klarade. När "
                "pappret veckades som ett dragspel höll bron för nästan dubbelt så många.\n\n"
                "| Bro | Antal mynt |\n|---|---|\n| Platt papper | 4 |\n| Veckat papper | 11 |",
            ],
        ),
        (
            "2026-10-16",
            "Läsveckan",
            ["Svenska"],
            ["Lgr22 Svenska 1–3: läsa och skriva"],
            [
                "Under läsveckan läste {name} en hel kapitelbok och berättade om den för en "
                "kompis. Vi övade på att **sammanfatta** med egna ord.\n\n"
                "1. Läs ett kapitel\n2. Skriv tre meningar om vad som hände\n"
                "3. Gissa vad som händer sedan",
                "{name} läste faktaboken *Vilda djur i Sverige* och gjorde en egen faktaruta om "
                "igelkotten.",
            ],
        ),
        (
            "2026-11-06",
            "Mönster och former",
            ["Matematik", "Bild"],
            ["Lgr22 Matematik 1–3: geometri"],
            [
                "Vi undersökte mönster i naturen och gjorde egna mönster med former. {name} "
                "upptäckte att ett mönster kan *upprepas*, *speglas* och *vridas*.\n\n"
                "![Ett mönster av cirklar och trianglar](monster.png)",
            ],
        ),
    ],
    "46": [
        (
            "2026-09-04",
            "Fältdag i Ekbacken",
            ["Biologi"],
            ["Lgr22 Biologi 4–6: ekosystem i närmiljön"],
            [
                "På fältdagen i **Ekbacken** ritade vi en näringskedja. {name} förklarade hur "
                "ekorren, ekollonen och duvhöken hänger ihop.",
                "{name} mätte hur många arter som fanns inom en kvadratmeter och jämförde skogen "
                "med gräsmattan vid skolan.\n\n| Plats | Antal arter |\n|---|---|\n"
                "| Skogen | 14 |\n| Gräsmattan | 5 |",
            ],
        ),
        (
            "2026-09-25",
            "Hållfasta konstruktioner",
            ["Teknik"],
            ["Lgr22 Teknik 4–6: hållfasta och stabila konstruktioner"],
            [
                "{name} byggde ett torn av sugrör och testade det med vikter. Trianglar i "
                "konstruktionen gjorde tornet betydligt stabilare.",
                "Vi undersökte balkar och fackverk. {name} dokumenterade testerna i en tabell "
                "och drog slutsatsen att formen betyder mer än materialet.",
            ],
        ),
        (
            "2026-10-16",
            "Bokcirkel",
            ["Svenska"],
            ["Lgr22 Svenska 4–6: läsa och samtala om skönlitteratur"],
            [
                "I bokcirkeln läste vi *Ronja rövardotter*. {name} ledde samtalet om varför "
                "Ronja och Birk bryter med sina familjer.",
                "{name} skrev en läslogg till varje kapitel och ställde egna frågor till texten.",
            ],
        ),
        (
            "2026-11-06",
            "Symmetri",
            ["Matematik"],
            ["Lgr22 Matematik 4–6: symmetri och geometriska mönster"],
            [
                "Vi undersökte spegelsymmetri och rotation. {name} konstruerade ett mönster med "
                "både spegling och vridning.\n\n"
                "![Ett mönster av cirklar och trianglar](monster.png)",
            ],
        ),
    ],
    "79": [
        (
            "2026-09-04",
            "Exkursion: artkunskap",
            ["Biologi"],
            ["Lgr22 Biologi 7–9: ekosystem och biologisk mångfald"],
            [
                "På exkursionen till **Ekbacken** artbestämde vi träd och lavar. {name} "
                "använde en digital artnyckel och diskuterade lavar som indikator på luftkvalitet.",
                "{name} inventerade död ved och förklarade varför den är viktig för den "
                "biologiska mångfalden.",
            ],
        ),
        (
            "2026-09-25",
            "Konstruktion och hållfasthet",
            ["Teknik"],
            ["Lgr22 Teknik 7–9: konstruktioners hållfasthet"],
            [
                "Vi modellerade en gångbro i CAD och testade en modell i balsaträ. {name} "
                "jämförde tre fackverkstyper.\n\n| Fackverk | Belastning |\n|---|---|\n"
                "| Warren | 3,1 kg |\n| Pratt | 4,4 kg |\n| Howe | 3,8 kg |",
                "{name} räknade på hur mycket last en balk tål beroende på profil och visade att "
                "I-balken var effektivast per gram material.",
            ],
        ),
        (
            "2026-10-16",
            "Novellanalys",
            ["Svenska"],
            ["Lgr22 Svenska 7–9: analysera skönlitteratur"],
            [
                "Vi läste Hjalmar Söderbergs novell *Pälsen*. {name} analyserade "
                "berättarperspektivet och hur miljön speglar huvudpersonens känslor.",
                "{name} skrev en analys av en valfri novell och underbyggde sina tolkningar "
                "med citat.",
            ],
        ),
        (
            "2026-11-06",
            "Geometriska avbildningar",
            ["Matematik"],
            ["Lgr22 Matematik 7–9: likformighet och avbildningar"],
            [
                "Vi arbetade med spegling, rotation och förskjutning i koordinatsystem. {name} "
                "beskrev mönstret nedan med avbildningar.\n\n"
                "![Ett mönster av cirklar och trianglar](monster.png)",
            ],
        ),
    ],
}

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
