"""A synthetic Dutch ad corpus with exact ground truth, for tests and ``bench/admonitor.py``.

Everything is invented: names, numbers (valid-looking Dutch and foreign mobile numbers that are
drawn at random), texts and photos (random hashes). The corpus mixes what the monitor must tell
apart:

- *operators* behind several personas, with one to three numbers, one or two text templates
  with slots (name, city, age, price), photos per persona, moving through cities week by week,
  often writing in the third person, sometimes "new in town", 24/7 and cheap;
- *independent advertisers*: one persona, one number, their own first-person text, reposted
  with small changes, in one city;
- *widely shared identifiers*: receptionist/booking numbers and stock photos that appear in the
  ads of many unrelated advertisers (they must not weld them together);
- phone numbers written in every way advertisers dodge filters.

``operator_of`` maps every ad to the operator (or independent) that placed it: the truth that
linking is measured against. Pure Python, no Django.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NotRequired, TypedDict

import phonenumbers

__all__ = ["Corpus", "SyntheticRecord", "generate", "written"]

CITIES = [
    "Enschede",
    "Hengelo",
    "Almelo",
    "Oldenzaal",
    "Borne",
    "Zwolle",
    "Deventer",
    "Apeldoorn",
    "Arnhem",
    "Nijmegen",
    "Utrecht",
    "Amsterdam",
    "Rotterdam",
    "Den Haag",
    "Eindhoven",
    "Groningen",
    "Tilburg",
    "Breda",
    "Amersfoort",
    "Leeuwarden",
]
NAMES = [
    "Lisa",
    "Nina",
    "Sophie",
    "Emma",
    "Julia",
    "Mila",
    "Sara",
    "Eva",
    "Noa",
    "Lotte",
    "Anna",
    "Fleur",
    "Roos",
    "Iris",
    "Vera",
    "Lena",
    "Maya",
    "Zoë",
    "Bella",
    "Chantal",
    "Kim",
    "Naomi",
    "Jasmijn",
    "Sanne",
    "Demi",
    "Tessa",
    "Amber",
    "Linda",
    "Monica",
    "Vanessa",
    "Diana",
    "Elena",
    "Adriana",
    "Bianca",
    "Carmen",
    "Daria",
    "Ewa",
    "Gabi",
    "Ilona",
    "Jana",
    "Kasia",
    "Larisa",
]
_DIGIT_WORDS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
_KEYCAP = "\ufe0f\u20e3"

#: Sentence patterns: [a|b|c] picks one option, {name}/{city}/{age}/{price} are the ad's slots.
#: Each operator draws its own sentences once (its template); each independent writes their own.
OPERATOR_PATTERNS = [
    "[Nieuw|Net nieuw|Pas|Eerste keer] in {city}[!|, kom snel kennismaken.|, alleen deze week!]",
    "{name} ({age}) is een [lieve|sexy|jonge|mooie] [meid|dame] die [je graag verwent|alles voor je doet|van avontuur houdt]",
    "[Ze|Zij] [is discreet en ontvangt|ontvangt je|wacht op je] in een [schone|rustige|luxe] [privé kamer|appartement|flat] [in het centrum|vlakbij het station|met eigen ingang]",
    "[Bel|Whatsapp|Sms] [snel|nu|vandaag] voor een afspraak, [ze is maar kort in {city}|ze wacht op je|de receptie helpt je]",
    "[Prijs vanaf|Speciale prijs|Deze week maar|Actie] {price} euro [per uur|per half uur|all-in]",
    "[Dag en nacht bereikbaar|Altijd beschikbaar|24/7 open|Ook 's nachts beschikbaar][, ook in het weekend|, ook op zondag|]",
    "[Hot new girl|Sweet new girl|New lady] {name}, {age} years, [only this week|just arrived|for a short time] in {city}!",
    "She is [sweet|open minded|very friendly|young and slim] and [available 24/7|waiting for your call|ready for you]",
    "[Incall and outcall|Only incall|Hotel visits possible], {price} per [hour|30 minutes]",
    "{name} [spreekt een beetje Engels|spreekt geen Nederlands|spreekt Engels en Duits]",
    "[Nieuwe foto's|Echte foto's|Foto's zijn echt], [geen nep|100% echt|recent gemaakt]",
    "[Ook escort|Escort mogelijk|Komt ook langs] naar [hotel of thuis|je hotel|heel Twente]",
    "[Her name is|Meet|Call] {name}, [a real girlfriend experience|the best time in {city}|your new favourite]",
    "[Alles is bespreekbaar|Veel mogelijk|Vraag naar de mogelijkheden], [bel voor info|stuur een bericht|bel de receptie]",
]
INDEPENDENT_PATTERNS = [
    "[Hoi|Hallo|Welkom], [ik ben|mijn naam is|ik heet] {name} en ik [werk zelfstandig|werk voor mezelf|ben zelfstandig ondernemer] [vanuit mijn eigen appartement|in mijn eigen huis|op een rustige plek in {city}]",
    "Ik neem [graag|altijd|echt] de tijd voor [een goed gesprek|een kop koffie|een drankje] [vooraf|eerst|om kennis te maken]",
    "Mijn werkdagen zijn [dinsdag|maandag|woensdag] tot en met [zaterdag|vrijdag|donderdag], van [twaalf|tien|elf] tot [acht|zes|negen]",
    "Ik werk [alleen|uitsluitend|liefst] op afspraak en [met respect voor elkaars grenzen|met duidelijke afspraken|in alle rust]",
    "[Veiligheid|Hygiëne|Respect] en [hygiëne|discretie|eerlijkheid] staan bij mij [voorop|centraal|altijd op één]",
    "Je vindt me [op loopafstand van het station|vlak bij het centrum|aan de rand] van {city}",
    "Ik ben een [vrouw|dame] van in de [dertig|veertig|twintig] met [humor|rondingen|een warm hart] en [rondingen|ervaring|geduld]",
    "[Bel gerust|Sms gerust|Stuur gerust een bericht] voor [informatie|een afspraak|meer info], ik [neem zelf op|antwoord zelf|reageer snel]",
    "[Massage|Ontspanning|Tantra] is mijn [specialiteit|passie|vak], [daarna zien we verder|de rest bespreken we|alles in overleg]",
    "Ik heb een eigen [website|pagina|profiel] met [al mijn voorwaarden|mijn prijzen|mijn regels]",
    "[Geen haast|Geen stress|Rustig aan], [gewoon genieten|alles op jouw tempo|samen ontspannen]",
    "[Hello|Hi], I am {name}, an [independent|experienced|friendly] lady [living in {city}|working from home|near the station]",
    "[Parkeren kan gratis voor de deur|Gratis parkeren in de straat|Met de bus ben je er snel]",
    "Op [zondag|maandag|woensdag] [ben ik vrij|werk ik niet|ben ik gesloten]",
    "Ik [hou van|geniet van|waardeer] [lange avonden|goede muziek|een goed glas wijn] en [goede muziek|humor|eerlijke mensen]",
    "Je bent welkom vanaf [achtentwintig|vijfentwintig|dertig] jaar, [liever geen anonieme nummers|geen haast|netjes en verzorgd]",
]


class SyntheticRecord(TypedDict):
    """One generated ad, as a JSON object with the fields ``records.ad_from_mapping`` reads."""

    id: str
    site: str
    title: str
    text: str
    city: str
    name: str
    posted_at: str
    image_hashes: list[str]
    price: int
    age: int
    phone: NotRequired[str]


@dataclass
class Corpus:
    records: list[SyntheticRecord]
    operator_of: dict[str, str]
    phones_of: dict[str, list[str]]
    shared_numbers: set[str] = field(default_factory=set)
    stock_images: set[str] = field(default_factory=set)
    kind_of: dict[str, str] = field(default_factory=dict)
    personas_of: dict[str, set[str]] = field(default_factory=dict)


def _mobile(rng: random.Random) -> str:
    """A random valid mobile number: mostly Dutch, some Romanian, Polish, Bulgarian, Hungarian
    (valid by libphonenumber's metadata, drawn at random: no real person's number is meant)."""
    while True:
        number = _draw_mobile(rng)
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def _draw_mobile(rng: random.Random) -> str:
    country = rng.choices(["NL", "RO", "PL", "BG", "HU"], weights=[70, 10, 10, 5, 5])[0]
    if country == "NL":
        return "+316" + rng.choice("123458") + f"{rng.randrange(1_000_000, 10_000_000)}"
    if country == "RO":
        return "+407" + rng.choice("2345") + f"{rng.randrange(1_000_000, 10_000_000)}"
    if country == "PL":
        return "+48" + rng.choice("5678") + f"{rng.randrange(10_000_000, 100_000_000)}"
    if country == "BG":
        return "+3598" + rng.choice("789") + f"{rng.randrange(1_000_000, 10_000_000)}"
    return "+3620" + f"{rng.randrange(1_000_000, 10_000_000)}"


def written(number: str, rng: random.Random) -> str:
    """One of the ways advertisers write a number (the E.164 form is the truth)."""
    if number.startswith("+31"):
        national = "0" + number[3:]
        style = rng.randrange(10)
        if style == 0:
            return national[:2] + "-" + national[2:]
        if style == 1:
            return " ".join([national[:2]] + [national[i : i + 2] for i in range(2, 10, 2)])
        if style == 2:
            return national.replace("0", "o", 1).replace("1", "l")
        if style == 3:
            sep = rng.choice(["🔥", "💋", "*", "|", "~", "•"])
            return sep.join([national[:2]] + [national[i : i + 2] for i in range(2, 10, 2)])
        if style == 4:
            return "".join(d + _KEYCAP for d in national)
        if style == 5:
            return " ".join(_DIGIT_WORDS[int(d)] for d in national)
        if style == 6:
            return "+31 6 " + number[4:8] + " " + number[8:]
        if style == 7:
            return "0031" + number[3:]
        if style == 8:
            return (
                national[:2]
                + "."
                + national[2:4]
                + "."
                + national[4:6]
                + "."
                + national[6:8]
                + "."
                + national[8:]
            )
        return national
    style = rng.randrange(3)
    if style == 0:
        return number
    if style == 1:
        return "00" + number[1:]
    body = number[1:]
    return "+" + " ".join(body[i : i + 3] for i in range(0, len(body), 3))


def _expand(pattern: str, rng: random.Random) -> str:
    """One sentence from a pattern: every [a|b|c] replaced by one of its options."""
    parts = re.split(r"\[([^\]]*)\]", pattern)
    chosen = [part if i % 2 == 0 else rng.choice(part.split("|")) for i, part in enumerate(parts)]
    return "".join(chosen).strip() + "."


def _hash(rng: random.Random) -> str:
    return f"{rng.getrandbits(64):016x}"


def generate(
    n_ads: int = 2000,
    *,
    seed: int = 7,
    start: datetime | None = None,
    cities: list[str] | None = None,
) -> Corpus:
    """``n_ads`` ads from ``start`` on (about three months), in ``cities`` (default: twenty
    Dutch cities)."""
    rng = random.Random(seed)  # nosec B311 # seeded invented data, repeatable; no secret
    cities = cities or CITIES
    start = start or datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
    records: list[SyntheticRecord] = []
    operator_of: dict[str, str] = {}
    phones_of: dict[str, list[str]] = {}
    corpus = Corpus(records, operator_of, phones_of)
    shared_numbers = [_mobile(rng) for _ in range(max(2, n_ads // 1500))]
    stock_images = [_hash(rng) for _ in range(max(3, n_ads // 1000))]
    corpus.shared_numbers = set(shared_numbers)
    corpus.stock_images = set(stock_images)
    counter = 0

    def emit(
        owner: str,
        *,
        name: str,
        city: str,
        text: str,
        phones: list[str],
        images: list[str],
        when: datetime,
        price: int,
        age: int,
        field_phone: bool,
    ) -> None:
        nonlocal counter
        counter += 1
        ad_id = f"ad{counter:07d}"
        shown = [written(p, rng) for p in phones]
        body = text + " " + " of ".join(f"Bel {s}" for s in shown)
        record: SyntheticRecord = {
            "id": ad_id,
            "site": rng.choice(["kinky.example", "sexjobs.example", "redlights.example"]),
            "title": f"{name} in {city}",
            "text": body,
            "city": city,
            "name": name,
            "posted_at": when.isoformat(),
            "image_hashes": images,
            "price": price,
            "age": age,
        }
        if field_phone:
            record["phone"] = written(phones[0], rng)
        records.append(record)
        key = f"{record['site']}:{ad_id}"
        operator_of[key] = owner
        phones_of[key] = list(dict.fromkeys(phones))

    while len(records) < n_ads:
        if rng.random() < 0.35:
            owner = f"op{len(corpus.kind_of) + 1}"
            corpus.kind_of[owner] = "operator"
            numbers = [_mobile(rng) for _ in range(rng.choice([1, 1, 2, 3]))]
            #: Some operators take a fresh number in every city: only photos and text link.
            burner = rng.random() < 0.25
            personas = rng.sample(NAMES, rng.randint(2, 8))
            corpus.personas_of[owner] = set(personas)
            templates = [
                " ".join(_expand(p, rng) for p in rng.sample(OPERATOR_PATTERNS, 6))
                for _ in range(rng.choice([1, 1, 2]))
            ]
            photos = {p: [_hash(rng) for _ in range(rng.randint(1, 3))] for p in personas}
            price = rng.choice([50, 60, 70, 80, 100, 120])
            itinerary = rng.sample(cities, min(len(cities), rng.randint(2, 6)))
            day = start + timedelta(days=rng.randrange(60))
            for week, city in enumerate(itinerary):
                if burner and week:
                    numbers = [_mobile(rng)]
                for persona in personas:
                    if rng.random() < 0.6:
                        age = rng.choice([18, 19, 19, 20, 21, 22, 23, 24, 25, 27])
                        when = day + timedelta(days=7 * week, hours=rng.randrange(72))
                        images = list(photos[persona])
                        if rng.random() < 0.1:
                            images.append(rng.choice(stock_images))
                        phones = [rng.choice(numbers)]
                        if rng.random() < 0.15:
                            phones.append(rng.choice(shared_numbers))
                        text = rng.choice(templates).format(
                            name=persona, city=city, age=age, price=price
                        )
                        emit(
                            owner,
                            name=persona,
                            city=city,
                            text=text,
                            phones=phones,
                            images=images,
                            when=when,
                            price=price,
                            age=age,
                            field_phone=rng.random() < 0.5,
                        )
        else:
            owner = f"ind{len(corpus.kind_of) + 1}"
            corpus.kind_of[owner] = "independent"
            name = rng.choice(NAMES)
            corpus.personas_of[owner] = {name}
            city = rng.choice(cities)
            number = _mobile(rng)
            sentences = [_expand(p, rng) for p in rng.sample(INDEPENDENT_PATTERNS, 7)]
            images = [_hash(rng) for _ in range(rng.randint(1, 3))]
            price = rng.choice([130, 150, 160, 180, 200, 250])
            age = rng.randint(24, 45)
            day = start + timedelta(days=rng.randrange(80))
            for repost in range(rng.choice([1, 1, 2, 3, 4])):
                chosen = sentences[:]
                if repost and rng.random() < 0.5:
                    chosen[rng.randrange(len(chosen))] = _expand(
                        rng.choice(INDEPENDENT_PATTERNS), rng
                    )
                text = " ".join(s.format(name=name, city=city) for s in chosen)
                phones = [number]
                if rng.random() < 0.1:
                    phones.append(rng.choice(shared_numbers))
                ad_images = list(images)
                if rng.random() < 0.1:
                    ad_images.append(rng.choice(stock_images))
                emit(
                    owner,
                    name=name,
                    city=city,
                    text=text,
                    phones=phones,
                    images=ad_images,
                    when=day + timedelta(days=10 * repost),
                    price=price,
                    age=age,
                    field_phone=rng.random() < 0.5,
                )
    del records[n_ads:]
    keep = {f"{r['site']}:{r['id']}" for r in records}
    for mapping in (operator_of, phones_of):
        for key in [k for k in mapping if k not in keep]:
            del mapping[key]
    return corpus
