"""Swedish-like Markdown prose for synthetic documentation, fast enough for 200,000 posts.

Sentences are assembled once into a pool (deterministic for a seed); a post then only picks from
the pool, so generating text costs a few microseconds per post instead of per word.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

SUBJECTS = (
    "Svenska", "Matematik", "Engelska", "Bild", "Musik", "Idrott och hälsa", "Biologi", "Fysik",
    "Kemi", "Geografi", "Historia", "Religionskunskap", "Samhällskunskap", "Teknik", "Slöjd",
    "Hem- och konsumentkunskap",
)  # fmt: skip

_ACTORS = ("Klassen", "Eleverna", "Vi", "Gruppen", "{namn}", "Alla barn", "Hela årskursen")
_VERBS = (
    "har arbetat med", "undersökte", "övade på", "diskuterade", "läste om", "skrev om",
    "byggde modeller av", "jämförde", "mätte och räknade på", "ritade", "fördjupade kunskaperna om",
    "redovisade", "återkopplade kring", "funderade över",
)  # fmt: skip
_TOPICS = (
    "bråk och decimaltal", "växternas livscykel", "vikingatiden", "Sveriges älvar och sjöar",
    "läsförståelse", "rimord och ramsor", "multiplikationstabellen", "väderobservationer",
    "källkritik på nätet", "hållbar utveckling", "elektriska kretsar", "ljudets egenskaper",
    "färgernas blandning", "kartans symboler", "människokroppen", "skogens djur", "ätbara svampar",
    "återvinning och kretslopp", "demokratins grunder", "geometriska former", "högläsning",
    "stavning av sje-ljudet", "årstidernas växlingar", "mönster i talföljder",
    "fåglar vid fågelbordet",
)  # fmt: skip
_ADVERBIALS = (
    "under förmiddagen", "tillsammans i små grupper", "med stort engagemang", "på skolgården",
    "i skogen bakom skolan", "med hjälp av surfplattor", "på ett nyfiket sätt", "utan att ge upp",
    "efter lunch", "i biblioteket", "två och två", "i ateljén", "på fredagens samling",
    "med målet att förstå varför", "genom att pröva sig fram", "i lugn och ro",
)  # fmt: skip
_FOLLOW_UPS = (
    "Det märktes att många tyckte att det var roligt och ställde följdfrågor.",
    "Nästa steg är att pröva samma sak på egen hand och berätta för en kamrat.",
    "Vi pratade om varför det är viktigt att lyssna på varandra.",
    "Flera elever kom fram till egna lösningar som de visade för gruppen.",
    "{namn} hjälpte en kamrat och förklarade på ett tydligt sätt.",
    "Vi återkommer till det här efter höstlovet och bygger vidare på det vi lärt oss.",
    "Fråga gärna hemma vad som var svårast och vad som gick lättast.",
    "Det blev en givande diskussion där många vågade säga sin åsikt.",
    "Arbetet knyter an till kursplanens mål om att utveckla förmågan att resonera.",
    "Ta gärna med en bok hemifrån som handlar om ämnet.",
)  # fmt: skip
_LINKS = (
    ("Skolverkets stödmaterial", "https://www.skolverket.se/undervisning/grundskolan"),
    ("UR Play", "https://urplay.se/"),
    ("Naturhistoriska riksmuseet", "https://www.nrm.se/"),
    ("Lärarnas läslistor", "https://www.barnensbibliotek.se/"),
    ("Sveriges meteorologiska institut", "https://www.smhi.se/"),
)
_LIST_ITEMS = (
    "Vi läste en faktatext tillsammans", "Eleverna skrev egna frågor", "Vi gjorde ett experiment",
    "Vi sammanfattade med en tankekarta", "Alla fick pröva att förklara för en kamrat",
    "Vi tittade på en kort film", "Vi gick ut och samlade löv", "Vi spelade ett mattespel",
    "Vi övade på att ge respons", "Vi skrev en gemensam text på tavlan",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProsePool:
    """Pre-assembled sentences; `{namn}` is replaced by a child's given name per post."""

    sentences: tuple[str, ...]
    list_items: tuple[str, ...]
    titles: tuple[str, ...]


def _sentence(rng: random.Random) -> str:
    actor, verb, topic = rng.choice(_ACTORS), rng.choice(_VERBS), rng.choice(_TOPICS)
    roll = rng.random()
    if roll < 0.12:
        topic = f"**{topic}**"
    elif roll < 0.2:
        topic = f"*{topic}*"
    text = f"{actor} {verb} {topic} {rng.choice(_ADVERBIALS)}."
    if rng.random() < 0.35:
        text += " " + rng.choice(_FOLLOW_UPS)
    if rng.random() < 0.06:
        label, url = rng.choice(_LINKS)
        text += f" Läs mer på [{label}]({url})."
    return text


def make_pool(seed: int, *, size: int = 3000) -> ProsePool:
    rng = random.Random(f"{seed}/prose")
    sentences = tuple(_sentence(rng) for _ in range(size))
    titles = tuple(
        f"{rng.choice(_TOPICS).capitalize()} {rng.choice(_ADVERBIALS)}" for _ in range(400)
    )
    return ProsePool(sentences=sentences, list_items=_LIST_ITEMS, titles=titles)


def _table(rng: random.Random) -> str:
    rows = "\n".join(
        f"| {rng.choice(_TOPICS).capitalize()} | {rng.randint(1, 10)} av 10 "
        f"| {rng.choice(_ADVERBIALS)} |"
        for _ in range(rng.randint(2, 4))
    )
    return f"| Moment | Resultat | Hur |\n| --- | --- | --- |\n{rows}"


def post_body(rng: random.Random, pool: ProsePool, *, given_name: str) -> str:
    """A learning-log post of about 1–2 KB: paragraphs, a list, sometimes a table."""
    parts = [" ".join(rng.choices(pool.sentences, k=rng.randint(5, 8)))]
    items = rng.sample(pool.list_items, k=rng.randint(3, 5))
    parts.append("Så här gick det till:\n\n" + "\n".join(f"- {item}" for item in items))
    parts.append(" ".join(rng.choices(pool.sentences, k=rng.randint(4, 7))))
    if rng.random() < 0.12:
        parts.append(_table(rng))
    return "\n\n".join(parts).replace("{namn}", given_name) + "\n"


def paragraphs(rng: random.Random, pool: ProsePool, *, given_name: str, count: int) -> str:
    """Plain paragraphs for IUP, assessments, talks and unit plans."""
    paras = (" ".join(rng.choices(pool.sentences, k=rng.randint(2, 4))) for _ in range(count))
    return "\n\n".join(paras).replace("{namn}", given_name) + "\n"
