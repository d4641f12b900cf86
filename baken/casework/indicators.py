"""The indicator checklist, in the spirit of the Dutch "signalenlijsten" per form of exploitation.

The catalogue lives in code so that its labels are translatable; migration 0002 mirrors the codes
into the ``Indicator`` table that signals point at. Add an item here and in a new migration.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # Type-only: django-stubs-ext is a development dependency (mypy), absent in production.
    from django_stubs_ext import StrOrPromise

S, L, C, ORG = "sexual", "labour", "criminal", "organ_removal"

#: (code, category, forms it points at ('' = every form), label)
CATALOGUE: list[tuple[str, str, str, StrOrPromise]] = [
    ("recruited-online", "recruitment", f"{S},{C}", _("Recruited online or through social media")),
    ("false-job-offer", "recruitment", f"{L},{S}", _("Came for a job that turned out different")),
    ("lover-boy", "recruitment", S, _("A partner or 'boyfriend' arranges the work")),
    ("recruitment-debt", "recruitment", "", _("Owes money for travel, papers or a place to stay")),
    ("no-own-documents", "control", "", _("Does not keep own passport or papers")),
    ("no-own-money", "control", "", _("Has no control over own money or bank card")),
    ("debt-to-employer", "control", f"{L},{S}", _("Has debts to the employer or an intermediary")),
    ("controlled-accompanied", "control", "", _("Is controlled or always accompanied by others")),
    ("threats-violence", "control", "", _("Is threatened, or has signs of violence")),
    ("no-free-movement", "control", "", _("Cannot come and go freely")),
    ("unknown-address", "control", "", _("Does not know own address or where they work")),
    ("scripted-story", "control", "", _("Tells a story that seems rehearsed")),
    ("excessive-hours", "work", f"{L},{S}", _("Works very long hours or always on call")),
    ("little-no-pay", "work", f"{L},{S},{C}", _("Gets little or no pay")),
    ("moved-around", "work", f"{S},{L}", _("Is moved often between places or cities")),
    ("forced-crimes", "work", C, _("Is made to commit crimes (drug running, theft, shoplifting)")),
    ("account-used", "work", C, _("Own bank account or identity used by others (money mule)")),
    (
        "unexplained-goods",
        "work",
        f"{C},{S}",
        _("Has expensive gifts, phones or cash that do not fit"),
    ),
    ("lives-at-work", "living", f"{L},{S}", _("Lives at the workplace")),
    ("overcrowded-housing", "living", L, _("Lives in overcrowded or poor housing")),
    ("housing-tied-to-job", "living", L, _("Housing depends on the employer")),
    ("untreated-injuries", "health", "", _("Has untreated injuries or health problems")),
    ("fear-anxiety", "health", "", _("Seems afraid, anxious or very submissive")),
    ("substance-dependence", "health", f"{S},{C}", _("Is made dependent on drugs or alcohol")),
    ("looks-under-18", "minor", "", _("Looks younger than 18")),
    ("runaway-missing", "minor", "", _("Has run away or is reported missing")),
    ("school-absence", "minor", "", _("Often absent from school")),
    ("much-older-partner", "minor", f"{S},{C}", _("Has a much older partner or 'friend'")),
    ("advertised-online", "online", S, _("Is offered in online advertisements")),
    ("sextortion", "online", S, _("Is blackmailed with nude images")),
    ("organ-pressure", "control", ORG, _("Is pressured to sell or give an organ")),
    ("unexplained-surgery", "health", ORG, _("Has a recent unexplained operation scar")),
]

LABELS = {code: label for code, _category, _forms, label in CATALOGUE}


def label_for(code: str) -> str:
    return str(LABELS.get(code, code))
