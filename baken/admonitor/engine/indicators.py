"""Indicators per cluster, each with the evidence that triggered it, and the ranking.

The monitor never alerts on a single ad: it explains clusters. Each indicator names the ads and
the words, numbers, cities or prices behind it, so a reviewer can check it in seconds. None of
them reads nationality, ethnicity, language or the country of a phone number: a foreign number
or an ad in Romanian says nothing about exploitation, and such a feature would only point the
monitor at migrant sex workers as a group. Pure Python, no Django.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from baken.admonitor.engine.records import Ad

__all__ = ["INDICATORS", "Indicator", "cluster_indicators", "price_norms", "score"]

#: code → (weight, short description). Descriptions are translated in the web layer.
INDICATORS: dict[str, tuple[float, str]] = {
    "many_personas_one_number": (3.0, "many personas behind one number"),
    "minor_hints": (3.0, "hints that a minor is offered"),
    "city_rotation": (2.0, "rotation through cities in a short time"),
    "low_price": (2.0, "prices far below the local norm"),
    "same_text_other_names": (2.0, "the same text under different names"),
    "third_person": (1.5, "written in the third person"),
    "new_in_town": (1.0, '"new in town"'),
    "always_available": (1.0, "available day and night"),
}

_NEW_IN_TOWN = re.compile(
    r"\b(?:nieuw in|net nieuw|pas in|eerste keer in|new in town|just arrived|only this week|"
    r"alleen deze week|maar kort in|for a short time)\b",
    re.IGNORECASE,
)
_THIRD_PERSON = re.compile(
    r"\b(?:ze is|zij is|zij doet|ze wacht|ze spreekt|ze neemt|zij ontvangen|ze ontvangt|"
    r"ontvangt je|she is|her name|haar vriendinnen|bel de receptie|onze dames|our girls|"
    r"new lady|hot new girl|sweet new girl)\b",
    re.IGNORECASE,
)
_FIRST_PERSON = re.compile(r"\b(?:ik ben|ik werk|ik neem|i am|i only|mijn naam)\b", re.IGNORECASE)
_ALWAYS = re.compile(
    r"24/7|24 uur|dag en nacht|altijd beschikbaar|day and night|available 24|ook 's nachts",
    re.IGNORECASE,
)
_YOUNG = re.compile(
    r"\b(?:tiener|teen|schoolmeisje|barely legal|net 18|just 18|pas 18|jong meisje|young girl|"
    r"petite girl|student(?:e)? 18)\b",
    re.IGNORECASE,
)

#: Rotation: this many different cities within the window.
ROTATION_CITIES = 3
ROTATION_WINDOW = timedelta(days=21)
#: Low price: the cluster's median below this share of the city's median.
LOW_PRICE_SHARE = 0.6
#: A city needs this many priced ads for its own norm; otherwise the overall median is used.
NORM_MINIMUM = 10


#: A piece of evidence: a message template and the values for its ``%(name)s`` placeholders.
Part = tuple[str, dict[str, str | int]]


@dataclass
class Indicator:
    """``parts`` are (template, params) pairs, so the web layer can say them in the reader's
    language (the templates are listed for translation in ``baken/admonitor/messages.py``)."""

    code: str
    weight: float
    parts: list[Part]
    ads: list[str] = field(default_factory=list)

    @property
    def detail(self) -> str:
        return "; ".join(template % params for template, params in self.parts)

    @property
    def description(self) -> str:
        return INDICATORS[self.code][1]


def price_norms(ads: list[Ad]) -> dict[str, float]:
    """Median advertised price per city (lower case), with ``""`` for all cities together."""
    by_city: dict[str, list[float]] = defaultdict(list)
    for ad in ads:
        if ad.price:
            by_city[ad.city.lower()].append(ad.price)
    everything = [p for prices in by_city.values() for p in prices]
    norms = {"": statistics.median(everything)} if everything else {}
    for city, prices in by_city.items():
        if len(prices) >= NORM_MINIMUM:
            norms[city] = statistics.median(prices)
    return norms


def _matches(pattern: re.Pattern[str], ads: list[Ad]) -> tuple[list[str], list[str]]:
    keys: list[str] = []
    phrases: list[str] = []
    for ad in ads:
        found = pattern.findall(f"{ad.title} {ad.text}")
        if found:
            keys.append(ad.key)
            phrases.extend(f.lower() for f in found)
    return keys, sorted(set(phrases))


def cluster_indicators(
    ads: list[Ad], *, norms: dict[str, float], text_links: Sequence[tuple[str, str]] = ()
) -> list[Indicator]:
    """The indicators that hold for a cluster's ads. ``text_links`` are the pairs of ads the
    linker joined because their texts are near-duplicates."""
    found: list[Indicator] = []

    def add(code: str, parts: list[Part], keys: list[str]) -> None:
        found.append(Indicator(code, INDICATORS[code][0], parts, sorted(set(keys))))

    def quoted(phrases: list[str], limit: int) -> list[Part]:
        return [("%(phrases)s", {"phrases": ", ".join(f'"{p}"' for p in phrases[:limit])})]

    names_by_phone: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for ad in ads:
        for phone in ad.phones:
            if ad.name:
                names_by_phone[phone][ad.name.strip().lower()].append(ad.key)
    crowded = sorted(
        ((phone, names) for phone, names in names_by_phone.items() if len(names) >= 3),
        key=lambda item: -len(item[1]),
    )
    if crowded:
        details: list[Part] = [
            (
                "%(phone)s: %(count)d names (%(names)s)",
                {
                    "phone": phone,
                    "count": len(names),
                    "names": ", ".join(sorted(n.title() for n in names)),
                },
            )
            for phone, names in crowded[:3]
        ]
        if len(crowded) > 3:
            details.append(("and %(count)d more numbers", {"count": len(crowded) - 3}))
        keys = [k for _, names in crowded for ks in names.values() for k in ks]
        add("many_personas_one_number", details, keys)

    dated: list[tuple[datetime, Ad]] = sorted(
        ((ad.posted_at, ad) for ad in ads if ad.posted_at and ad.city), key=lambda item: item[0]
    )
    for i, (start, _) in enumerate(dated):
        window = [(when, ad) for when, ad in dated[i:] if when - start <= ROTATION_WINDOW]
        cities = list(dict.fromkeys(ad.city for _, ad in window))
        if len(cities) >= ROTATION_CITIES:
            firsts: dict[str, datetime] = {}
            for when, ad in window:
                firsts.setdefault(ad.city, when)
            route = " → ".join(f"{city} ({when:%d-%m})" for city, when in firsts.items())
            add(
                "city_rotation",
                [
                    (
                        "%(count)d cities in %(days)d days: %(route)s",
                        {"count": len(cities), "days": ROTATION_WINDOW.days, "route": route},
                    )
                ],
                [ad.key for _, ad in window],
            )
            break

    keys, phrases = _matches(_NEW_IN_TOWN, ads)
    if keys:
        add("new_in_town", quoted(phrases, 4), keys)
    keys, phrases = _matches(_THIRD_PERSON, ads)
    first_keys, _ = _matches(_FIRST_PERSON, ads)
    if keys and len(keys) * 2 >= len(ads) and len(first_keys) < len(keys):
        add("third_person", quoted(phrases, 4), keys)
    keys, phrases = _matches(_ALWAYS, ads)
    if keys:
        add("always_available", quoted(phrases, 3), keys)

    young = [(ad.key, ad.age) for ad in ads if ad.age is not None and ad.age < 18]
    keys, phrases = _matches(_YOUNG, ads)
    if young:
        add(
            "minor_hints",
            [("stated age %(age)d", {"age": min(age for _, age in young)})],
            [key for key, _ in young] + keys,
        )
    elif keys:
        add("minor_hints", quoted(phrases, 3), keys)

    prices = [(ad, ad.price) for ad in ads if ad.price]
    if prices and norms:
        median = statistics.median(price for _, price in prices)
        price_cities = {ad.city.lower() for ad, _ in prices}
        norm = statistics.median(norms.get(c, norms.get("", median)) for c in price_cities)
        if median < LOW_PRICE_SHARE * norm:
            add(
                "low_price",
                [
                    (
                        "median €%(median)s against €%(norm)s locally",
                        {"median": f"{median:.0f}", "norm": f"{norm:.0f}"},
                    )
                ],
                [ad.key for ad, price in prices if price < LOW_PRICE_SHARE * norm],
            )

    by_key = {ad.key: ad for ad in ads}
    other_names = [
        (a, b)
        for a, b in text_links
        if a in by_key
        and b in by_key
        and by_key[a].name
        and by_key[b].name
        and by_key[a].name.lower() != by_key[b].name.lower()
    ]
    if other_names:
        names = sorted({by_key[k].name for pair in other_names for k in pair})
        add(
            "same_text_other_names",
            [
                (
                    "one text under %(count)d names (%(names)s)",
                    {"count": len(names), "names": ", ".join(names[:6])},
                )
            ],
            [k for pair in other_names for k in pair],
        )
    return found


def score(indicators: list[Indicator]) -> float:
    return round(sum(i.weight for i in indicators), 1)
