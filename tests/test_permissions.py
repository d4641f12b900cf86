"""Every staff URL, for every role, against the permission matrix (docs/permissions.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from baken.accounts.models import User
from baken.accounts.permissions import PERMISSIONS, matrix_markdown
from baken.directory.models import Organisation, Service
from tests.conftest import ALL_ROLES

POST_ONLY = {"organisation-verify", "service-verify", "logout"}


def staff_routes():
    """(route, name, view) for every URL whose view wears ``staff_required``."""

    def walk(patterns, prefix=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "staff_view", False):
                yield prefix + str(entry.pattern), entry.name, entry.callback

    return list(walk(get_resolver().url_patterns))


def concrete(route: str, ids: dict[str, str]) -> str:
    path = route
    for name, value in ids.items():
        path = path.replace(f"<uuid:{name}>", value).replace(f"<int:{name}>", value)
    assert "<" not in path, f"no test value for a parameter in {route}"
    return "/" + path


@pytest.fixture
def ids(demo_region):
    return {
        "organisation_id": str(Organisation.objects.get(name="Stichting Schuilplaats Twente").pk),
        "service_id": str(Service.objects.get(name="Beschermde opvang voor vrouwen").pk),
        "user_id": str(User.objects.get(username="caseworker").pk),
    }


def test_every_staff_view_names_a_permission_from_the_matrix():
    routes = staff_routes()
    assert len(routes) >= 15
    for route, _name, view in routes:
        assert view.required_permission is None or view.required_permission in PERMISSIONS, route


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_reaches_exactly_the_staff_urls_the_matrix_allows(role, persona, ids):
    _user, client = persona(role)
    checked = 0
    for route, name, view in staff_routes():
        if name == "logout":
            continue
        url = concrete(route, ids)
        method = client.post if name in POST_ONLY else client.get
        response = method(url)
        permission = view.required_permission
        allowed = permission is None or role in PERMISSIONS[permission].roles
        if allowed:
            assert response.status_code in (200, 204, 302), f"{role} should reach {url}"
        else:
            assert response.status_code == 403, f"{role} must not reach {url}"
        checked += 1
    assert checked >= 14


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_administrators_enter_the_technical_administration(role, persona):
    _user, client = persona(role)
    response = client.get("/beheer/")
    if role == "administrator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/beheer/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_the_login_page_from_every_staff_url(ids):
    client = Client()
    for route, name, _view in staff_routes():
        if name in POST_ONLY:
            continue
        response = client.get(concrete(route, ids))
        assert response.status_code == 302, route
        assert response["Location"].startswith("/werk/inloggen/"), route


def test_staff_without_second_factor_are_sent_to_set_one_up(demo_region):
    client = Client()
    client.force_login(User.objects.get(username="coordinator"))
    response = client.get("/werk/sociale-kaart/")
    assert response.status_code == 302
    assert response["Location"] == "/werk/account/tweede-factor/"


def test_docs_permissions_page_shows_the_matrix_that_is_enforced():
    docs = (Path(__file__).resolve().parent.parent / "docs" / "permissions.md").read_text()
    assert matrix_markdown() in docs, "regenerate with: baken permissions --markdown"


def test_a_superuser_without_roles_gets_no_extra_rights(demo_region):
    from tests.conftest import verified_client

    root = User.objects.create_superuser("root", "root@demo.baken.example", "a-long-password-1")
    client = verified_client(root)
    assert client.get("/werk/audit/").status_code == 403
    assert client.get("/werk/sociale-kaart/").status_code == 403
