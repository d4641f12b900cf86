"""Every staff URL, for every role, against the permission matrix (docs/permissions.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from baken.accounts.models import User
from baken.accounts.permissions import PERMISSIONS, matrix_markdown
from baken.admonitor.models import Cluster, IngestRun
from baken.directory.models import Municipality, Organisation, Service
from baken.programmes.models import Activity, Project
from baken.supervision.models import Business, HousingAddress, Inspection
from tests.conftest import ALL_ROLES

POST_ONLY = {
    "organisation-verify",
    "service-verify",
    "logout",
    "signal-add",
    "case-note",
    "case-task",
    "case-member",
    "case-close",
    "task-done",
    "referral-status",
    "meeting-plan",
    "meeting-agenda",
    "decision",
    "document-upload",
    "review",
    "inspection-signal",
    "scene-delete",
    "board-step",
    "inspection-photo",
    "inspection-follow-up",
    "follow-up-done",
}


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
        for converter in ("uuid", "int", "slug", "str"):
            path = path.replace(f"<{converter}:{name}>", value)
    assert "<" not in path, f"no test value for a parameter in {route}"
    return "/" + path


def signal_reported_by(username: str):
    from baken.casework.services import PersonData, signal_create

    reporter = User.objects.get(username=username)
    return signal_create(
        reporter=reporter,
        source="municipality",
        description="Test signal",
        persons=[PersonData(name="Test Persoon")],
    )


def case_led_by(username: str):
    from datetime import timedelta

    from django.utils import timezone

    from baken.casework.services import case_open_from_signal, task_create

    coordinator = User.objects.get(username="coordinator")
    lead = User.objects.get(username=username)
    case = case_open_from_signal(
        signal=signal_reported_by("aandachtsfunctionaris"), user=coordinator, title="T", lead=lead
    )
    task = task_create(
        case=case,
        title="Bellen",
        owner=lead,
        due_on=timezone.localdate() + timedelta(days=3),
        by=lead,
    )
    return case, task


def referral_in(case):
    from baken.casework.services import referral_create

    return referral_create(
        case=case,
        person=case.signals.get().persons.get(),
        service=Service.objects.get(name="Beschermde opvang voor vrouwen"),
        user=User.objects.get(username="coordinator"),
        consent_given=True,
    )


def agenda_item_for(case):
    from baken.casework.models import CaseTable
    from baken.casework.services import agenda_add, escalation_request

    coordinator = User.objects.get(username="coordinator")
    table = CaseTable.objects.get()
    escalation = escalation_request(case=case, user=coordinator, table=table, reason="R", goal="G")
    return agenda_add(meeting=table.meetings.first(), escalation=escalation, user=coordinator)


def document_in(case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from baken.casework.services import document_add

    upload = SimpleUploadedFile("verslag.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    return document_add(
        case=case, user=User.objects.get(username="coordinator"), title="V", upload=upload
    )


def chats_for(role: str) -> dict:
    """A live chat accepted by the persona (or by the counsellor when the persona cannot answer
    chats), a message left outside opening hours, and a portal page version."""
    from baken.chat.services import chat_accept, chat_leave_message, chat_start
    from baken.portal.models import PageVersion

    answers = role in PERMISSIONS["chat.answer"].roles
    conversation, _token = chat_start(language="nl")
    chat_accept(
        conversation=conversation,
        counsellor=User.objects.get(username=role if answers else "counsellor"),
    )
    left, _code = chat_leave_message(language="pl", text="Pomocy")
    return {
        "conversation_id": str(conversation.pk),
        "message_conversation_id": str(left.pk),
        "version_id": str(PageVersion.objects.filter(page__slug="get-help").first().pk),
        "slug": "get-help",
        "language": "pl",
    }


def housing_and_inspection() -> dict:
    from django.utils import timezone

    housing = HousingAddress.objects.create(
        address="Kanaaldijk 1",
        postal_code="7602 AA",
        capacity=4,
        municipality=Municipality.objects.get(name="Almelo"),
    )
    inspection = Inspection.objects.create(
        kind="housing", housing=housing, visited_on=timezone.localdate()
    )
    from django.core.files.base import ContentFile

    from baken.lib.crypto import encrypt_bytes
    from baken.supervision.models import FollowUp, InspectionPhoto

    follow_up = FollowUp.objects.create(
        inspection=inspection, action="Herinspectie", owner="Toezicht", due_on=timezone.localdate()
    )
    photo = InspectionPhoto(inspection=inspection, caption="Slaapkamer", width=1, height=1)
    photo.file.save("slaapkamer.jpg.enc", ContentFile(encrypt_bytes(b"jpeg")))
    return {
        "housing_id": str(housing.pk),
        "inspection_id": str(inspection.pk),
        "follow_up_id": str(follow_up.pk),
        "photo_id": str(photo.pk),
    }


def ids_for(role: str, ids: dict) -> dict:
    can_report = role in PERMISSIONS["casework.report_signal"].roles
    works_cases = role in PERMISSIONS["casework.work_cases"].roles
    case, task = case_led_by(role if works_cases else "coordinator")
    return {
        **ids,
        "signal_id": str(signal_reported_by(role if can_report else "aandachtsfunctionaris").pk),
        "case_id": str(case.pk),
        "task_id": str(task.pk),
        "referral_id": str(referral_in(case).pk),
        "document_id": str(document_in(case).pk),
        "item_id": str((item := agenda_item_for(case)).pk),
        "meeting_id": str(item.meeting_id),
        **chats_for(role),
        **lesson_for(role),
    }


def lesson_for(role: str) -> dict:
    """A scenario, its first scene, and a lesson on the class screen of the persona (the class
    screen is its teacher's own)."""
    from baken.programmes.models import Scenario
    from baken.programmes.services import lesson_start

    scenario = Scenario.objects.get(slug="doorsturen-doe-je-niet")
    teacher = User.objects.get(username=role)
    session = lesson_start(scenario=scenario, teacher=teacher, group_name="2B")
    return {
        "scenario_id": str(scenario.pk),
        "scene_id": str(scenario.start_id),
        "session_id": str(session.pk),
        "step": "stemmen",
    }


def cluster_in_twente() -> str:
    """A cluster with one ad in Almelo: investigators open the clusters of their own region."""
    from django.utils import timezone

    from baken.admonitor.models import Ad

    cluster = Cluster.objects.create(ads_count=1)
    now = timezone.now()
    Ad.objects.create(
        site="test",
        ad_id="1",
        first_seen=now,
        last_seen=now,
        text="Nieuw in de stad",
        signature=b"",
        content_digest="0",
        city="Almelo",
        municipality=Municipality.objects.get(name="Almelo"),
        cluster=cluster,
    )
    return str(cluster.pk)


@pytest.fixture
def ids(demo_region):
    """Ids for URL parameters; the signal is reported by the persona when it may report."""
    return {
        "organisation_id": str(Organisation.objects.get(name="Stichting Schuilplaats Twente").pk),
        "service_id": str(Service.objects.get(name="Beschermde opvang voor vrouwen").pk),
        "user_id": str(User.objects.get(username="caseworker").pk),
        "kind": "meldingen",
        "fmt": "csv",
        "dashboard": "meldingen",
        "chart": "signals-by-source",
        "cluster_id": cluster_in_twente(),
        **housing_and_inspection(),
        "project_id": str(Project.objects.first().pk),
        "activity_id": str(Activity.objects.first().pk),
        "business_id": str(
            Business.objects.create(
                name="Club",
                kind="club",
                operator_name="B.V.",
                municipality=Municipality.objects.get(name="Almelo"),
            ).pk
        ),
        "run_id": str(
            IngestRun.objects.create(file_name="ads.jsonl", sha256="0", parser="jsonl").pk
        ),
    }


def test_every_staff_view_names_a_permission_from_the_matrix():
    routes = staff_routes()
    assert len(routes) >= 15
    for route, _name, view in routes:
        assert view.required_permission is None or view.required_permission in PERMISSIONS, route


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_reaches_exactly_the_staff_urls_the_matrix_allows(role, persona, ids):
    _user, client = persona(role)
    ids = ids_for(role, ids)
    checked = 0
    for route, name, view in staff_routes():
        if name == "logout":
            continue
        url = concrete(route, ids)
        method = client.post if name in POST_ONLY else client.get
        response = method(url)
        # Security finding 10: no staff answer may stay in a browser's cache.
        assert "no-store" in response.get("Cache-Control", ""), f"{url} may be cached"
        permission = view.required_permission
        allowed = permission is None or role in PERMISSIONS[permission].roles
        if allowed:
            # The page, a redirect, or (an empty form posted) a refusal of the input.
            expected = (200, 204, 302, 400) if name in POST_ONLY else (200, 204, 302)
            assert response.status_code in expected, f"{role} should reach {url}"
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
    ids = ids_for("coordinator", ids)
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
