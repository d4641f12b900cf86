"""Casework at regional scale: fill PostgreSQL, then time what coordinators and partners feel.

    createdb -h 127.0.0.1 -U postgres baken_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/baken_bench \\
        .venv/bin/python bench/casework.py --signals 1000000 --cases 200000

Prints p50/p95 of the coordinator's triage queue (the page, through Django's test client),
of a search by phone number (the search-before-create check), and the API intake throughput
with 10% retried requests, with the number of lost and duplicated signals.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from baken.accounts.models import User  # noqa: E402
from baken.accounts.services import api_token_create  # noqa: E402
from baken.casework import pseudonyms  # noqa: E402
from baken.casework.models import Case, Person, Signal  # noqa: E402
from baken.casework.services import person_matches  # noqa: E402
from baken.demo.services import demo_load  # noqa: E402
from baken.directory.models import Municipality, Organisation, Region  # noqa: E402

STATUSES = ["new"] * 2 + ["advice"] * 40 + ["no_action"] * 30 + ["case"] * 28
SOURCES = ["police", "care", "municipality", "school", "chat", "citizen", "inspection"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def fill(n_signals: int, n_cases: int, batch: int = 5000) -> list[str]:
    """Bulk-insert signals (each with one person) and cases; returns some phones to search."""
    region = Region.objects.get(code="twente")
    municipalities = list(Municipality.objects.all())
    key = settings.PSEUDONYM_KEY.encode()
    now = timezone.now()
    rng = random.Random(42)
    phones_sample: list[str] = []
    case_ids: list[uuid.UUID] = []
    for start in range(0, n_cases, batch):
        cases = [
            Case(
                reference=f"C-B-{i:07d}",
                region=region,
                title="Benchmark",
                opened_at=now - timedelta(days=rng.randint(0, 1800)),
            )
            for i in range(start, min(start + batch, n_cases))
        ]
        Case.objects.bulk_create(cases)
        case_ids.extend(c.pk for c in cases)
    case_cursor = 0
    started = time.monotonic()
    for start in range(0, n_signals, batch):
        signals, persons = [], []
        for i in range(start, min(start + batch, n_signals)):
            status = rng.choice(STATUSES)
            received = now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
            case_id = None
            if status == "case" and case_cursor < len(case_ids):
                case_id = case_ids[case_cursor]
                case_cursor += 1
            is_crisis = status == "new" and rng.random() < 0.05
            signal = Signal(
                id=uuid.uuid4(),
                reference=f"M-B-{i:07d}",
                source=rng.choice(SOURCES),
                received_at=received,
                region=region,
                municipality=rng.choice(municipalities),
                description="Benchmark: gezien bij een controle.",
                urgency="crisis" if is_crisis else "normal",
                is_crisis=is_crisis,
                triage_due_at=received + timedelta(days=14),
                status=status,
                case_id=case_id,
            )
            phone = f"06{rng.randint(10_000_000, 99_999_999)}"
            if len(phones_sample) < 200 and rng.random() < 0.01:
                phones_sample.append(phone)
            signals.append(signal)
            persons.append(
                Person(
                    signal_id=signal.id,
                    role="possible_victim",
                    name=f"Persoon {i}",
                    phone=phone,
                    phone_pseudonym=pseudonyms.phone_pseudonym(phone, key),
                )
            )
        Signal.objects.bulk_create(signals)
        Person.objects.bulk_create(persons)
        if (start // batch) % 20 == 0:
            rate = (start + batch) / (time.monotonic() - started)
            print(f"  {start + batch:>9,} signals ({rate:,.0f}/s)", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return phones_sample


def verified_client(user: User) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY

    from baken.accounts.models import AuthenticatorApp

    device, _ = AuthenticatorApp.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def bench_queue(runs: int) -> list[float]:
    client = verified_client(User.objects.get(username="coordinator"))
    client.get("/werk/meldingen/triage/")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get("/werk/meldingen/triage/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times


def bench_phone_search(phones: list[str]) -> list[float]:
    coordinator = User.objects.get(username="coordinator")
    key = settings.PSEUDONYM_KEY.encode()
    times = []
    for phone in phones:
        probe = Person(phone_pseudonym=pseudonyms.phone_pseudonym(phone, key))
        started = time.perf_counter()
        matches = person_matches(person=probe, user=coordinator)
        times.append((time.perf_counter() - started) * 1000)
        assert matches, phone
    return times


def _api_worker(args) -> dict[int, int]:
    secret, data, keys = args
    connection.close()  # a fresh connection per process
    client = Client()
    statuses: dict[int, int] = {}
    for key in keys:
        response = client.post(
            "/api/v1/signals",
            data=data,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
            HTTP_IDEMPOTENCY_KEY=key,
        )
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    connection.close()
    return statuses


def bench_api(requests: int, workers: int) -> dict:
    """``workers`` processes post at once (like several ASGI workers); a retried key may land
    in another process at the same moment as its original, which idempotency must absorb."""
    import multiprocessing

    police = Organisation.objects.get(name="Politie Oost-Nederland, team Twente")
    _token, secret = api_token_create(organisation=police, name="bench")
    before = Signal.objects.filter(reporter_organisation=police).count()
    keys = [f"bench-{uuid.uuid4()}" for _ in range(requests)]
    rng = random.Random(7)
    plan = keys + [rng.choice(keys) for _ in range(requests // 10)]  # 10% retries
    rng.shuffle(plan)
    body = {
        "source": "police",
        "description": "Controle in een nagelstudio.",
        "municipality": "GM0153",
        "exploitation_forms": ["labour"],
        "persons": [{"role": "possible_victim", "phone": "0612345678"}],
    }
    data = json.dumps(body)
    shares = [plan[i::workers] for i in range(workers)]
    connection.close()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(_api_worker, [(secret, data, share) for share in shares])
    elapsed = time.perf_counter() - started
    statuses: dict[int, int] = {}
    for result in results:
        for code, count in result.items():
            statuses[code] = statuses.get(code, 0) + count
    created = Signal.objects.filter(reporter_organisation=police).count() - before
    return {
        "requests": len(plan),
        "unique_keys": len(keys),
        "workers": workers,
        "seconds": elapsed,
        "per_second": len(plan) / elapsed,
        "created": created,
        "lost": max(len(keys) - created, 0),
        "duplicated": max(created - len(keys), 0),
        "statuses": statuses,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--api-requests", type=int, default=2000)
    parser.add_argument("--api-workers", type=int, default=2, help="processes posting at once")
    parser.add_argument("--keep", action="store_true", help="do not fill again if data exist")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL=postgres://…/baken_bench")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    demo_load()
    if args.keep and Signal.objects.count() >= args.signals:
        phones = list(
            Person.objects.exclude(phone__isnull=True)
            .order_by("?")
            .values_list("phone", flat=True)[:100]
        )
        phones = [p for p in phones if p]
    else:
        print(f"Filling {args.signals:,} signals and {args.cases:,} cases …", flush=True)
        started = time.monotonic()
        phones = fill(args.signals, args.cases)
        print(f"  filled in {time.monotonic() - started:,.0f} s")
    print(
        f"Database: {Signal.objects.count():,} signals, {Case.objects.count():,} cases, "
        f"{Signal.objects.filter(status='new').count():,} waiting for triage"
    )
    queue = bench_queue(args.runs)
    print(
        f"Triage queue page: p50 {statistics.median(queue):.1f} ms, p95 {percentile(queue, 0.95):.1f} ms "
        f"({args.runs} requests)"
    )
    search = bench_phone_search(phones[: args.runs])
    print(
        f"Search by phone:   p50 {statistics.median(search):.1f} ms, p95 {percentile(search, 0.95):.1f} ms "
        f"({len(search)} searches)"
    )
    for workers in sorted({1, args.api_workers}):
        api = bench_api(args.api_requests, workers)
        print(
            f"API intake, {workers} worker(s): {api['per_second']:.0f} requests/s "
            f"({api['requests']} requests, {api['unique_keys']} unique keys, 10% retries) → "
            f"{api['created']} signals, {api['lost']} lost, {api['duplicated']} duplicated; "
            f"statuses {api['statuses']}"
        )


if __name__ == "__main__":
    main()
