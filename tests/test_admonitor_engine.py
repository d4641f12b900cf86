"""The ad monitor's engine on a synthetic Dutch corpus with exact ground truth: contact details
found however they are written, ads linked into their operators with a reason for every link,
widely shared numbers and stock photos kept from welding strangers together, linking that takes
a new day without redoing history, and indicators that explain clusters."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import Counter

import pytest
from django.core.management import call_command

from baken.admonitor.engine.contacts import emails_in, handles_in, phones_in
from baken.admonitor.engine.evaluation import pairwise_scores
from baken.admonitor.engine.indicators import cluster_indicators, price_norms, score
from baken.admonitor.engine.linking import Linker
from baken.admonitor.engine.records import Ad, ad_from_mapping
from baken.admonitor.engine.synthetic import generate
from baken.admonitor.engine.text import template_of


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Bel 06-12345678", ["+31612345678"]),
        ("bel me o6-12 34 56 78!", ["+31612345678"]),
        ("O6.l2.34.56.78", ["+31612345678"]),
        ("nul zes een twee drie vier vijf zes zeven acht", ["+31612345678"]),
        ("zero six one two three four five six seven eight", ["+31612345678"]),
        ("0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", ["+31612345678"]),
        ("𝟎𝟔𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖", ["+31612345678"]),
        ("０６１２３４５６７８", ["+31612345678"]),
        ("06🔥12🔥34🔥56🔥78", ["+31612345678"]),
        ("06*12*34*56*78", ["+31612345678"]),
        ("+31 6 1234 5678", ["+31612345678"]),
        ("0031612345678", ["+31612345678"]),
        ("6-12345678", ["+31612345678"]),
        ("whatsapp +40 721 234 567", ["+40721234567"]),
        ("0048 512 345 678", ["+48512345678"]),
        ("06-12345678 / 06-87654321", ["+31612345678", "+31687654321"]),
        ("Ik ben 23 jaar, 1.65 m, 150 euro per uur, 24/7 bereikbaar", []),
        ("Postcode 7511 AB, huisnummer 12", []),
    ],
)
def test_phone_numbers_are_found_however_they_are_written(written, expected):
    assert phones_in(written) == expected


def test_emails_and_handles_are_found_also_when_spelled_out():
    text = "Mail lisa (at) gmail punt com of Lisa.X@Hotmail.nl; telegram: @lisa_x, snap lisa123"
    assert emails_in(text) == ["lisa@gmail.com", "lisa.x@hotmail.nl"]
    assert handles_in(text) == ["telegram:lisa_x", "snapchat:lisa123"]


@pytest.fixture(scope="module")
def corpus():
    return generate(1500, seed=11)


@pytest.fixture(scope="module")
def linked(corpus, tmp_path_factory):
    """The corpus linked through the command line, as an analyst would run it."""
    path = tmp_path_factory.mktemp("ads") / "ads.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in corpus.records) + "\n")
    out, err = io.StringIO(), io.StringIO()
    call_command("ads", "link", str(path), "--format", "json", stdout=out, stderr=err)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    return {f"{r['site']}:{r['id']}": row for r, row in zip(corpus.records, rows, strict=True)}


def test_every_phone_number_of_every_ad_is_found_and_normalised(corpus, linked):
    wrong = {
        k: (row["phones"], corpus.phones_of[k])
        for k, row in linked.items()
        if row["phones"] != corpus.phones_of[k]
    }
    assert wrong == {}


def test_ads_are_linked_into_their_operators(corpus, linked):
    scores = pairwise_scores({k: row["cluster"] for k, row in linked.items()}, corpus.operator_of)
    assert scores.precision >= 0.98, scores
    assert scores.recall >= 0.98, scores
    assert scores.f1 >= 0.98, scores


def test_every_link_says_why(linked):
    sizes = {}
    for row in linked.values():
        sizes[row["cluster"]] = sizes.get(row["cluster"], 0) + 1
    for row in linked.values():
        if sizes[row["cluster"]] > 1:
            linking = [r for r in row["reasons"] if "not used for linking" not in r]
            assert linking, row
            assert all(
                r.split()[0] in {"phone", "email", "handle", "image", "text"} for r in linking
            )


def test_widely_shared_numbers_and_stock_photos_weld_nobody_together(corpus, linked):
    shared = set(corpus.shared_numbers)
    flagged = set()
    for row in linked.values():
        for reason in row["reasons"]:
            if "widely shared" in reason:
                flagged.add(reason.split()[1])
    assert shared & flagged == {n for n in shared if any(n in r["phones"] for r in linked.values())}
    for number in shared:
        operators = {corpus.operator_of[k] for k, row in linked.items() if number in row["phones"]}
        clusters = {row["cluster"] for row in linked.values() if number in row["phones"]}
        assert len(clusters) == len(operators) or len(operators) < 2


def test_linking_a_new_day_joins_existing_clusters_without_redoing_history(corpus):
    ads = sorted((ad_from_mapping(r) for r in corpus.records), key=lambda a: a.posted_at)
    cut = ads[len(ads) // 2].posted_at
    once = Linker()
    once.add([ad_from_mapping(r) for r in corpus.records])
    daily = Linker()
    daily.add([a for a in ads if a.posted_at < cut])
    before = {k: daily.cluster_of(k) for k in daily.index}
    added = daily.add([a for a in ads if a.posted_at >= cut])
    assert len(added) == len(ads) - len(before)
    assert daily.add(ads[:10]) == []  # ads seen before change nothing
    together = pairwise_scores(
        {k: once.cluster_of(k) for k in once.index}, {k: daily.cluster_of(k) for k in daily.index}
    )
    assert together.f1 >= 0.99
    kept = sum(1 for k, c in before.items() if daily.cluster_of(k) == c)
    assert kept / len(before) >= 0.9  # ids stay, except where a new ad joined two clusters


def clusters_with_indicators(corpus):
    ads = [ad_from_mapping(r) for r in corpus.records]
    linker = Linker()
    linker.add(ads)
    by_key = {a.key: a for a in ads}
    norms = price_norms(ads)
    result = []
    for members in linker.clusters().values():
        found = cluster_indicators(
            [by_key[k] for k in members], norms=norms, text_links=linker.text_links_within(members)
        )
        result.append((members, found))
    return result


def test_indicators_explain_operator_clusters_and_leave_independents_alone(corpus):
    result = clusters_with_indicators(corpus)
    ranked = sorted(result, key=lambda item: -score(item[1]))
    top = ranked[:20]
    assert all(corpus.kind_of[corpus.operator_of[m[0]]] == "operator" for m, _ in top)
    for members, found in result:
        owner = corpus.operator_of[members[0]]
        if corpus.kind_of[owner] == "independent":
            assert not any(i.code == "many_personas_one_number" for i in found), found
        for indicator in found:
            assert indicator.ads and set(indicator.ads) <= set(members)
            assert indicator.detail
    personas = next(i for _, found in top for i in found if i.code == "many_personas_one_number")
    assert "names (" in personas.detail and personas.detail.startswith("+")


def test_a_stated_age_under_eighteen_is_flagged_with_the_ad():
    ads = [
        Ad(id="a1", text="Nieuw meisje, bel 06-12345678", age=17, name="Kim", city="Almelo"),
        Ad(id="a2", text="Nieuw meisje, bel 06-12345678", age=19, name="Kim", city="Almelo"),
    ]
    linker = Linker()
    linker.add(ads)
    found = cluster_indicators(ads, norms=price_norms(ads))
    minor = next(i for i in found if i.code == "minor_hints")
    assert minor.ads == ["a1"] and "17" in minor.detail


def test_nationality_and_the_country_of_a_number_never_change_a_score(corpus):
    records = [r for r in corpus.records if r["text"]][:300]
    ads = [ad_from_mapping(r) for r in records]
    linker = Linker()
    linker.add(ads)
    members = max(linker.clusters().values(), key=len)
    by_key = {a.key: a for a in ads}
    cluster = [by_key[k] for k in members]
    before = score(cluster_indicators(cluster, norms=price_norms(ads)))
    for ad in cluster:
        ad.text += " Roemeense dame, spreekt Bulgaars. Bel +40 721 234 567."
        ad.phones = [p.replace("+31", "+40", 1) for p in ad.phones]
    after = score(cluster_indicators(cluster, norms=price_norms(ads)))
    assert after == before


def test_a_clusters_template_shows_what_is_shared_and_what_varies(corpus):
    sizes = Counter(corpus.operator_of.values())
    biggest = max((o for o in sizes if corpus.kind_of[o] == "operator"), key=sizes.get)
    mine = [r for r in corpus.records if corpus.operator_of[f"{r['site']}:{r['id']}"] == biggest]
    template = template_of([r["text"] for r in mine])
    assert template is not None
    values = {v for counter in template.slots.values() for v in counter}
    assert values & {r["name"].lower() for r in mine}  # the names are slots
    assert values & {r["city"].lower() for r in mine}  # and so are the cities
    assert "[1]" in str(template)


def test_bad_lines_are_named_on_stderr_and_the_rest_is_linked(tmp_path):
    path = tmp_path / "ads.jsonl"
    path.write_text(
        '{"id": "1", "text": "Lisa, bel 06-12345678"}\n'
        "{not json\n"
        '{"id": "3"}\n'
        '{"id": "4", "text": "Nina, bel o6 l2 34 56 78", "posted_at": "gisteren"}\n'
        '{"id": "5", "text": "Nina bel 0612345678", "image_hashes": ["ab12"]}\n'
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("ads", "link", str(path), "--format", "json", stdout=out, stderr=err)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in rows] == ["1", "5"]
    assert rows[0]["cluster"] == rows[1]["cluster"]
    assert rows[1]["reasons"] == ["phone +31612345678 (also in 1 other ad)"]
    assert err.getvalue().splitlines() == [
        "line 2: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 3: 'text' is missing or empty",
        "line 4: 'posted_at' is not a date and time: 'gisteren'",
    ]


def test_a_file_that_cannot_be_read_exits_with_status_two(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "ads", "link", str(tmp_path / "missing.jsonl")],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "baken.settings", "PATH": ""},
    )
    assert result.returncode == 2, result.stderr
    assert "cannot read" in result.stderr
