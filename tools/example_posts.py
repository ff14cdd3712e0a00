"""The learning-log posts of content/example per stage (used by tools/make_example.py): "fs"
preschool (Lpfö18), "f3", "46", "79" school years (Lgr22), each with variants per child.
"""

from __future__ import annotations

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
