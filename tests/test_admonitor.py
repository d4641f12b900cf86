"""The ad monitor in Baken: files taken in (again without change), bad records named in Dutch,
ranked clusters explained to investigators with every look-up audited, a reviewed cluster handed
to casework as a signal with its evidence, counts only for the municipal view, and retention."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from baken.admonitor.engine.synthetic import generate
from baken.admonitor.models import Ad, AdvertiserWeek, Cluster, IngestRun
from baken.admonitor.services import admonitor_purge, ads_ingest
from baken.audit.models import AuditEvent
from baken.casework.models import Signal
from baken.lib.storage import private_storage

pytestmark = pytest.mark.django_db

TWENTE = ["Enschede", "Hengelo", "Almelo", "Oldenzaal", "Borne"]


def corpus_file(size=300, seed=4) -> tuple[bytes, object]:
    corpus = generate(size, seed=seed, cities=TWENTE)
    lines = [json.dumps(r, ensure_ascii=False) for r in corpus.records]
    return ("\n".join(lines) + "\n").encode(), corpus


def upload(client, content: bytes, name="advertenties.jsonl"):
    return client.post(
        "/werk/advertenties/inlezen/",
        {"file": SimpleUploadedFile(name, content, content_type="application/octet-stream")},
    )


def test_a_file_is_taken_in_once_and_bad_records_are_named_in_dutch(persona):
    _, supervisor = persona("supervisor")
    content, _ = corpus_file(120)
    content += b'{"id": "kapot"}\n{geen json\n'
    response = upload(supervisor, content)
    assert response.status_code == 302
    page = supervisor.get(response["Location"]).content.decode()
    assert re.search(r'id="ads-new">120<', page)
    assert "Regel 121: &#x27;text&#x27; ontbreekt of is leeg" in page
    assert "Regel 122: geen geldige JSON" in page

    again = supervisor.get(upload(supervisor, content)["Location"]).content.decode()
    assert re.search(r'id="ads-new">0<', again) and re.search(r'id="ads-unchanged">120<', again)
    assert Ad.objects.count() == 120


def test_an_upload_that_is_not_text_is_refused_and_nothing_is_lost(persona):
    _, supervisor = persona("supervisor")
    content, _ = corpus_file(30)
    upload(supervisor, content)
    response = upload(supervisor, b"\xff\xfe\x00binary", name="plaatje.jsonl")
    assert response.status_code == 200
    assert "Dit is geen tekstbestand in UTF-8." in response.content.decode()
    response = upload(supervisor, b"x", name="advertenties.pdf")
    assert "Kies het formaat" in response.content.decode()
    assert Ad.objects.count() == 30


def test_investigators_see_ranked_clusters_explained_and_every_look_is_audited(persona):
    supervisor_user, supervisor = persona("supervisor")
    content, corpus = corpus_file(400)
    upload(supervisor, content)
    liaison_user, liaison = persona("liaison")
    listing = liaison.get("/werk/advertenties/").content.decode()
    first = int(re.search(r"/werk/advertenties/cluster/(\d+)/", listing).group(1))
    top = Cluster.objects.get(pk=first)
    owners = {corpus.operator_of[f"{a.site}:{a.ad_id}"] for a in top.ads.all()}
    assert len(owners) == 1 and corpus.kind_of[owners.pop()] == "operator"

    page = liaison.get(f"/werk/advertenties/cluster/{first}/").content.decode()
    assert "Waarom dit cluster een blik waard is" in page
    assert (
        re.search(r"zelfde telefoonnummer \+\d+ als advertentie \d", page)
        or "tekst bijna gelijk aan advertentie" in page
    )
    reads = AuditEvent.objects.filter(
        actor_id=liaison_user.pk, object_type="admonitor.Ad", action="read"
    )
    assert reads.count() == top.ads.count()


def test_a_reviewed_cluster_becomes_a_signal_with_its_evidence(persona):
    _, supervisor = persona("supervisor")
    content, _ = corpus_file(300)
    upload(supervisor, content)
    cluster = Cluster.objects.filter(merged_into=None, ads_count__gt=1).order_by("-score").first()
    refused = supervisor.post(
        f"/werk/advertenties/cluster/{cluster.pk}/beoordelen/", {"status": "signal"}
    )
    assert refused.status_code == 302 and Signal.objects.count() == 0
    supervisor.post(
        f"/werk/advertenties/cluster/{cluster.pk}/beoordelen/",
        {"status": "signal", "note": "Veel namen op één nummer, steeds een andere stad."},
    )
    cluster.refresh_from_db()
    assert cluster.review_status == "signal"
    signal = Signal.objects.get()
    assert cluster.signal == signal and signal.source == "ad_monitor"
    assert "Veel namen op één nummer" in signal.description
    assert f"cluster {cluster.pk}" in signal.description
    phone = json.loads(cluster.ads.first().contacts)["phones"][0]
    assert phone in signal.description
    _, coordinator = persona("coordinator")
    assert signal.reference in coordinator.get("/werk/meldingen/triage/").content.decode()


def test_a_supervisor_of_another_region_opens_no_cluster_of_this_one(persona):
    """Security finding 13: the ad monitor works per region, by the municipalities its ads name.
    A supervisor of IJsselland neither lists Twente's clusters nor opens or reviews one: the
    answer is the same 404 as for a cluster that does not exist, and nothing changes."""
    from baken.admonitor.models import ClusterReview
    from tests.conftest import other_region_member, verified_client

    _, supervisor = persona("supervisor")
    upload(supervisor, corpus_file(200)[0])
    cluster = Cluster.objects.filter(merged_into=None, ads_count__gt=1).order_by("-score").first()
    assert supervisor.get(f"/werk/advertenties/cluster/{cluster.pk}/").status_code == 200
    stranger_user = other_region_member("toezicht-zwolle", "supervisor")
    stranger = verified_client(stranger_user)

    assert "/werk/advertenties/cluster/" not in stranger.get("/werk/advertenties/").content.decode()
    merged = Cluster.objects.exclude(merged_into=None).filter(merged_into__merged_into=None)[0]
    followed = supervisor.get(f"/werk/advertenties/cluster/{merged.pk}/")
    assert followed.status_code == 302 and followed["Location"].endswith(
        f"/cluster/{merged.merged_into_id}/"
    )
    missing = Cluster.objects.order_by("-pk").first().pk + 1
    for cluster_id in (cluster.pk, merged.pk, missing):
        assert stranger.get(f"/werk/advertenties/cluster/{cluster_id}/").status_code == 404
        review = stranger.post(
            f"/werk/advertenties/cluster/{cluster_id}/beoordelen/",
            {"status": "signal", "note": "Veel namen op één nummer."},
        )
        assert review.status_code == 404
    cluster.refresh_from_db()
    assert cluster.review_status == "new" and cluster.signal_id is None
    assert not ClusterReview.objects.exists() and not Signal.objects.exists()
    assert not AuditEvent.objects.filter(actor_id=stranger_user.pk, object_type="admonitor.Ad")


def test_the_municipal_view_shows_counts_and_nothing_personal(persona):
    _, supervisor = persona("supervisor")
    content, corpus = corpus_file(200)
    upload(supervisor, content)
    _, analyst = persona("analyst")
    page = analyst.get("/werk/advertenties/gemeenten/").content.decode()
    assert 'id="advertisers-per-week"' in page and "Enschede" in page
    for ad in Ad.objects.all():
        assert not any(phone in page for phone in json.loads(ad.contacts)["phones"])
        assert ad.title not in page
    total = sum(AdvertiserWeek.objects.values_list("advertisers", flat=True))
    assert total > 0
    assert analyst.get("/werk/advertenties/").status_code == 403


def test_raw_ads_go_after_the_retention_period_and_the_counts_stay(persona, settings):
    _, supervisor = persona("supervisor")
    content, _ = corpus_file(60)
    upload(supervisor, content)
    weeks_before = AdvertiserWeek.objects.count()
    later = timezone.now() + timedelta(days=settings.ADMONITOR_RETENTION_DAYS + 400)
    report = admonitor_purge(dry_run=True, now=later)
    assert report.ads == 60 and Ad.objects.count() == 60
    admonitor_purge(dry_run=False, now=later)
    assert Ad.objects.count() == 0
    assert AdvertiserWeek.objects.count() == weeks_before > 0


def test_a_saved_html_page_and_a_csv_file_are_read_by_their_parsers(persona):
    page = """<html><body>
      <article class="ad" data-id="v1"><a class="ad-link" href="https://voorbeeld.example/v1">x</a>
        <h2>Nina in Almelo</h2><p class="ad-text">Nieuw in Almelo! Bel o6-l2 34 56 78</p>
        <span class="ad-city">Almelo</span><span class="ad-name">Nina</span>
        <time datetime="2026-11-02T20:00:00+01:00"></time><img data-hash="aa11"></article>
      <article class="ad" data-id="v2"><h2>Lisa</h2><p class="ad-text">Lisa, 06 12345678</p>
        <span class="ad-city">Hengelo</span><span class="ad-name">Lisa</span><img data-hash="aa11"></article>
      <article class="ad" data-id="v3"><h2>Leeg</h2></article>
    </body></html>"""
    run = ads_ingest(
        content=page.encode(), file_name="pagina.html", parser="html:voorbeeld-advertenties"
    )
    assert run.ads_new == 2 and run.bad_lines == [
        {"line": 3, "message": "'text' ontbreekt of is leeg"}
    ]
    first, second = Ad.objects.order_by("ad_id")
    assert first.cluster_id == second.cluster_id
    assert json.loads(first.contacts)["phones"] == ["+31612345678"]
    csv_text = "id;text;city;image_hashes\nc1;Sanne bel 0687654321;Borne;bb22|cc33\nc2;;Borne;\n"
    run = ads_ingest(content=csv_text.encode(), file_name="lijst.csv", parser="csv")
    assert run.ads_new == 1 and run.bad_count == 1
    assert json.loads(Ad.objects.get(ad_id="c1").contacts)["images"] == ["bb22", "cc33"]
    assert IngestRun.objects.count() == 2


def test_a_scheduled_job_takes_in_each_dropped_file_once(db, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    content, _ = corpus_file(40)
    (tmp_path / "maandag.jsonl").write_bytes(content)
    out = StringIO()
    call_command("ads", "ingest", "--inbox", str(tmp_path), stdout=out, stderr=StringIO())
    assert "40 new ads" in out.getvalue()
    assert (tmp_path / "verwerkt" / "maandag.jsonl").exists()
    (tmp_path / "dinsdag.jsonl").write_bytes(content)  # the same file again under another name
    out = StringIO()
    call_command("ads", "ingest", "--inbox", str(tmp_path), stdout=out, stderr=StringIO())
    assert "dinsdag.jsonl: taken in before" in out.getvalue()
    assert Ad.objects.count() == 40


def test_the_cluster_page_draws_its_links(persona):
    _, supervisor = persona("supervisor")
    content, _ = corpus_file(200)
    upload(supervisor, content)
    cluster = (
        Cluster.objects.filter(merged_into=None, ads_count__gte=3).order_by("-ads_count").first()
    )
    page = supervisor.get(f"/werk/advertenties/cluster/{cluster.pk}/").content.decode()
    drawing = re.search(r'<svg[^>]*class="baken-cluster-graph".*?</svg>', page, re.S).group(0)
    assert drawing.count("<circle") == cluster.ads_count
    assert drawing.count("<line") >= cluster.ads_count - 1  # connected: at least a tree
    assert "http" not in drawing.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_an_upload_is_taken_in_by_a_background_task_that_keeps_no_copy(persona):
    """The web request stores the file and enqueues the work (here the immediate task backend
    runs it at once); the run page follows it; afterwards no copy of the file is left."""
    _, supervisor = persona("supervisor")
    content, _ = corpus_file(30)
    response = upload(supervisor, content)
    run = IngestRun.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{run.pk}/")
    assert run.status == IngestRun.Status.DONE and run.ads_new == 30
    storage = private_storage()
    left = storage.listdir("ad-uploads")[1] if storage.exists("ad-uploads") else []
    assert left == []
    audited = AuditEvent.objects.filter(object_type="admonitor.IngestRun", object_id=str(run.pk))
    assert audited.get().actor_name == "supervisor"


def test_an_upload_waiting_for_the_worker_is_stored_encrypted(persona, settings):
    """Until the worker has read it, the uploaded file lies in the private storage; ad texts
    carry names and phone numbers, so it waits there encrypted, like every private file."""
    # The worker does not come: the dummy backend keeps the task (django-tasks resets its
    # backends when the setting changes).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _, supervisor = persona("supervisor")
    content, corpus = corpus_file(5)
    upload(supervisor, content)
    storage = private_storage()
    [name] = storage.listdir("ad-uploads")[1]
    with storage.open(f"ad-uploads/{name}", "rb") as stream:
        stored = stream.read()
    assert stored.startswith(b"gAAAA")  # Fernet
    first_title = json.loads(content.splitlines()[0])["title"]
    assert first_title.encode() not in stored and b"title" not in stored
