"""Shared fixtures: the demo region and one named persona per role.

Personas are the demo users (``baken demo``) so tests read like the product: the coordinator
of the kenniscentrum, the caseworker of the shelter, the police liaison, and so on.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from baken.accounts.models import AuthenticatorApp, Role, User
from baken.demo.services import demo_load


@pytest.fixture
def demo_region(db):
    """Twente with its municipalities, chain of organisations and one user per role."""
    demo_load()


def stepped_up(client: Client) -> Client:
    """The session has just confirmed password and code again (the step-up page, tested in
    ``tests/test_step_up.py``; a shortcut here like ``force_login``)."""
    import time

    from baken.accounts.sessions import STEPPED_UP_KEY

    session = client.session
    session[STEPPED_UP_KEY] = int(time.time())
    session.save()
    return client


def verified_client(user: User) -> Client:
    """A browser session of ``user`` that has passed both login steps."""
    device, _ = AuthenticatorApp.objects.get_or_create(
        user=user, name="test phone", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def persona(demo_region):
    """``persona("coordinator")`` → (user, verified client) for that demo user; each demo role
    has a user of the same name, and ``opvang`` is the shelter's caseworker."""

    def make(username: str) -> tuple[User, Client]:
        user = User.objects.get(username=username)
        return user, verified_client(user)

    return make


def other_region_member(username: str, *roles: str) -> User:
    """A staff member of Gemeente Zwolle, in a second region (IJsselland) beside the demo's."""
    from baken.accounts.services import user_roles_set
    from baken.directory.models import Municipality, Organisation, Region

    region, _ = Region.objects.get_or_create(code="IJM", defaults={"name": "IJsselland"})
    zwolle, _ = Municipality.objects.get_or_create(
        cbs_code="GM0193", defaults={"name": "Zwolle", "region": region}
    )
    organisation, _ = Organisation.objects.get_or_create(
        name="Gemeente Zwolle",
        defaults={"organisation_type": "municipality", "region": region, "municipality": zwolle},
    )
    user = User.objects.create_user(username=username, organisation=organisation)
    user_roles_set(user=user, roles=list(roles))
    return user


ALL_ROLES = [role.value for role in Role]


def dutch(number: int) -> str:
    """A whole number as the Dutch pages write it: 23.039."""
    return f"{number:,}".replace(",", ".")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and block lists live in the cache; every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _flush_passes_the_audit_triggers():
    """Transactional tests empty the database with `flush`; the audit trail's append-only
    triggers refuse that except inside the maintenance context, so flush runs in it."""
    from django.core.management.commands import flush

    from baken.audit.maintenance import audit_maintenance

    original = flush.Command.handle

    def handle(self, **options):
        with audit_maintenance(options.get("database", "default")):
            return original(self, **options)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture
def demo_region_committed(transactional_db):
    """The demo region committed (for tests with threads); returns a police API token."""
    from baken.accounts.services import api_token_create
    from baken.directory.models import Organisation

    demo_load()
    police = Organisation.objects.get(name="Politie Oost-Nederland, team Twente")
    return api_token_create(organisation=police, name="BVH-koppeling")[1]
