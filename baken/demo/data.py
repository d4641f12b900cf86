"""The demo region Twente: municipalities, a regional chain of organisations, one user per role.

Organisations and services are written here as Open Referral HSDS 3.0 records and loaded
through ``baken.directory.hsds.import_directory`` — the same path as a real import — with
stable ids (uuid5 of their names), so loading twice changes nothing.

Municipality codes are CBS's. Populations on 1 January 2018 are CBS StatLine figures as
recorded by the team; the kenniscentrum's own total for Twente is 627,848 (seed 002), see
docs/directory.md for the check. Every phone number, e-mail address and person is invented,
except public national numbers (112, 0900-8844, 0800-2000) that anyone in the Netherlands knows.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TypedDict

from django.utils import timezone

NAMESPACE = uuid.UUID("6f1c2d43-64a4-4c77-9a53-9e1f0c0b7a11")

REGION = {"code": "twente", "name": "Twente"}

#: (CBS code, name, inhabitants on 1 January 2018)
MUNICIPALITIES: list[tuple[str, str, int]] = [
    ("GM0141", "Almelo", 72_629),
    ("GM0147", "Borne", 23_123),
    ("GM1774", "Dinkelland", 26_262),
    ("GM0153", "Enschede", 158_261),
    ("GM0158", "Haaksbergen", 24_291),
    ("GM0163", "Hellendoorn", 35_796),
    ("GM0164", "Hengelo", 80_927),
    ("GM1735", "Hof van Twente", 34_916),
    ("GM0168", "Losser", 22_547),
    ("GM0173", "Oldenzaal", 31_990),
    ("GM1742", "Rijssen-Holten", 38_109),
    ("GM0183", "Tubbergen", 21_140),
    ("GM1700", "Twenterand", 33_913),
    ("GM0189", "Wierden", 24_144),
]
POPULATION_YEAR = 2018
POPULATION_SOURCE = "CBS StatLine, Bevolking op 1 januari 2018"
TWENTE = [code for code, _, _ in MUNICIPALITIES]


#: Seed 002: "ongeveer 6.250 slachtoffers per jaar" for the Netherlands, with the 16.9 million
#: inhabitants it divides by (the population on 1 January 2015).
class NationalEstimateRow(TypedDict):
    year: int
    victims: int
    population: int
    source: str


NATIONAL_ESTIMATE: NationalEstimateRow = {
    "year": 2015,
    "victims": 6250,
    "population": 16_900_000,
    "source": "Nationaal Rapporteur Mensenhandel, schatting met multiple systems estimation "
    "(zoals in seed 002)",
}

WEEKDAYS = "MO,TU,WE,TH,FR"
ALL_DAYS = "MO,TU,WE,TH,FR,SA,SU"


def _id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def _form(code: str) -> dict:
    return {"taxonomy_term": {"taxonomy": "baken-exploitation-form", "code": code}}


def _audience(code: str) -> dict:
    return {"taxonomy_term": {"taxonomy": "baken-audience", "code": code}}


def _type(code: str) -> dict:
    return {"taxonomy_term": {"taxonomy": "baken-organisation-type", "code": code}}


def _areas(codes: list[str]) -> list[dict]:
    return [{"uri": f"urn:cbs:{code}"} for code in codes]


def _in(code: str) -> list[dict]:
    return [{"label": "municipality", "value": f"urn:cbs:{code}"}]


def _org(
    name: str,
    org_type: str,
    description: str,
    *,
    email: str | None = None,
    website: str | None = None,
    phones: list[dict] | None = None,
    municipality: str | None = None,
    locations: list[dict] | None = None,
    services: list[dict] | None = None,
) -> dict:
    org_id = _id("org", name)
    attributes = [_type(org_type)]
    if municipality:
        attributes += _in(municipality)
    for service in services or []:
        service["id"] = _id("service", name, service["name"])
    for location in locations or []:
        location["id"] = _id("location", name, location["name"])
    return {
        "id": org_id,
        "name": name,
        "description": description,
        "email": email,
        "website": website,
        "phones": phones or [],
        "attributes": attributes,
        "locations": locations or [],
        "services": services or [],
    }


def _location(name: str, municipality: str, *, address: dict | None = None, confidential=False):
    attributes = _in(municipality)
    if confidential:
        attributes.append({"label": "address_is_confidential", "value": "true"})
    return {
        "name": name,
        "location_type": "physical",
        "addresses": [address] if address and not confidential else [],
        "attributes": attributes,
    }


def _at(org_name: str, location_name: str) -> list[dict]:
    return [{"location_id": _id("location", org_name, location_name)}]


SHELTER = "Stichting Schuilplaats Twente"
KENNISCENTRUM = "Kenniscentrum Mensenhandel Twente"


def _knowledge_centre() -> list[dict]:
    """The kenniscentrum: registration, advice, referral, the casustafel."""
    return [
        _org(
            KENNISCENTRUM,
            "knowledge_centre",
            "Regionaal kenniscentrum: registratie en melding, advies en consult, doorverwijzing, "
            "crisiscasussen en de casustafel mensenhandel.",
            email="kenniscentrum@demo.baken.example",
            phones=[{"number": "+31534876500", "description": "advies en consult (demo)"}],
            municipality="GM0153",
            services=[
                {
                    "name": "Advies en consult mensenhandel",
                    "description": "Professionals en burgers vragen advies bij signalen van "
                    "mensenhandel; het kenniscentrum denkt mee en verwijst door.",
                    "application_process": "Bel op werkdagen of meld via Baken.",
                    "languages": [{"code": "nl"}, {"code": "en"}, {"code": "de"}],
                    "schedules": [{"byday": WEEKDAYS, "opens_at": "09:00", "closes_at": "17:00"}],
                    "service_areas": _areas(TWENTE),
                    "attributes": [
                        _form(f) for f in ("sexual", "labour", "criminal", "organ_removal")
                    ]
                    + [_audience("professionals"), _audience("family")],
                },
                {
                    "name": "Casustafel mensenhandel",
                    "description": "Multidisciplinair overleg over complexe en crisiscasussen met "
                    "politie, OM, RIEC, Zorg- en Veiligheidshuis en zorgpartners.",
                    "application_process": "Opschalen via de coördinator van het kenniscentrum.",
                    "languages": [{"code": "nl"}],
                    "service_areas": _areas(TWENTE),
                    "attributes": [
                        _form(f) for f in ("sexual", "labour", "criminal", "organ_removal")
                    ]
                    + [_audience("professionals")],
                },
            ],
        ),
    ]


def _shelters() -> list[dict]:
    """Protected shelter for victims, and a citizens' initiative for short stays."""
    return [
        _org(
            SHELTER,
            "care",
            "Beschermde opvang voor slachtoffers van mensenhandel, met begeleiding naar wonen, "
            "werk en herstel.",
            email="aanmelden@schuilplaats.demo.baken.example",
            phones=[{"number": "+31534890120", "description": "aanmelden, 24 uur (demo)"}],
            locations=[
                _location("Opvanghuis Enschede", "GM0153", confidential=True),
                _location("Opvanghuis Almelo", "GM0141", confidential=True),
            ],
            services=[
                {
                    "name": "Beschermde opvang voor vrouwen",
                    "description": "Veilige opvang met 24-uursbegeleiding voor vrouwen die "
                    "slachtoffer zijn (of lijken te zijn) van seksuele uitbuiting of "
                    "arbeidsuitbuiting. Ook zonder verblijfsvergunning.",
                    "eligibility_description": "Vrouwen vanaf 18 jaar; aanmelding door een "
                    "professional of door de vrouw zelf.",
                    "minimum_age": 18,
                    "application_process": "Bel het aanmeldnummer; dezelfde dag een gesprek. "
                    "Het adres wordt pas bij opname gedeeld.",
                    "fees_description": "Kosteloos",
                    "languages": [
                        {"code": "nl"},
                        {"code": "en"},
                        {"code": "pl", "note": "Poolstalige begeleider"},
                        {"code": "ro"},
                        {"code": "bg"},
                    ],
                    "schedules": [{"byday": ALL_DAYS, "description": "24 uur per dag"}],
                    "phones": [{"number": "+31534890120", "type": "hotline"}],
                    "service_areas": _areas(TWENTE),
                    "service_at_locations": _at(SHELTER, "Opvanghuis Enschede"),
                    "capacities": [{"available": 2, "maximum": 8, "unit": {"name": "bedden"}}],
                    "attributes": [
                        _form("sexual"),
                        _form("labour"),
                        _audience("women"),
                        _audience("migrants"),
                    ],
                },
                {
                    "name": "Opvang voor mannen",
                    "description": "Opvang en begeleiding voor mannen die slachtoffer zijn van "
                    "arbeidsuitbuiting of criminele uitbuiting.",
                    "minimum_age": 18,
                    "application_process": "Bel het aanmeldnummer.",
                    "languages": [{"code": "nl"}, {"code": "en"}, {"code": "pl"}, {"code": "lt"}],
                    "schedules": [{"byday": ALL_DAYS, "description": "24 uur per dag"}],
                    "service_areas": _areas(TWENTE),
                    "service_at_locations": _at(SHELTER, "Opvanghuis Almelo"),
                    "capacities": [{"available": 1, "maximum": 6, "unit": {"name": "bedden"}}],
                    "attributes": [
                        _form("labour"),
                        _form("criminal"),
                        _audience("men"),
                        _audience("migrants"),
                    ],
                },
            ],
        ),
        _org(
            "Het Overweeghuis Oost",
            "ngo",
            "Burgerinitiatief: laagdrempelige, kortdurende opvang voor vrouwen die uit de "
            "prostitutie willen stappen (seed 000).",
            email="info@overweeghuis.demo.baken.example",
            locations=[_location("Overweeghuis", "GM0164", confidential=True)],
            services=[
                {
                    "name": "Overweeghuis: kortdurend verblijf",
                    "description": "Een rustige plek om na te denken over uitstappen, zonder "
                    "voorwaarden vooraf; maximaal zes weken.",
                    "eligibility_description": "Vrouwen in of net uit de prostitutie.",
                    "minimum_age": 18,
                    "application_process": "Bel of mail; een intake binnen twee dagen.",
                    "languages": [{"code": "nl"}, {"code": "en"}, {"code": "es"}, {"code": "ro"}],
                    "schedules": [{"byday": WEEKDAYS, "opens_at": "10:00", "closes_at": "16:00"}],
                    "service_areas": _areas(TWENTE),
                    "service_at_locations": _at("Het Overweeghuis Oost", "Overweeghuis"),
                    "capacities": [{"available": 1, "maximum": 3, "unit": {"name": "kamers"}}],
                    "attributes": [_form("sexual"), _audience("women")],
                }
            ],
        ),
    ]


def _youth() -> list[dict]:
    """Specialist youth care and the children's-rights organisation."""
    return [
        _org(
            "Jeugdhulp Twente",
            "youth_care",
            "Specialistische jeugdhulp, met een team voor minderjarige slachtoffers van "
            "seksuele en criminele uitbuiting.",
            email="toegang@jeugdhulptwente.demo.baken.example",
            phones=[{"number": "+31742450300", "description": "toegang (demo)"}],
            locations=[
                _location(
                    "Locatie Hengelo",
                    "GM0164",
                    address={
                        "address_1": "Demostraat 12",
                        "postal_code": "7551 AA",
                        "city": "Hengelo",
                    },
                )
            ],
            services=[
                {
                    "name": "Hulp bij uitbuiting van jongeren",
                    "description": "Ambulante en residentiële hulp voor jongeren tot 23 jaar die "
                    "worden geronseld of uitgebuit, ook na loverboy-werving of sextortion.",
                    "minimum_age": 12,
                    "maximum_age": 23,
                    "application_process": "Via de gemeente (beschikking) of bij crisis direct.",
                    "languages": [{"code": "nl"}, {"code": "en"}, {"code": "ar"}, {"code": "tr"}],
                    "schedules": [{"byday": WEEKDAYS, "opens_at": "08:30", "closes_at": "17:00"}],
                    "service_areas": _areas(TWENTE),
                    "service_at_locations": _at("Jeugdhulp Twente", "Locatie Hengelo"),
                    "attributes": [
                        _form("sexual"),
                        _form("criminal"),
                        _audience("minors"),
                        _audience("young_adults"),
                    ],
                }
            ],
        ),
        _org(
            "Kinderrechten Oost",
            "ngo",
            "Organisatie voor kinderrechten: training van gemeenten en advies over minderjarige "
            "slachtoffers (seed 001).",
            email="info@kinderrechtenoost.demo.baken.example",
            services=[
                {
                    "name": "Advies kinderrechten bij mensenhandel",
                    "description": "Advies aan professionals en gemeenten over de aanpak van "
                    "seksuele uitbuiting van minderjarigen, met kinderrechten als uitgangspunt.",
                    "languages": [{"code": "nl"}, {"code": "en"}],
                    "service_areas": [{"uri": "urn:iso:3166:NL", "name": "Nederland"}],
                    "attributes": [
                        _form("sexual"),
                        _audience("minors"),
                        _audience("professionals"),
                    ],
                }
            ],
        ),
    ]


def _police_and_justice() -> list[dict]:
    """Police, public prosecutor, RIEC and the Zorg- en Veiligheidshuis."""
    return [
        _org(
            "Politie Oost-Nederland, team Twente",
            "police",
            "Politie-eenheid Oost-Nederland; aandachtsvelders mensenhandel en het team "
            "migratiecriminaliteit.",
            phones=[
                {"number": "112", "type": "hotline", "description": "spoed"},
                {"number": "09008844", "description": "geen spoed"},
            ],
            services=[
                {
                    "name": "Aangifte en opsporing mensenhandel",
                    "description": "Informatief gesprek, aangifte en opsporing bij mensenhandel.",
                    "languages": [{"code": "nl"}, {"code": "en"}, {"code": "de"}],
                    "service_areas": _areas(TWENTE),
                    "attributes": [
                        _form(f) for f in ("sexual", "labour", "criminal", "organ_removal")
                    ],
                }
            ],
        ),
        _org(
            "Openbaar Ministerie, arrondissement Oost-Nederland",
            "public_prosecutor",
            "Officier van justitie mensenhandel; vervolging en slachtofferrechten.",
        ),
        _org(
            "RIEC Oost-Nederland",
            "riec",
            "Regionaal Informatie- en Expertisecentrum: bestuurlijke aanpak van ondermijning, "
            "facilitatoraanpak.",
        ),
        _org(
            "Zorg- en Veiligheidshuis Twente",
            "zvh",
            "Regionale samenwerking van zorg- en veiligheidspartners bij complexe casuïstiek.",
            municipality="GM0164",
            services=[
                {
                    "name": "Procesregie complexe casuïstiek",
                    "description": "Procesregie en afstemming tussen zorg en straf bij complexe "
                    "casussen, ook bij daderaanpak.",
                    "languages": [{"code": "nl"}],
                    "service_areas": _areas(TWENTE),
                    "attributes": [
                        _form("sexual"),
                        _form("labour"),
                        _form("criminal"),
                        _audience("professionals"),
                    ],
                }
            ],
        ),
    ]


def _health() -> list[dict]:
    """The GGD (sexual health, the sex workers' clinic) and Veilig Thuis."""
    return [
        _org(
            "GGD Twente",
            "health",
            "Publieke gezondheidszorg, seksuele gezondheid en het spreekuur voor sekswerkers.",
            services=[
                {
                    "name": "Spreekuur seksuele gezondheid voor sekswerkers",
                    "description": "Anoniem en gratis spreekuur: soa-test, anticonceptie, "
                    "een luisterend oor, en hulp bij signalen van dwang.",
                    "fees_description": "Gratis",
                    "languages": [
                        {"code": "nl"},
                        {"code": "en"},
                        {"code": "es"},
                        {"code": "ro"},
                        {"code": "hu"},
                        {"code": "bg"},
                    ],
                    "schedules": [{"byday": "TU,TH", "opens_at": "13:00", "closes_at": "16:30"}],
                    "service_areas": _areas(TWENTE),
                    "attributes": [
                        _form("sexual"),
                        _audience("women"),
                        _audience("lgbtiq"),
                        _audience("migrants"),
                    ],
                }
            ],
        ),
        _org(
            "Veilig Thuis Twente",
            "veilig_thuis",
            "Advies- en meldpunt huiselijk geweld en kindermishandeling.",
            phones=[{"number": "08002000", "type": "hotline", "description": "24/7, gratis"}],
            services=[
                {
                    "name": "Advies en melding huiselijk geweld",
                    "description": "Advies en meldingen over huiselijk geweld, kindermishandeling "
                    "en uitbuiting in afhankelijkheidsrelaties.",
                    "languages": [{"code": "nl"}, {"code": "en"}],
                    "schedules": [{"byday": ALL_DAYS, "description": "24 uur per dag"}],
                    "service_areas": _areas(TWENTE),
                    "attributes": [
                        _form("sexual"),
                        _form("criminal"),
                        _audience("minors"),
                        _audience("family"),
                        _audience("professionals"),
                    ],
                }
            ],
        ),
    ]


def _labour_inspectorate() -> list[dict]:
    """The Labour Inspectorate: fair work and the labour-exploitation team."""
    return [
        _org(
            "Nederlandse Arbeidsinspectie, regio Oost",
            "labour_inspectorate",
            "Toezicht op eerlijk, gezond en veilig werk; recherche arbeidsuitbuiting.",
            services=[
                {
                    "name": "Melding arbeidsuitbuiting",
                    "description": "Meldingen over arbeidsuitbuiting en ernstige benadeling van "
                    "werknemers, ook anoniem.",
                    "languages": [
                        {"code": "nl"},
                        {"code": "en"},
                        {"code": "pl"},
                        {"code": "ro"},
                        {"code": "bg"},
                        {"code": "uk"},
                    ],
                    "service_areas": [{"uri": "urn:iso:3166:NL", "name": "Nederland"}],
                    "attributes": [
                        _form("labour"),
                        _audience("migrants"),
                        _audience("men"),
                        _audience("women"),
                    ],
                }
            ],
        ),
    ]


def _school() -> list[dict]:
    """A vocational school with its aandachtsfunctionaris and lessons."""
    return [
        _org(
            "Roc van Twente (demo)",
            "school",
            "Mbo-school; aandachtsfunctionaris en lessen weerbaarheid (#Studentalert).",
        ),
    ]


def _municipalities() -> list[dict]:
    """The fourteen municipalities of Twente, each with its aandachtsfunctionaris."""
    return [
        _org(
            f"Gemeente {name}",
            "municipality",
            f"De gemeente {name}: Wmo, Jeugdwet, bestuurlijk toezicht en het "
            "aandachtsfunctionarisschap mensenhandel.",
            municipality=code,
        )
        for code, name, _ in MUNICIPALITIES
    ]


def organisations() -> list[dict]:
    """The demo chain: every organisation type the regional approach needs (seed 002)."""
    return [
        *_knowledge_centre(),
        *_shelters(),
        *_youth(),
        *_police_and_justice(),
        *_health(),
        *_labour_inspectorate(),
        *_school(),
        *_municipalities(),
    ]


#: Services left unchecked in the demo, so that "entries to check" has something to show.
NEVER_CHECKED = {"Opvang voor mannen", "Advies kinderrechten bij mensenhandel"}
LONG_AGO_CHECKED = {"Spreekuur seksuele gezondheid voor sekswerkers"}


def hsds_document(today: date | None = None) -> dict:
    """The demo as HSDS; most entries checked recently, a few never or over a year ago."""
    today = today or timezone.localdate()
    chain = organisations()
    for org in chain:
        org["assured_date"] = (today - timedelta(days=45)).isoformat()
        for service in org["services"]:
            if service["name"] in NEVER_CHECKED:
                continue
            age = 400 if service["name"] in LONG_AGO_CHECKED else 30
            service["assured_date"] = (today - timedelta(days=age)).isoformat()
    return {"hsds_version": "3.0", "organizations": chain}


#: One demo user per role, and one at the shelter: (username, first name, last name, organisation, roles)
DEMO_USERS: list[tuple[str, str, str, str, list[str]]] = [
    ("coordinator", "Sanne", "Oude Luttikhuis", KENNISCENTRUM, ["coordinator"]),
    ("counsellor", "Yusuf", "Demir", KENNISCENTRUM, ["counsellor"]),
    ("caseworker", "Jeroen", "Kuipers", KENNISCENTRUM, ["caseworker"]),
    ("aandachtsfunctionaris", "Peter", "Nijhuis", "Gemeente Enschede", ["aandachtsfunctionaris"]),
    ("liaison", "Anouk", "Brouwer", "Politie Oost-Nederland, team Twente", ["liaison"]),
    ("supervisor", "Bram", "Wolters", "Gemeente Hengelo", ["supervisor"]),
    ("analyst", "Fatima", "El Amrani", KENNISCENTRUM, ["analyst"]),
    ("programme_manager", "Koen", "Hofman", KENNISCENTRUM, ["programme_manager"]),
    ("educator", "Lotte", "Scholten", KENNISCENTRUM, ["educator"]),
    ("administrator", "Ilse", "Kamphuis", KENNISCENTRUM, ["administrator"]),
    # The shelter's own user: answers referrals to the shelter's services.
    ("opvang", "Marieke", "Ten Brinke", SHELTER, ["caseworker"]),
    # Youth care's own user: answers referrals of young people (12 to 23).
    ("jeugdhulp", "Daan", "Veldhuis", "Jeugdhulp Twente", ["caseworker"]),
]

DEMO_PASSWORD = "baken-demo-2026"  # nosec B105 # published demo login; demo_load refuses production

#: Who sits at the casustafel (seed 002: RIEC, police, OM, Zorg- en Veiligheidshuis, care).
CASE_TABLE_PARTNERS = [
    KENNISCENTRUM,
    "Politie Oost-Nederland, team Twente",
    "Openbaar Ministerie, arrondissement Oost-Nederland",
    "RIEC Oost-Nederland",
    "Zorg- en Veiligheidshuis Twente",
    SHELTER,
    "Jeugdhulp Twente",
    "Gemeente Enschede",
    "Gemeente Hengelo",
    "Gemeente Almelo",
]


# --- chat ---------------------------------------------------------------------------------------

#: The demo chat is staffed around the clock so that it can be tried at any hour.
CHAT_OPEN_AROUND_THE_CLOCK = True

#: Canned answers per language: (language, title, text). Invented for the demo.
CANNED_ANSWERS: list[tuple[str, str, str]] = [
    (
        "nl",
        "Welkom",
        "Hoi, fijn dat je ons schrijft. Ik ben hulpverlener bij Baken. Je hoeft je naam niet te zeggen. Wat is er aan de hand?",
    ),
    (
        "nl",
        "Ben je veilig?",
        "Ben je nu op een veilige plek? Als je in gevaar bent, bel dan meteen 112.",
    ),
    (
        "nl",
        "Anoniem",
        "Wat je hier vertelt, blijft tussen ons. We geven niets door zonder dat jij dat goed vindt, behalve als iemands leven in gevaar is.",
    ),
    (
        "en",
        "Welcome",
        "Hi, thank you for writing to us. I am a counsellor at Baken. You do not have to tell me your name. What is going on?",
    ),
    (
        "en",
        "Are you safe?",
        "Are you in a safe place right now? If you are in danger, call 112 straight away.",
    ),
    (
        "en",
        "Anonymous",
        "What you tell me here stays between us. We pass nothing on without your agreement, unless someone's life is in danger.",
    ),
    (
        "pl",
        "Powitanie",
        "Cześć, dobrze, że do nas piszesz. Jestem doradcą w Baken. Nie musisz podawać swojego imienia. Co się dzieje?",
    ),
    (
        "pl",
        "Czy jesteś bezpieczny?",
        "Czy jesteś teraz w bezpiecznym miejscu? Jeśli grozi ci niebezpieczeństwo, zadzwoń od razu pod 112.",
    ),
    (
        "pl",
        "Anonimowo",
        "To, co tu mówisz, zostaje między nami. Niczego nie przekazujemy bez twojej zgody, chyba że czyjeś życie jest w niebezpieczeństwie.",
    ),
    (
        "ro",
        "Bun venit",
        "Bună, mă bucur că ne scrii. Sunt consilier la Baken. Nu trebuie să-mi spui numele tău. Ce se întâmplă?",
    ),
    (
        "ro",
        "Ești în siguranță?",
        "Ești acum într-un loc sigur? Dacă ești în pericol, sună imediat la 112.",
    ),
    (
        "bg",
        "Добре дошли",
        "Здравей, добре че ни пишеш. Аз съм консултант в Baken. Не е нужно да казваш името си. Какво се случва?",
    ),
    (
        "bg",
        "В безопасност ли си?",
        "На сигурно място ли си в момента? Ако си в опасност, обади се веднага на 112.",
    ),
    (
        "uk",
        "Вітання",
        "Привіт, добре, що ти нам пишеш. Я консультант у Baken. Тобі не потрібно називати своє ім'я. Що сталося?",
    ),
    (
        "uk",
        "Чи ти в безпеці?",
        "Чи ти зараз у безпечному місці? Якщо тобі загрожує небезпека, одразу телефонуй 112.",
    ),
    (
        "es",
        "Bienvenida",
        "Hola, gracias por escribirnos. Soy consejero en Baken. No tienes que decirme tu nombre. ¿Qué está pasando?",
    ),
    (
        "es",
        "¿Estás a salvo?",
        "¿Estás ahora en un lugar seguro? Si estás en peligro, llama enseguida al 112.",
    ),
    (
        "ar",
        "ترحيب",
        "مرحبًا، شكرًا لأنك كتبت لنا. أنا مستشار في Baken. لا داعي لأن تذكر اسمك. ماذا يحدث؟",
    ),
    ("ar", "هل أنت في أمان؟", "هل أنت الآن في مكان آمن؟ إذا كنت في خطر، اتصل فورًا بالرقم 112."),
]


#: Invented licensed sex businesses (name, kind, municipality, street, postcode).
LICENSED_BUSINESSES = [
    ("Privéhuis De Linde", "private_house", "Enschede", "Lindelaan 4", "7512 AB"),
    ("Escort Twente Zuid", "escort", "Hengelo", "Marktstraat 19", "7551 DA"),
    ("Club Nachtegaal", "club", "Almelo", "Industrieweg 88", "7602 PK"),
    ("Thuiswerk Sanne", "home_worker", "Oldenzaal", "Kerkplein 2", "7571 EG"),
]
