"""The platform shell: health, websockets through the ASGI app, the demo region, languages."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polib
import pytest
from channels.testing import WebsocketCommunicator
from django.core.management import call_command
from django.test import Client

from baken.asgi import application
from baken.demo import data as demo_data
from baken.directory.models import Organisation, Region, Service

LOCALE = Path(__file__).resolve().parent.parent / "baken" / "locale"


def test_baken_version_prints_the_installed_release_which_the_changelog_describes(capsys):
    import tomllib
    from importlib.metadata import version

    from baken.cli import main

    main(["--version"])
    assert capsys.readouterr().out == f"baken {version('baken')}\n"
    root = Path(__file__).resolve().parent.parent
    release = tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]
    assert f"## [{release}] - " in (root / "CHANGELOG.md").read_text()


def test_health_answers_with_the_database_reachable(db):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.asyncio
@pytest.mark.django_db  # Channels closes stale connections around every frame
async def test_websockets_are_served_by_the_asgi_application():
    communicator = WebsocketCommunicator(
        application,
        "/ws/health/",
        headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
    )
    connected, _ = await communicator.connect()
    assert connected
    await communicator.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await communicator.receive_from()) == {"type": "pong"}
    await communicator.send_to(text_data="not json")
    assert json.loads(await communicator.receive_from())["type"] == "error"
    await communicator.disconnect()


@pytest.mark.asyncio
@pytest.mark.django_db
async def test_websockets_from_another_site_are_refused():
    communicator = WebsocketCommunicator(
        application,
        "/ws/health/",
        headers=[(b"origin", b"https://evil.example"), (b"host", b"localhost")],
    )
    connected, _ = await communicator.connect()
    assert not connected


@pytest.mark.asyncio
async def test_the_channel_layer_carries_a_group_message_between_consumers(settings):
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    expected = "RedisChannelLayer" if settings.REDIS_URL else "InMemoryChannelLayer"
    assert type(layer).__name__ == expected
    receiver = await layer.new_channel()
    await layer.group_add("baken-test-group", receiver)
    await layer.group_send("baken-test-group", {"type": "chat.message", "text": "hallo"})
    assert (await layer.receive(receiver))["text"] == "hallo"
    await layer.group_discard("baken-test-group", receiver)


def test_redis_url_moves_the_channel_layer_and_cache_to_redis(tmp_path):
    import subprocess
    import sys

    code = (
        "import baken.settings as s;"
        "print(s.CHANNEL_LAYERS['default']['BACKEND']);print(s.CACHES['default']['BACKEND'])"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "BAKEN_VAR_DIR": str(tmp_path),
        "REDIS_URL": "redis://127.0.0.1:6379/3",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == [
        "channels_redis.core.RedisChannelLayer",
        "django.core.cache.backends.redis.RedisCache",
    ], out.stderr


def test_the_demo_region_loads_twice_without_harm_and_prints_the_logins(db):
    first = io.StringIO()
    call_command("demo", stdout=first)
    counts = (Organisation.objects.count(), Service.objects.count())
    second = io.StringIO()
    call_command("demo", stdout=second)
    assert (Organisation.objects.count(), Service.objects.count()) == counts
    for username, *_ in demo_data.DEMO_USERS:
        assert username in second.getvalue()
    assert demo_data.DEMO_PASSWORD in second.getvalue()


def test_the_demo_region_is_twente_with_its_fourteen_municipalities(demo_region):
    twente = Region.objects.get(code="twente")
    assert twente.municipalities.count() == 14
    population = twente.population(2018)
    # The kenniscentrum quotes 627,848 inhabitants on 1 January 2018 (seed 002).
    assert abs(population - 627_848) / 627_848 < 0.001
    types = set(Organisation.objects.values_list("organisation_type", flat=True))
    assert {
        "knowledge_centre",
        "municipality",
        "police",
        "public_prosecutor",
        "riec",
        "zvh",
        "health",
        "veilig_thuis",
        "care",
        "youth_care",
        "ngo",
        "labour_inspectorate",
    } <= types


def test_dutch_is_complete_and_compiled():
    po = polib.pofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100
    assert not [entry.msgid for entry in po.fuzzy_entries()]
    mo = polib.mofile(str(LOCALE / "nl" / "LC_MESSAGES" / "django.mo"))
    compiled = {entry.msgid: entry.msgstr for entry in mo}
    for entry in po.translated_entries():
        if not entry.msgid_plural:
            assert compiled.get(entry.msgid) == entry.msgstr, f"recompile: {entry.msgid!r}"


def test_the_interface_speaks_dutch_by_default_and_english_on_request(db):
    dutch = Client().get("/werk/inloggen/")
    assert '<html lang="nl"' in dutch.content.decode()
    assert "Inloggen bij Baken" in dutch.content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/werk/inloggen/")
    assert '<html lang="en"' in english.content.decode()
    assert "Log in to Baken" in english.content.decode()


def test_switching_language_keeps_the_page(db):
    client = Client()
    response = client.post("/taal/", {"language": "en", "next": "/toegankelijkheid/"})
    assert response["Location"] == "/toegankelijkheid/"
    assert "Accessibility statement" in client.get("/toegankelijkheid/").content.decode()
