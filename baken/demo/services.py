"""The demo's public API: load the invented region Twente through each context's services.

``demo_load`` fills the directory, users, the casustafel, the chat, the portal, programmes and
(with casework) signals, cases, referrals, ads and two years of history (``baken.demo.history``),
each through the owning context's services, so that the audit trail records it like real work.
Nothing here runs in production.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from baken.accounts.models import User
from baken.accounts.services import user_roles_set
from baken.admonitor.engine.synthetic import generate
from baken.admonitor.services import ads_ingest
from baken.audit.services import Actor, acting_as
from baken.casework import services as casework
from baken.casework.models import CaseTable, Meeting, Signal
from baken.chat.models import CannedAnswer, OpeningHours
from baken.demo import data as demo_data
from baken.demo.history import demo_history_load
from baken.directory.hsds import import_directory
from baken.directory.models import (
    Municipality,
    MunicipalityPopulation,
    Organisation,
    Region,
    Service,
)
from baken.directory.services import taxonomy_terms_ensure
from baken.insight.models import NationalEstimate
from baken.insight.services import figures_refresh
from baken.portal.services import portal_load_content
from baken.programmes.models import Activity, Feedback, Programme, Project, Trainer
from baken.programmes.services import activity_save, scenarios_install
from baken.supervision.models import Business, Licence

__all__ = ["DemoLogin", "demo_load"]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: list[str]
    organisation: str


def demo_load(*, with_casework: bool = False) -> list[DemoLogin]:
    """Load (or refresh) the demo region Twente; safe to run any number of times.

    ``with_casework`` also adds, once, two years of history made through the services
    (``baken.demo.history``), a few invented signals of this week, a case with a referral, a
    case put forward for the casustafel and the ads (``baken demo`` does; tests start from an
    empty caseload).
    """
    if settings.PRODUCTION:
        raise RuntimeError("The demo region is never loaded in production.")
    with acting_as(Actor(actor_name="demo", origin="cli")), transaction.atomic():
        region, _ = Region.objects.update_or_create(
            code=demo_data.REGION["code"], defaults={"name": demo_data.REGION["name"]}
        )
        for code, name, population in demo_data.MUNICIPALITIES:
            municipality, _ = Municipality.objects.update_or_create(
                cbs_code=code, defaults={"name": name, "region": region}
            )
            MunicipalityPopulation.objects.update_or_create(
                municipality=municipality,
                year=demo_data.POPULATION_YEAR,
                defaults={"population": population, "source": demo_data.POPULATION_SOURCE},
            )
        taxonomy_terms_ensure()
        import_directory(demo_data.hsds_document())
        Organisation.objects.filter(region__isnull=True).update(region=region)
        _demo_case_table(region)
        logins = []
        for username, first, last, org_name, roles in demo_data.DEMO_USERS:
            organisation = Organisation.objects.get(name=org_name)
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@demo.baken.example",
                    "organisation": organisation,
                },
            )
            if created:
                user.set_password(demo_data.DEMO_PASSWORD)
                user.save()
            user_roles_set(user=user, roles=roles)
            logins.append(DemoLogin(username=username, roles=roles, organisation=org_name))
        _demo_chat_and_portal()
        _demo_national_estimate()
        _demo_programmes()
    if with_casework and not Signal.objects.exists():
        users = {user.username: user for user in User.objects.all()}
        with acting_as(Actor(actor_name="demo", origin="cli")):
            # Outside a transaction: each step of the past commits at its own moment.
            demo_history_load(region=region, users=users)
            with transaction.atomic():
                _demo_casework(users)
                _demo_ads()

    figures_refresh()
    return logins


def _demo_programmes() -> None:
    """An invented provincial programme with one subsidised project."""
    programme, _ = Programme.objects.update_or_create(
        name="Weerbare samenleving",
        defaults={
            "funder": "Provincie (demo)",
            "description": "Projecten van gemeenten, politie, zorg en inwoners tegen ondermijning.",
        },
    )
    owner = Organisation.objects.filter(region__isnull=False).order_by("name").first()
    if owner is None:
        raise RuntimeError("Load the social map (demo organisations) before the programmes.")
    Project.objects.update_or_create(
        slug="lesprogramma-doorsturen-doe-je-niet",
        defaults={
            "programme": programme,
            "name": "Lesprogramma Doorsturen doe je niet!",
            "summary": "Lessen voor leerlingen van 12 tot 14 jaar over sextortion en het "
            "doorsturen van naaktfoto's, met een scenario dat de klas samen speelt.",
            "owner": owner,
            "starts_on": date(2025, 1, 1),
            "ends_on": date(2027, 12, 31),
            "budget": 240000,
            "funding": "subsidy",
            "subsidy_ceiling": 100000,
            "subsidy_years": 3,
        },
    )

    scenarios_install()
    _demo_prevention(project=Project.objects.get(slug="lesprogramma-doorsturen-doe-je-niet"))


def _demo_prevention(*, project) -> None:
    """Invented prevention work of the last year: trainings, lessons, the half-yearly regional
    action, a train-the-trainer with the sessions its trainers gave, and some feedback."""
    if Activity.objects.exists():
        return
    today = timezone.localdate()
    centre = Organisation.objects.get(name=demo_data.KENNISCENTRUM)
    town = {m.name: m for m in Municipality.objects.all()}

    def add(days_ago, kind, title, audience, themes, place, reached, **extra):
        return activity_save(
            activity=Activity(
                kind=kind,
                title=title,
                audience=audience,
                themes=themes,
                municipality=town.get(place),
                held_on=today - timedelta(days=days_ago),
                participants=reached,
                organisation=extra.pop("organisation", centre),
                **extra,
            )
        )

    ttt = add(
        300,
        "train_the_trainer",
        "Train-de-trainer #Leerling-alert",
        "professionals",
        ["sexual", "criminal"],
        None,
        12,
    )
    trainers = [
        Trainer.objects.create(name=name, organisation=centre, trained_at=ttt)
        for name in ("Mirjam Veldhuis", "Thijs Oude Geerdink", "Samira Bouzid")
    ]
    add(
        280,
        "training",
        "Signalen herkennen voor wijkteams",
        "professionals",
        ["sexual", "labour", "criminal"],
        "Enschede",
        34,
    )
    add(
        250,
        "regional_action",
        "Regionale actiedag: uitbuiting zie je niet vanzelf",
        "parents",
        ["sexual", "labour", "criminal", "organ_removal"],
        None,
        1850,
    )
    add(
        220,
        "information",
        "Voorlichting arbeidsmigranten: je rechten als werknemer",
        "labour_migrants",
        ["labour"],
        "Almelo",
        46,
    )
    add(
        190,
        "lesson",
        "#Leerling-alert, 3 vmbo",
        "young_people",
        ["sexual", "criminal"],
        "Hengelo",
        27,
        trainer=trainers[0],
        project=project,
    )
    add(
        160,
        "lesson",
        "#Leerling-alert, 2 havo",
        "young_people",
        ["sexual"],
        "Enschede",
        29,
        trainer=trainers[1],
        project=project,
    )
    add(
        130,
        "information",
        "Ouderavond: wat doet mijn kind online?",
        "parents",
        ["sexual"],
        "Oldenzaal",
        64,
        trainer=trainers[0],
        project=project,
    )
    add(
        100,
        "training",
        "Criminele uitbuiting bij jongeren met een licht verstandelijke beperking",
        "professionals",
        ["criminal"],
        "Almelo",
        22,
    )
    add(
        75,
        "regional_action",
        "Regionale actiedag: doorsturen doe je niet",
        "young_people",
        ["sexual"],
        None,
        2400,
        project=project,
    )
    add(
        40,
        "lesson",
        "#Studentalert, mbo zorg",
        "young_people",
        ["sexual", "labour"],
        "Enschede",
        31,
        trainer=trainers[2],
    )
    add(
        12,
        "campaign",
        "Campagne 'Makkelijk geld bestaat niet'",
        "young_people",
        ["criminal"],
        None,
        18500,
    )
    last = add(
        5,
        "lesson",
        "#Leerling-alert, 2 vmbo",
        "young_people",
        ["sexual"],
        "Haaksbergen",
        24,
        trainer=trainers[1],
        project=project,
    )
    for rating, learned, improve in [
        (5, "Dat doorsturen ook strafbaar is.", ""),
        (4, "Hoe je iemand kunt helpen die bedreigd wordt.", "Meer tijd om te praten."),
        (5, "", ""),
        (3, "Wat sextortion is.", "Het filmpje was te lang."),
    ]:
        Feedback.objects.create(activity=last, rating=rating, learned=learned, improve=improve)


def _demo_national_estimate() -> None:
    """The estimate seed 002 works with: 6,250 victims a year (the National Rapporteur's
    multiple systems estimate) for 16.9 million inhabitants (1 January 2015)."""
    NationalEstimate.objects.update_or_create(
        year=demo_data.NATIONAL_ESTIMATE["year"],
        defaults={
            "victims": demo_data.NATIONAL_ESTIMATE["victims"],
            "population": demo_data.NATIONAL_ESTIMATE["population"],
            "source": demo_data.NATIONAL_ESTIMATE["source"],
        },
    )


def _demo_chat_and_portal() -> None:
    """Opening hours, canned answers, and the portal texts shipped with Baken."""
    if demo_data.CHAT_OPEN_AROUND_THE_CLOCK and not OpeningHours.objects.exists():
        for weekday in range(7):
            OpeningHours.objects.create(weekday=weekday, opens_at=time(0), closes_at=time(0))
    for position, (language, title, text) in enumerate(demo_data.CANNED_ANSWERS):
        CannedAnswer.objects.update_or_create(
            language=language, title=title, defaults={"text": text, "position": position}
        )
    portal_load_content()


def _demo_case_table(region: Region) -> None:
    """The casustafel mensenhandel Twente, every other Tuesday, with its chain partners."""
    table, _ = CaseTable.objects.update_or_create(
        region=region,
        name="Casustafel Mensenhandel Twente",
        defaults={"rhythm": "Om de week op dinsdag, 9.30 uur", "access_days": 14},
    )
    table.participant_organisations.set(
        Organisation.objects.filter(name__in=demo_data.CASE_TABLE_PARTNERS)
    )
    today = timezone.localdate()
    next_tuesday = today + timedelta(days=(1 - today.weekday()) % 7 or 7)
    starts = timezone.make_aware(datetime.combine(next_tuesday, time(9, 30)))
    if not table.meetings.filter(starts_at__gte=timezone.now()).exists():
        Meeting.objects.create(table=table, starts_at=starts)


def _demo_casework(users: dict[str, User]) -> None:
    """A small, invented caseload of this week, so that every page has something to show."""
    enschede = Municipality.objects.get(cbs_code="GM0153")
    almelo = Municipality.objects.get(cbs_code="GM0141")
    casework.signal_create(
        reporter=users["liaison"],
        source="police",
        description="Bij een verkeerscontrole: bestelbus met zes Roemeense mannen, "
        "de bestuurder houdt hun paspoorten.",
        municipality=almelo,
        exploitation_forms=["labour"],
        indicator_codes=["no-own-documents", "controlled-accompanied", "housing-tied-to-job"],
        urgency="high",
        persons=[
            casework.PersonData(
                role="possible_victim", sex="male", nationality="RO", age_estimate=30
            )
        ],
    )
    casework.signal_create(
        reporter=users["counsellor"],
        source="chat",
        description="Meisje (15) in de chat: moet 's avonds pakketjes rondbrengen voor een "
        "oudere jongen, durft niet te stoppen.",
        municipality=enschede,
        exploitation_forms=["criminal"],
        indicator_codes=["forced-crimes", "much-older-partner", "threats-violence"],
        urgency="crisis",
        persons=[casework.PersonData(role="possible_victim", sex="female", age_estimate=15)],
    )
    salon = casework.signal_create(
        reporter=users["aandachtsfunctionaris"],
        source="municipality",
        description="Poolse vrouw werkt in een massagesalon zonder vergunning, "
        "geeft al haar geld af aan de eigenaar.",
        municipality=enschede,
        exploitation_forms=["sexual"],
        indicator_codes=["no-own-money", "lives-at-work", "debt-to-employer"],
        persons=[
            casework.PersonData(
                role="possible_victim",
                name="Agnieszka Wójcik",
                date_of_birth="1998-07-14",
                sex="female",
                nationality="PL",
            ),
            casework.PersonData(role="suspect", name="Eigenaar salon", sex="male"),
        ],
    )
    casework.signal_triage(
        signal=salon,
        user=users["coordinator"],
        exploitation_forms=["sexual"],
        urgency="high",
        is_crisis=False,
        involves_minor=False,
        outcome="case",
        outcome_note="Er is een casus geopend.",
        case_title="Seksuele uitbuiting salon Enschede",
        case_lead=users["caseworker"],
    )
    salon.refresh_from_db()
    case = salon.case
    if case is None:  # the triage above opens one; say so if a change in casework breaks that
        raise RuntimeError("Triage with outcome 'case' opened no case for the demo signal.")
    victim = salon.persons.get(role="possible_victim")
    casework.referral_create(
        case=case,
        person=victim,
        service=Service.objects.get(name="Beschermde opvang voor vrouwen"),
        user=users["caseworker"],
        consent_given=True,
        message="Kan vandaag komen; spreekt Pools en een beetje Engels.",
    )
    casework.escalation_request(
        case=case,
        user=users["caseworker"],
        table=CaseTable.objects.get(),
        reason="Eigenaar heeft meer salons in Twente; daderaanpak nodig.",
        goal="Afspraken politie, gemeente en RIEC over de salons.",
    )


def _demo_ads() -> None:
    """Invented ads for the ad monitor (the synthetic corpus, in Twente's municipalities),
    ending this week."""
    names = list(Municipality.objects.values_list("name", flat=True))
    start = timezone.now() - timedelta(days=115)
    corpus = generate(400, seed=2026, start=start, cities=names)
    content = "\n".join(json.dumps(r, ensure_ascii=False) for r in corpus.records).encode()
    _demo_licences(corpus)
    ads_ingest(content=content, file_name="demo-advertenties.jsonl", parser="jsonl")


def _demo_licences(corpus) -> None:
    """A few invented licensed businesses; three of them advertise with numbers of the demo
    ads' independent advertisers, so the ad monitor has a licensed part to show."""
    today = timezone.localdate()
    independent = [
        phones[0]
        for key, phones in corpus.phones_of.items()
        if corpus.kind_of[corpus.operator_of[key]] == "independent"
    ]
    numbers = list(dict.fromkeys(independent))[:3]
    for n, (name, kind, town, street, postcode) in enumerate(demo_data.LICENSED_BUSINESSES):
        business, _ = Business.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "address": street,
                "postal_code": postcode,
                "municipality": Municipality.objects.get(name=town),
                "operator_name": f"{name} Exploitatie B.V.",
                "phones": [numbers[n]] if n < len(numbers) else [],
            },
        )
        Licence.objects.update_or_create(
            number=f"TW-{2025 + n % 2}-{n + 1:03d}",
            defaults={
                "business": business,
                "status": "granted",
                "valid_from": today - timedelta(days=200 + 30 * n),
                "valid_until": today + timedelta(days=500 - 60 * n),
                "conditions": "Open van 12:00 tot 02:00; registratie van werkenden op locatie.",
            },
        )
