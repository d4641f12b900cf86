"""The chat under load: many visitors and counsellors, two ASGI workers, one of them killed.

    .venv/bin/python bench/chat.py                      # 1,000 visitors, 100 counsellors
    .venv/bin/python bench/chat.py --visitors 200 --counsellors 20 --duration 20   # quicker

What it does:

1. Creates a fresh PostgreSQL database (``--database``, default ``baken_chat_bench`` on
   127.0.0.1) and migrates it; loads the demo region; adds ``--counsellors`` counsellors with a
   session each; opens ``--visitors`` chats through ``chat.services`` and has them accepted,
   ten or so per counsellor.
2. Starts two ``baken serve`` processes (two ASGI workers on two ports) with the Redis channel
   layer (``--redis``) and that database, in demo mode (no second factor for the bench sessions).
3. Connects every visitor and every console over websockets, half to each worker.
4. Sends ``--rate`` messages per second for ``--duration`` seconds, half from visitors and half
   from counsellors, each to be delivered to the other side of its conversation. Every client
   behaves like the page's script: a send waits in an outbox until its echo comes back, and
   after a lost connection the client reconnects to the other worker, says hello with the last
   ``seq`` it has everything up to, and sends its outbox again with the same ``client_id``.
5. At ``--kill-at`` seconds it kills the second worker (SIGKILL) and starts it again
   ``--restart-after`` seconds later (as a process supervisor would). Clients reconnect to any
   worker, as behind a load balancer.

It prints the delivery latency (sender's send → recipient's receipt) p50/p95/p99 before the
kill and over the whole run, messages per second delivered, and the number of messages lost
(sent but never delivered) and delivered twice (dropped by the client's de-duplication).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--visitors", type=int, default=1000)
    parser.add_argument("--counsellors", type=int, default=100)
    parser.add_argument("--rate", type=float, default=200, help="messages per second")
    parser.add_argument("--duration", type=float, default=40, help="seconds of sending")
    parser.add_argument("--kill-at", type=float, default=20, help="kill worker 2 after (s)")
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--restart-after", type=float, default=2, help="restart it after (s)")
    parser.add_argument("--drain", type=float, default=60, help="wait for late messages (s)")
    parser.add_argument("--database", default="baken_chat_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--ports", default="8301,8302")
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


# --- setup (Django, synchronous) --------------------------------------------------------------


def prepare_database(args) -> list[dict]:
    """A fresh database with the demo region, counsellors with sessions and accepted chats.
    Returns one dict per chat: token, conversation id and the counsellor's session key."""
    import psycopg

    with psycopg.connect(f"{args.pg}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
    os.environ["DATABASE_URL"] = f"{args.pg}/{args.database}"
    os.environ["REDIS_URL"] = args.redis
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baken.settings")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from baken.accounts.models import User
    from baken.accounts.services import user_roles_set
    from baken.chat import services
    from baken.demo.services import demo_load
    from baken.directory.models import Organisation

    call_command("migrate", verbosity=0)
    demo_load()
    kenniscentrum = Organisation.objects.get(name__startswith="Kenniscentrum")
    sessions = []
    for number in range(args.counsellors):
        user = User.objects.create(
            username=f"bench-{number:03d}", first_name=f"C{number}", organisation=kenniscentrum
        )
        user_roles_set(user=user, roles=["counsellor"])
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append((user, session.session_key))
    chats = []
    for number in range(args.visitors):
        user, session_key = sessions[number % len(sessions)]
        conversation, token = services.chat_start(language=random.choice(["nl", "pl", "ro"]))
        services.chat_accept(conversation=conversation, counsellor=user)
        chats.append({"token": token, "conversation": str(conversation.pk), "session": session_key})
    return chats


def start_worker(port: int, args) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "REDIS_URL": args.redis,
        "BAKEN_DEMO_MODE": "true",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "baken.settings",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "baken", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"worker on port {port} did not start")


# --- the clients (asyncio) --------------------------------------------------------------------


@dataclass
class Ledger:
    """What was sent when, and what arrived, over all clients."""

    sent_at: dict[str, float] = field(default_factory=dict)  # message id → first send time
    delivered: dict[str, float] = field(default_factory=dict)  # message id → latency (s)
    delivered_at: dict[str, float] = field(default_factory=dict)
    duplicates: int = 0
    reconnects: int = 0
    errors: dict[str, int] = field(default_factory=dict)


class Client:
    """One websocket client that behaves like the page's script (outbox, resync, failover)."""

    path = ""

    def __init__(self, ledger: Ledger, ports: list[int], first: int, headers: dict) -> None:
        self.ledger, self.ports, self.port_index, self.headers = ledger, ports, first, headers
        self.socket = None
        self.outbox: dict[str, dict] = {}  # client_id → frame
        self.seen: dict[str, set[int]] = {}
        self.last_seq: dict[str, int] = {}
        self.connected = asyncio.Event()
        self.stopping = False
        self.attempts = 0

    def hello(self) -> dict:
        raise NotImplementedError

    async def run(self) -> None:
        import websockets

        while not self.stopping:
            port = self.ports[self.port_index % len(self.ports)]
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{port}{self.path}",
                    additional_headers={"Origin": "http://127.0.0.1", **self.headers},
                    open_timeout=10,
                    ping_interval=None,
                    max_queue=None,
                ) as ws:
                    self.socket = ws
                    self.attempts = 0
                    await ws.send(json.dumps(self.hello()))
                    async for raw in ws:
                        self.receive(json.loads(raw))
            except (TimeoutError, OSError, Exception):  # noqa: BLE001 - reconnect on all
                pass
            self.socket = None
            self.connected.clear()
            if self.stopping:
                return
            self.ledger.reconnects += 1
            # As behind a load balancer: any worker, after a short random pause that grows
            # with each failed attempt.
            self.port_index = random.randrange(len(self.ports))
            self.attempts += 1
            await asyncio.sleep(min(0.2 * 2 ** min(self.attempts, 4), 3) * random.random() + 0.1)

    def track(self, conversation: str, seq: int) -> bool:
        seen = self.seen.setdefault(conversation, set())
        if seq in seen:
            return False
        seen.add(seq)
        last = self.last_seq.get(conversation, 0)
        while last + 1 in seen:
            last += 1
        self.last_seq[conversation] = last
        return True

    def receive(self, event: dict) -> None:
        kind = event["type"]
        if kind == "welcome":
            self.connected.set()
            for message in self.welcome_messages(event):
                self.on_message(message)
            for frame in list(self.outbox.values()):
                asyncio.ensure_future(self.socket.send(json.dumps(frame)))
        elif kind == "message":
            self.on_message(event)
        elif kind == "error":
            self.ledger.errors[event["code"]] = self.ledger.errors.get(event["code"], 0) + 1

    def welcome_messages(self, event: dict) -> list[dict]:
        raise NotImplementedError

    def on_message(self, event: dict) -> None:
        new = self.track(event["conversation"], event["seq"])
        if event.get("client_id") in self.outbox:
            del self.outbox[event["client_id"]]  # our own message came back: stored
        text = event.get("text", "")
        if not text.startswith("bench:") or event["sender"] == self.side:
            return
        message_id = text.split(":", 2)[1]
        if not new or message_id in self.ledger.delivered:
            self.ledger.duplicates += 1
            return
        now = time.perf_counter()
        self.ledger.delivered[message_id] = now - self.ledger.sent_at[message_id]
        self.ledger.delivered_at[message_id] = now

    async def send_message(self, frame: dict, message_id: str) -> None:
        self.ledger.sent_at[message_id] = time.perf_counter()
        self.outbox[frame["client_id"]] = frame
        if self.socket is not None and self.connected.is_set():
            try:
                await self.socket.send(json.dumps(frame))
            except Exception:  # noqa: BLE001 - resent from the outbox after reconnecting
                pass


class Visitor(Client):
    path = "/ws/chat/"
    side = "visitor"

    def __init__(self, ledger, ports, first, chat: dict) -> None:
        super().__init__(ledger, ports, first, {})
        self.chat = chat
        self.linked: set[int] = {0}
        self.last_linked = 0

    def hello(self) -> dict:
        return {"type": "hello", "token": self.chat["token"], "last_seq": self.last_linked}

    def welcome_messages(self, event):
        return event["messages"]

    def track(self, conversation: str, seq: int) -> bool:
        return super().track(conversation, seq)

    def on_message(self, event: dict) -> None:
        # The visitor's chain skips hidden notes: follow prev_seq, as chat-visitor.js does.
        if event.get("prev_seq") is not None and event["prev_seq"] in self.linked:
            self.linked.add(event["seq"])
            self.last_linked = max(self.last_linked, event["seq"])
        super().on_message(event)

    async def say(self, message_id: str) -> None:
        frame = {
            "type": "message.send",
            "client_id": str(uuid.uuid4()),
            "text": f"bench:{message_id}:Dzień dobry",
        }
        await self.send_message(frame, message_id)


class Console(Client):
    path = "/ws/chat/console/"
    side = "counsellor"

    def __init__(self, ledger, ports, first, session_key: str) -> None:
        super().__init__(ledger, ports, first, {"Cookie": f"sessionid={session_key}"})

    def hello(self) -> dict:
        return {"type": "hello", "last_seq": dict(self.last_seq)}

    def welcome_messages(self, event):
        return [m for c in event["conversations"] for m in c["messages"]]

    async def say(self, conversation: str, message_id: str) -> None:
        frame = {
            "type": "message.send",
            "conversation": conversation,
            "client_id": str(uuid.uuid4()),
            "text": f"bench:{message_id}:Hoe gaat het?",
        }
        await self.send_message(frame, message_id)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


async def load(args, chats: list[dict], workers: dict[int, subprocess.Popen]) -> Ledger:
    ledger = Ledger()
    ports = sorted(workers)
    consoles: dict[str, Console] = {}
    visitors = []
    for index, chat in enumerate(chats):
        if chat["session"] not in consoles:
            consoles[chat["session"]] = Console(ledger, ports, len(consoles) % 2, chat["session"])
        visitors.append((Visitor(ledger, ports, index % 2, chat), consoles[chat["session"]]))
    clients = [v for v, _c in visitors] + list(consoles.values())
    tasks = []
    for number, client in enumerate(clients):
        tasks.append(asyncio.ensure_future(client.run()))
        if number % 50 == 49:
            await asyncio.sleep(0.05)
    await asyncio.wait_for(asyncio.gather(*(c.connected.wait() for c in clients)), timeout=120)
    print(f"connected: {len(visitors)} visitors, {len(consoles)} consoles", flush=True)

    random.seed(args.seed)
    start = time.perf_counter()
    killed_at = None
    restarted = False
    sent = 0
    while (elapsed := time.perf_counter() - start) < args.duration:
        due = int(elapsed * args.rate) - sent
        for _ in range(due):
            visitor, console = random.choice(visitors)
            message_id = f"{sent:07d}"
            if sent % 2 == 0:
                await visitor.say(message_id)
            else:
                await console.say(visitor.chat["conversation"], message_id)
            sent += 1
        if not args.no_kill and killed_at is None and elapsed >= args.kill_at:
            victim = workers[ports[1]]
            victim.send_signal(signal.SIGKILL)
            victim.wait()
            killed_at = time.perf_counter()
            print(f"killed worker on port {ports[1]} at {elapsed:.1f} s", flush=True)
        if killed_at and not restarted and time.perf_counter() - killed_at > args.restart_after:
            workers[ports[1]] = start_worker(ports[1], args)
            restarted = True
            print("restarted it", flush=True)
        await asyncio.sleep(0.005)
    sending_seconds = time.perf_counter() - start
    deadline = time.perf_counter() + args.drain
    while len(ledger.delivered) < len(ledger.sent_at) and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
    for client in clients:
        client.stopping = True
        if client.socket is not None:
            await client.socket.close()
    for task in tasks:
        task.cancel()
    ledger.kill_time = killed_at  # type: ignore[attr-defined]
    ledger.start = start  # type: ignore[attr-defined]
    ledger.sending_seconds = sending_seconds  # type: ignore[attr-defined]
    return ledger


def report(args, ledger: Ledger) -> None:
    latencies = list(ledger.delivered.values())
    before = [
        latency
        for message_id, latency in ledger.delivered.items()
        if ledger.kill_time is None or ledger.sent_at[message_id] < ledger.kill_time
    ]
    lost = [m for m in ledger.sent_at if m not in ledger.delivered]
    delivered_in_window = sum(
        1 for t in ledger.delivered_at.values() if t - ledger.start <= ledger.sending_seconds
    )
    ms = 1000
    print()
    print(
        f"visitors {args.visitors}, counsellors {args.counsellors}, two ASGI workers, "
        f"Redis channel layer, PostgreSQL; offered {args.rate:.0f} msg/s for {args.duration:.0f} s"
    )
    print(f"messages sent:       {len(ledger.sent_at)}")
    print(f"messages delivered:  {len(ledger.delivered)}")
    print(f"lost:                {len(lost)}")
    print(f"duplicates dropped:  {ledger.duplicates}")
    print(f"reconnections:       {ledger.reconnects}")
    print(f"errors from server:  {ledger.errors or 0}")
    print(
        f"throughput:          {delivered_in_window / ledger.sending_seconds:.0f} msg/s delivered"
    )
    print(
        f"latency before kill: p50 {statistics.median(before) * ms:.1f} ms, "
        f"p95 {percentile(before, 95) * ms:.1f} ms, p99 {percentile(before, 99) * ms:.1f} ms"
        f" (n={len(before)})"
    )
    print(
        f"latency whole run:   p50 {statistics.median(latencies) * ms:.1f} ms, "
        f"p95 {percentile(latencies, 95) * ms:.1f} ms, p99 {percentile(latencies, 99) * ms:.1f} ms,"
        f" max {max(latencies) * ms:.0f} ms"
    )


def timeline(ledger: Ledger, step: float = 5.0) -> None:
    """Latency by when a message was sent, in windows of ``step`` seconds."""
    print("latency by send time (s since start: n, p50, p99 in ms):")
    windows: dict[int, list[float]] = {}
    for message_id, sent in ledger.sent_at.items():
        window = int((sent - ledger.start) // step)
        latency = ledger.delivered.get(message_id)
        windows.setdefault(window, []).append(latency if latency is not None else float("inf"))
    for window in sorted(windows):
        values = windows[window]
        print(
            f"  {window * step:4.0f}-{(window + 1) * step:<4.0f} n={len(values):5d}"
            f"  p50 {percentile(values, 50) * 1000:8.1f}  p99 {percentile(values, 99) * 1000:8.1f}"
        )


def main() -> None:
    args = parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    random.seed(args.seed)
    t0 = time.perf_counter()
    chats = prepare_database(args)
    print(f"prepared {len(chats)} chats in {time.perf_counter() - t0:.0f} s", flush=True)
    ports = [int(p) for p in args.ports.split(",")]
    workers = {port: start_worker(port, args) for port in ports}
    try:
        for port in ports:
            wait_for_port(port)
        ledger = asyncio.run(load(args, chats, workers))
        report(args, ledger)
        timeline(ledger)
    finally:
        for worker in workers.values():
            worker.terminate()
        for worker in workers.values():
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


if __name__ == "__main__":
    main()
