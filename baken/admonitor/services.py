"""The ad monitor's business rules: ingest, incremental linking in the database, clusters with
indicators, review, hand-over to casework, retention.

The engine (``baken/admonitor/engine``) does the pure work: reading and checking records,
extracting contact details, MinHash signatures, indicators, templates. This module keeps the
state in the database so that a new day's ads join the clusters already there without redoing
history: each new ad looks up earlier ads by identifier digest and by LSH band key, joins (and
if need be merges) their clusters, and records why (``AdLink``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks import task

from baken.admonitor.engine.indicators import cluster_indicators, price_norms, score
from baken.admonitor.engine.linking import prepare, text_links_to_keep
from baken.admonitor.engine.records import Ad as EngineAd
from baken.admonitor.engine.records import AdError, ad_from_mapping, parse_moment
from baken.admonitor.engine.text import template_of
from baken.admonitor.models import (
    Ad,
    AdBand,
    AdIdentifier,
    AdLink,
    AdvertiserMove,
    AdvertiserWeek,
    Cluster,
    ClusterReview,
    IdentifierStat,
    IngestRun,
    ReviewStatus,
)
from baken.admonitor.parsers import parser_for, read_records
from baken.audit.services import Actor, AuditAction, acting_as, audit_read, audit_record
from baken.casework import services as casework
from baken.directory.models import Municipality
from baken.lib.crypto import decrypt_bytes, encrypt_bytes
from baken.lib.storage import private_storage
from baken.supervision.services import licensed_phone_numbers

__all__ = [
    "AdPurgeReport",
    "IngestError",
    "admonitor_purge",
    "licence_flags_refresh",
    "weekly_counts_refresh",
    "ads_ingest",
    "ads_ingest_later",
    "ads_inbox_ingest",
    "cluster_ads_for",
    "cluster_open",
    "cluster_review",
    "clusters_for",
    "clusters_ranked",
]

NUM_PERM = 64
THRESHOLD = 0.5
SHARED_LIMIT = 5
MAX_TEXT_LINKS = 3
BATCH = 500
MAX_BAD_LINES_KEPT = 500


class IngestError(ValueError):
    """A file that cannot be taken in at all (not text, unknown format)."""


def _digest(kind: str, value: str) -> str:
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, f"ad-{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _content_digest(record: dict) -> str:
    fields = {k: record.get(k) for k in sorted(record) if k not in ("first_seen", "last_seen")}
    return hashlib.sha256(json.dumps(fields, sort_keys=True, default=str).encode()).hexdigest()


def _seen(record: dict, name: str, fallback: datetime) -> datetime:
    moment = parse_moment(record.get(name), name)
    if moment is None:
        return fallback
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# --- ingest -----------------------------------------------------------------------------------


def ads_inbox_ingest(*, folder: Path, parser: str = "") -> list[str]:
    """Take in every file in ``folder`` once, then move it to ``verwerkt/`` in it: the folder a
    collector drops its files into (the scheduler's ``ad_inbox`` job, ``baken ads ingest
    --inbox``). A file taken in before (same SHA-256) is only moved; a file that cannot be taken
    in stays, with the reason in the returned lines. Returns one line per file."""
    if not folder.is_dir():
        raise IngestError(f"{folder} is not a folder")
    done = folder / "verwerkt"
    done.mkdir(exist_ok=True)
    lines = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if IngestRun.objects.filter(sha256=digest, status="done").exists():
            lines.append(f"{path.name}: taken in before")
        else:
            try:
                run = ads_ingest(
                    content=content, file_name=path.name, parser=parser_for(path.name, parser)
                )
            except (IngestError, ValueError) as error:
                lines.append(f"{path.name}: not taken in ({error or 'no parser for this file'})")
                continue
            lines.append(
                f"{path.name}: {run.ads_new} new ads, {run.ads_seen_again} seen again, "
                f"{run.bad_count} bad lines"
            )
        path.rename(done / path.name)
    return lines


def _ingest_run_new(*, content: bytes, file_name: str, parser: str, user) -> tuple[IngestRun, str]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IngestError("not UTF-8 text") from None
    run = IngestRun.objects.create(
        file_name=file_name[:200],
        sha256=hashlib.sha256(content).hexdigest(),
        parser=parser,
        by=user,
        lines_total=max(text.count("\n"), 1),
    )
    return run, text


def ads_ingest(
    *, content: bytes, file_name: str, parser: str, user=None, progress=None
) -> IngestRun:
    """Take in a file of ads. Re-ingesting the same file changes nothing; a bad record is
    reported with its line (or position) and skipped, the rest goes on. ``progress`` is called
    with the run after every batch (the command line and the web page show it)."""
    run, text = _ingest_run_new(content=content, file_name=file_name, parser=parser, user=user)
    return _ingest_into(run, text, progress)


def ads_ingest_later(*, content: bytes, file_name: str, parser: str, user=None) -> IngestRun:
    """An uploaded file, taken in by the worker instead of the web request: the run exists at
    once (its page shows the progress), the file waits in the private storage until the task
    has read it. The task is enqueued in the same transaction as the run (django-tasks'
    database backend), so the worker never sees one without the other."""
    run, _text = _ingest_run_new(content=content, file_name=file_name, parser=parser, user=user)
    # Encrypted like every private file (ad texts hold names and numbers); the storage may
    # rename to keep an existing file: the task gets the name it chose.
    stored = private_storage().save(
        f"ad-uploads/{uuid.uuid4().hex}.bin", ContentFile(encrypt_bytes(content))
    )
    ads_ingest_task.enqueue(run.pk, stored)
    return run


@task()
def ads_ingest_task(run_id: int, name: str) -> str:
    """The worker's part of ``ads_ingest_later``: take in the stored file, then delete it."""
    run = IngestRun.objects.get(pk=run_id)
    storage = private_storage()
    try:
        with storage.open(name, "rb") as stream:
            raw = stream.read()
        # ``.txt``: stored in plain text by a Baken from before 2026-12 and still waiting.
        text = (raw if name.endswith(".txt") else decrypt_bytes(raw)).decode("utf-8-sig")
        with acting_as(
            Actor.for_user(run.by, origin="task")
            if run.by
            else Actor(actor_name="ads", origin="task")
        ):
            _ingest_into(run, text, None)
    finally:
        storage.delete(name)
    return f"{run.ads_new} new ads"


def _ingest_into(
    run: IngestRun, text: str, progress: Callable[[IngestRun], None] | None
) -> IngestRun:
    municipalities = {m.name.lower(): m for m in Municipality.objects.all()}
    now = timezone.now()
    pending: list[tuple[dict, EngineAd, datetime, datetime, str]] = []
    try:
        for position, item in read_records(text, run.parser):
            run.lines_done = position
            if isinstance(item, AdError):
                _bad(run, position, _message(item))
                continue
            try:
                ad = ad_from_mapping(item)
                posted = ad.posted_at
                if posted is not None and timezone.is_naive(posted):
                    posted = timezone.make_aware(posted)
                    ad.posted_at = posted
                first = _seen(item, "first_seen", posted or now)
                last = _seen(item, "last_seen", posted or now)
            except AdError as error:
                _bad(run, position, _message(error))
                continue
            pending.append((item, ad, first, max(first, last), _content_digest(item)))
            if len(pending) >= BATCH:
                _store_batch(run, pending, municipalities)
                pending = []
                run.save()
                if progress:
                    progress(run)
        if pending:
            _store_batch(run, pending, municipalities)
        weekly_counts_refresh()
        run.status = IngestRun.Status.DONE
    except Exception:
        run.status = IngestRun.Status.FAILED
        raise
    finally:
        run.finished_at = timezone.now()
        run.lines_done = max(run.lines_done, run.lines_total if run.status == "done" else 0)
        run.save()
        if progress:
            progress(run)
    audit_record(
        action=AuditAction.CREATE,
        object_type="admonitor.IngestRun",
        object_id=run.pk,
        fields=["ads"],
        purpose=f"ingest {run.file_name}",
    )
    return run


def _message(error: AdError) -> str:
    """The reason in the language of whoever is taking the file in."""
    return gettext(error.template) % error.params if error.params else gettext(error.template)


def _bad(run: IngestRun, position: int, message: str) -> None:
    run.bad_count += 1
    if len(run.bad_lines) < MAX_BAD_LINES_KEPT:
        run.bad_lines.append({"line": position, "message": message})


@transaction.atomic
def _store_batch(run: IngestRun, batch, municipalities) -> None:
    keys = [(ad.site or "", ad.id) for _, ad, *_ in batch]
    existing = {
        (a.site, a.ad_id): a
        for a in Ad.objects.filter(Q(*[Q(site=s, ad_id=i) for s, i in keys], _connector=Q.OR)).only(
            "id", "site", "ad_id", "content_digest", "first_seen", "last_seen"
        )
    }
    fresh: list[tuple[EngineAd, datetime, datetime, str]] = []
    seen_in_batch = set()
    for _item, ad, first, last, digest in batch:
        key = (ad.site or "", ad.id)
        if key in seen_in_batch:
            continue
        seen_in_batch.add(key)
        known = existing.get(key)
        if known is None:
            fresh.append((ad, first, last, digest))
            continue
        changed: list[str] = []
        if first < known.first_seen:
            known.first_seen, changed = first, [*changed, "first_seen"]
        if last > known.last_seen:
            known.last_seen, changed = last, [*changed, "last_seen"]
        if changed:
            known.save(update_fields=changed)
            run.ads_seen_again += 1
        else:
            run.ads_unchanged += 1
    if not fresh:
        return
    prepared = prepare([ad for ad, *_ in fresh], num_perm=NUM_PERM, threshold=THRESHOLD)
    created = []
    for (ad, first, last, digest), item in zip(fresh, prepared, strict=True):
        signature = item.signature
        row = Ad.objects.create(
            site=ad.site or "",
            ad_id=ad.id,
            url=ad.url,
            first_seen=first,
            last_seen=last,
            posted_at=ad.posted_at,
            title=ad.title,
            text=ad.text,
            name=ad.name,
            city=ad.city,
            municipality=municipalities.get(ad.city.lower()),
            price=ad.price,
            age=ad.age,
            contacts=json.dumps(
                {
                    "phones": ad.phones,
                    "emails": ad.emails,
                    "handles": ad.handles,
                    "images": list(ad.image_hashes),
                }
            ),
            signature=signature.tobytes(),
            content_digest=digest,
            ingest=run,
        )
        identifiers = (
            [("phone", p) for p in ad.phones]
            + [("email", e) for e in ad.emails]
            + [("handle", h) for h in ad.handles]
            + [("image", i) for i in ad.image_hashes]
        )
        AdIdentifier.objects.bulk_create(
            [AdIdentifier(ad=row, kind=k, digest=_digest(k, v)) for k, v in identifiers],
            ignore_conflicts=True,
        )
        AdBand.objects.bulk_create(
            [AdBand(ad=row, band=b, key=key) for b, key in enumerate(item.bands)]
        )
        created.append(row)
        run.ads_new += 1
    touched = link_new(created)
    clusters_refresh(touched)


# --- incremental linking ----------------------------------------------------------------------


def link_new(ads: list[Ad]) -> set[int]:
    """Join new ads to the clusters already there; returns the ids of the clusters touched."""
    touched: set[int] = set()
    for ad in ads:
        touched |= _link_one(ad)
    return touched


def _link_one(ad: Ad) -> set[int]:
    mine = list(AdIdentifier.objects.filter(ad=ad).values_list("kind", "digest"))
    phones = {d for k, d in mine if k == "phone"}
    newly_shared = []
    for kind, digest in mine:
        stat, _ = IdentifierStat.objects.get_or_create(digest=digest, defaults={"kind": kind})
        beside = set(stat.beside)
        grew = (phones - {digest}) - beside
        if grew and len(beside) <= SHARED_LIMIT:
            stat.beside = sorted(beside | grew)[: SHARED_LIMIT + 1]
            if len(stat.beside) > SHARED_LIMIT and not stat.shared:
                stat.shared = True
                stat.shared_reason = f"seen beside more than {SHARED_LIMIT} phone numbers"
                newly_shared.append(digest)
            stat.save()
    shared = set(
        IdentifierStat.objects.filter(digest__in=[d for _, d in mine], shared=True).values_list(
            "digest", flat=True
        )
    )
    links: list[AdLink] = []
    for kind, digest in mine:
        if digest in shared:
            continue
        other = (
            AdIdentifier.objects.filter(digest=digest)
            .exclude(ad=ad)
            .order_by("ad_id")
            .values_list("ad_id", flat=True)
            .first()
        )
        if other is not None:
            links.append(AdLink(ad=ad, other_id=other, kind=kind, digest=digest))
    links += _text_links(ad)
    AdLink.objects.bulk_create(links)
    clusters = set(
        Ad.objects.filter(pk__in={link.other_id for link in links})
        .exclude(cluster=None)
        .values_list("cluster_id", flat=True)
    )
    if clusters:
        survivor = _merge(sorted(clusters))
    else:
        survivor = Cluster.objects.create(first_seen=ad.first_seen, last_seen=ad.last_seen).pk
    Ad.objects.filter(pk=ad.pk).update(cluster_id=survivor)
    ad.cluster_id = survivor
    touched = {survivor}
    for digest in newly_shared:
        touched |= _unweld(digest)
    return touched


def _text_links(ad: Ad) -> list[AdLink]:
    keys = list(AdBand.objects.filter(ad=ad).values_list("band", "key"))
    if not keys:
        return []
    condition = Q(*[Q(band=b, key=k) for b, k in keys], _connector=Q.OR)
    candidates = set(
        AdBand.objects.filter(condition).exclude(ad=ad).values_list("ad_id", flat=True)
    )
    if not candidates:
        return []
    mine = np.frombuffer(bytes(ad.signature), dtype=np.uint32)
    scored = []
    for other_id, signature in Ad.objects.filter(pk__in=candidates).values_list("id", "signature"):
        similarity = float((np.frombuffer(bytes(signature), dtype=np.uint32) == mine).mean())
        if similarity >= THRESHOLD:
            scored.append((similarity, other_id))
    scored.sort(key=lambda item: -item[0])
    cluster_of = dict(
        Ad.objects.filter(pk__in=[o for _, o in scored]).values_list("id", "cluster_id")
    )
    chosen = text_links_to_keep(
        [(round(sim, 2), other) for sim, other in scored],
        cluster_of.get,
        best=MAX_TEXT_LINKS,
        max_groups=2 * SHARED_LIMIT,
    )
    if chosen is None:
        return []
    return [
        AdLink(ad=ad, other_id=other_id, kind="text", score=score) for score, other_id in chosen[0]
    ]


def _merge(cluster_ids: list[int]) -> int:
    """Merge clusters into the oldest; a review of any of them is kept on the survivor."""
    survivor, *others = cluster_ids
    if others:
        Ad.objects.filter(cluster_id__in=others).update(cluster_id=survivor)
        Cluster.objects.filter(pk__in=others).update(merged_into_id=survivor, ads_count=0)
        strongest = (
            Cluster.objects.filter(pk__in=cluster_ids)
            .exclude(review_status=ReviewStatus.NEW)
            .order_by("-updated_at")
            .first()
        )
        if strongest is not None and strongest.pk != survivor:
            Cluster.objects.filter(pk=survivor, review_status=ReviewStatus.NEW).update(
                review_status=strongest.review_status
            )
    return survivor


def _unweld(digest: str) -> set[int]:
    """An identifier turned out to be widely shared: rebuild the clusters it had joined from
    the remaining links, the largest part keeping the cluster."""
    clusters = set(
        Ad.objects.filter(identifiers__digest=digest)
        .exclude(cluster=None)
        .values_list("cluster_id", flat=True)
    )
    touched = set(clusters)
    shared = set(IdentifierStat.objects.filter(shared=True).values_list("digest", flat=True))
    for cluster_id in clusters:
        members = list(Ad.objects.filter(cluster_id=cluster_id).values_list("id", flat=True))
        edges = [
            (a, b)
            for a, b, link_digest in AdLink.objects.filter(ad_id__in=members).values_list(
                "ad_id", "other_id", "digest"
            )
            if link_digest not in shared
        ]
        parts = _components(members, edges)
        ordered = sorted(parts, key=len, reverse=True)
        for part in ordered[1:]:
            fresh = Cluster.objects.create()
            Ad.objects.filter(pk__in=part).update(cluster=fresh)
            touched.add(fresh.pk)
    return touched


def _components(members: list[int], edges: list[tuple[int, int]]) -> list[list[int]]:
    """Connected parts of ``members`` under ``edges`` (edges leaving the members are ignored)."""
    parent = {m: m for m in members}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            parent[find(a)] = find(b)
    parts: dict[int, list[int]] = defaultdict(list)
    for m in members:
        parts[find(m)].append(m)
    return list(parts.values())


# --- clusters ---------------------------------------------------------------------------------


def _engine_ad(row: Ad) -> EngineAd:
    contacts = json.loads(row.contacts or "{}")
    return EngineAd(
        id=str(row.pk),
        text=row.text or "",
        title=row.title or "",
        name=row.name or "",
        city=row.city,
        posted_at=row.posted_at or row.first_seen,
        price=row.price,
        age=row.age,
        image_hashes=tuple(contacts.get("images", [])),
        phones=contacts.get("phones", []),
        emails=contacts.get("emails", []),
        handles=contacts.get("handles", []),
    )


def _norms() -> dict[str, float]:
    rows = Ad.objects.exclude(price=None).values_list("city", "price")
    return price_norms([EngineAd(id="", text="", city=c, price=p) for c, p in rows])


def clusters_refresh(cluster_ids: set[int]) -> None:
    """Recompute counts, indicators, template and score of these clusters."""
    if not cluster_ids:
        return
    norms = _norms()
    for cluster in Cluster.objects.filter(pk__in=cluster_ids):
        rows = list(Ad.objects.filter(cluster=cluster).order_by("posted_at", "id"))
        if not rows:
            cluster.ads_count = 0
            cluster.save(update_fields=["ads_count"])
            continue
        ads = [_engine_ad(r) for r in rows]
        pairs = AdLink.objects.filter(ad__cluster=cluster, other__cluster=cluster, kind="text")
        text_links = [(str(a), str(b)) for a, b in pairs.values_list("ad_id", "other_id")]
        found = cluster_indicators(ads, norms=norms, text_links=text_links)
        template = template_of([a.text for a in ads]) if len(ads) > 1 else None
        cluster.indicators = [
            {
                "code": i.code,
                "weight": i.weight,
                "detail": i.detail,
                "parts": [[template, params] for template, params in i.parts],
                "ads": [int(k) for k in i.ads],
            }
            for i in found
        ]
        cluster.score = score(found)
        cluster.template = template.as_dict() if template else {}
        cluster.ads_count = len(rows)
        cluster.personas_count = len({(r.name or "").lower() for r in rows if r.name})
        cluster.cities = list(dict.fromkeys(r.city for r in rows if r.city))
        cluster.first_seen = min(r.first_seen for r in rows)
        cluster.last_seen = max(r.last_seen for r in rows)
        cluster.updated_at = timezone.now()
        cluster.save()


# --- Need to know: an investigator works on the clusters that advertise in their own region ----


def clusters_for(user) -> QuerySet[Cluster]:
    """The clusters with at least one ad in a municipality of the user's region.

    A cluster whose ads name no known municipality belongs to no region, so nobody opens it.
    """
    organisation = getattr(user, "organisation", None)
    region = organisation.region_id if organisation is not None else None
    if region is None:
        return Cluster.objects.none()
    in_region = Ad.objects.filter(cluster=OuterRef("pk"), municipality__region_id=region)
    return Cluster.objects.filter(Exists(in_region))


def clusters_ranked(*, user):
    """The user's clusters worth a look first: highest score, then most recent; merged ones
    left out."""
    return (
        clusters_for(user)
        .filter(merged_into=None, ads_count__gt=0)
        .order_by("-score", "-ads_count", "-last_seen")
    )


def cluster_open(*, user, cluster_id: int) -> Cluster | None:
    """The cluster to show for ``cluster_id``: itself, or the one it was merged into; ``None``
    when there is none or it is outside the user's region (the two look the same)."""
    cluster = Cluster.objects.filter(pk=cluster_id).first()
    for _hop in range(100):  # a merge points to an older cluster; the bound is only a guard
        if cluster is None or cluster.merged_into_id is None:
            break
        cluster = cluster.merged_into
    if cluster is None or cluster.merged_into_id is not None:
        return None
    return clusters_for(user).filter(pk=cluster.pk).first()


@dataclass
class ClusterView:
    cluster: Cluster
    ads: list[Ad]
    contacts: dict[int, dict]
    reasons: dict[int, list[AdLink]]
    shared: dict[str, str]


def cluster_ads_for(*, cluster: Cluster, purpose: str) -> ClusterView:
    """A cluster's ads with their contacts and links, the reading recorded in the audit trail."""
    ads = list(cluster.ads.order_by("posted_at", "id"))
    audit_read(ads, purpose=purpose, fields=["title", "text", "name", "contacts", "url"])
    reasons: dict[int, list[AdLink]] = defaultdict(list)
    for link in AdLink.objects.filter(ad__in=ads).select_related("other"):
        reasons[link.ad_id].append(link)
    digests = AdIdentifier.objects.filter(ad__in=ads).values_list("digest", flat=True)
    shared = dict(
        IdentifierStat.objects.filter(digest__in=digests, shared=True).values_list(
            "digest", "shared_reason"
        )
    )
    return ClusterView(
        cluster=cluster,
        ads=ads,
        contacts={a.pk: json.loads(a.contacts or "{}") for a in ads},
        reasons=reasons,
        shared=shared,
    )


def identifier_value(ad: Ad, kind: str, digest: str) -> str:
    """The readable identifier behind a digest, from the ad's (decrypted) contacts."""
    contacts = json.loads(ad.contacts or "{}")
    plural = {"phone": "phones", "email": "emails", "handle": "handles", "image": "images"}[kind]
    for value in contacts.get(plural, []):
        if _digest(kind, value) == digest:
            return value
    return ""


# --- review -----------------------------------------------------------------------------------


def cluster_review(*, cluster: Cluster, user, status: str, note: str = "") -> Cluster:
    """Record a reviewer's judgement; "signal" hands the cluster to casework with its evidence."""
    if status not in ReviewStatus.values or status == ReviewStatus.NEW:
        raise ValueError(status)
    with transaction.atomic():
        ClusterReview.objects.create(cluster=cluster, status=status, note=note.strip(), by=user)
        cluster.review_status = status
        if status == ReviewStatus.SIGNAL and cluster.signal_id is None:
            municipality = (
                Ad.objects.filter(cluster=cluster)
                .exclude(municipality=None)
                .values_list("municipality", flat=True)
                .first()
            )
            signal = casework.signal_create(
                reporter=user,
                source="ad_monitor",
                description=_evidence(cluster, note),
                municipality=(
                    Municipality.objects.filter(pk=municipality).first()
                    if municipality is not None
                    else None
                ),
                exploitation_forms=["sexual"],
            )
            cluster.signal = signal
        cluster.save(update_fields=["review_status", "signal"])
    return cluster


def _evidence(cluster: Cluster, note: str) -> str:
    """The signal's text: the reviewer's note, the indicators with their evidence, the ads."""
    lines = [
        f"Advertentiemonitor, cluster {cluster.pk}: {cluster.ads_count} advertenties, "
        f"{cluster.personas_count} namen, steden: {', '.join(cluster.cities)}."
    ]
    if note.strip():
        lines.append(f"Beoordelaar: {note.strip()}")
    for indicator in cluster.indicators:
        lines.append(f"- {indicator['code']}: {indicator_detail(indicator)}")
    for ad in cluster.ads.order_by("posted_at")[:50]:
        contacts = json.loads(ad.contacts or "{}")
        lines.append(
            f"* {ad.site} {ad.ad_id} ({ad.city}, {ad.posted_at or ad.first_seen:%Y-%m-%d}) "
            f"{', '.join(contacts.get('phones', []))} {ad.url or ''}".rstrip()
        )
    return "\n".join(lines)


def retention_cutoff(now=None) -> datetime:
    return (now or timezone.now()) - timedelta(days=settings.ADMONITOR_RETENTION_DAYS)


# --- the municipal view: anonymous weekly counts -----------------------------------------------


def _monday(moment) -> date:
    day = timezone.localtime(moment).date() if isinstance(moment, datetime) else moment
    return day - timedelta(days=day.weekday())


def licence_flags_refresh() -> bool:
    """Mark each cluster licensed when one of its numbers belongs to a business with a licence
    in force (the supervision register); False when the register has nothing to say yet."""
    numbers = licensed_phone_numbers()
    if numbers is None:
        Cluster.objects.exclude(licensed=None).update(licensed=None)
        return False
    digests = {_digest("phone", number) for number in numbers}
    licensed = set(
        Ad.objects.filter(identifiers__digest__in=digests)
        .exclude(cluster=None)
        .values_list("cluster_id", flat=True)
    )
    Cluster.objects.exclude(pk__in=licensed).update(licensed=False)
    Cluster.objects.filter(pk__in=licensed).update(licensed=True)
    return True


def weekly_counts_refresh() -> int:
    """Recount the weeks the ads still in the database cover (older weeks, whose ads are gone,
    keep their counts): distinct linked advertisers (clusters) per municipality and week, and
    advertisers that moved from one municipality to another between consecutive weeks."""
    licence_flags_refresh()
    rows = (
        Ad.objects.exclude(municipality=None)
        .exclude(cluster=None)
        .values_list("cluster_id", "municipality_id", "posted_at", "first_seen")
    )
    presence: dict[tuple[date, int], set[int]] = defaultdict(set)
    ads: dict[tuple[date, int], int] = defaultdict(int)
    where: dict[int, dict[date, set[int]]] = defaultdict(lambda: defaultdict(set))
    for cluster, municipality, posted, first in rows.iterator():
        week = _monday(posted or first)
        presence[(week, municipality)].add(cluster)
        ads[(week, municipality)] += 1
        where[cluster][week].add(municipality)
    licensed = set(Cluster.objects.filter(licensed=True).values_list("pk", flat=True))
    moves: dict[tuple[date, int, int], int] = defaultdict(int)
    arrived: dict[tuple[date, int], int] = defaultdict(int)
    for weeks in where.values():
        for week, places in weeks.items():
            before = weeks.get(week - timedelta(days=7), set())
            for destination in places - before:
                for origin in before - places:
                    moves[(week, origin, destination)] += 1
                if before - places:
                    arrived[(week, destination)] += 1
    covered = {week for week, _ in presence}
    with transaction.atomic():
        AdvertiserWeek.objects.filter(week__in=covered).delete()
        AdvertiserMove.objects.filter(week__in=covered).delete()
        AdvertiserWeek.objects.bulk_create(
            [
                AdvertiserWeek(
                    week=week,
                    municipality_id=municipality,
                    advertisers=len(clusters),
                    ads=ads[(week, municipality)],
                    licensed=len(clusters & licensed),
                    arrived_from_elsewhere=arrived[(week, municipality)],
                )
                for (week, municipality), clusters in presence.items()
            ]
        )
        AdvertiserMove.objects.bulk_create(
            [
                AdvertiserMove(week=w, origin_id=o, destination_id=d, advertisers=n)
                for (w, o, d), n in moves.items()
            ]
        )
    return len(presence)


# --- retention --------------------------------------------------------------------------------


@dataclass
class AdPurgeReport:
    ads: int
    clusters: int


def admonitor_purge(*, dry_run: bool, now=None) -> AdPurgeReport:
    """Delete raw ads last seen before the retention period (their weekly counts are kept), and
    clusters left without ads unless a reviewer made a signal of them."""
    cutoff = retention_cutoff(now)
    old = Ad.objects.filter(last_seen__lt=cutoff)
    count = old.count()
    if not dry_run and count:
        weekly_counts_refresh()  # count the weeks once more while their ads are still here
        old.delete()
    empty = Cluster.objects.filter(ads=None, signal=None)
    clusters = empty.count()
    if not dry_run:
        empty.delete()
    return AdPurgeReport(ads=count, clusters=clusters)


def indicator_detail(indicator: dict) -> str:
    """An indicator's evidence in the reader's language."""
    parts = indicator.get("parts")
    if not parts:
        return indicator.get("detail", "")
    return "; ".join(gettext(template) % params for template, params in parts)
