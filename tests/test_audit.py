"""The audit trail: reads and changes of personal data are recorded; nobody can alter it."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from baken.accounts.models import User
from baken.audit.models import AppendOnlyError, AuditEvent


def test_opening_a_staff_members_details_records_who_read_what_and_why(persona):
    coordinator, client = persona("coordinator")
    caseworker = User.objects.get(username="caseworker")
    response = client.get(f"/werk/medewerkers/{caseworker.pk}/", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="read", object_id=str(caseworker.pk)).get()
    assert event.actor_id == coordinator.pk
    assert event.actor_name == "coordinator"
    assert event.organisation_name == "Kenniscentrum Mensenhandel Twente"
    assert event.object_type == "accounts.User"
    assert event.purpose == "staff details"
    assert "email" in event.fields
    assert event.result == "success"
    assert event.origin == "web 10.1.2.3"


def test_the_staff_list_records_a_read_for_each_person_shown(persona):
    _user, client = persona("administrator")
    client.get("/werk/medewerkers/")
    shown = User.objects.filter(is_active=True).count()
    assert AuditEvent.objects.filter(action="read", purpose="staff list").count() == shown


def test_changes_to_personal_data_are_recorded_by_field_name_never_by_value(persona):
    _admin, _client = persona("administrator")
    user = User.objects.get(username="analyst")
    user.email = "nieuw-adres@demo.baken.example"
    user.save()
    event = AuditEvent.objects.filter(action="update", object_id=str(user.pk)).latest("id")
    assert event.fields == ["email"]
    assert "nieuw-adres" not in str(event.fields) + event.purpose + event.object_id


def test_a_refused_page_is_recorded_as_denied(persona):
    liaison, client = persona("liaison")
    assert client.get("/werk/audit/").status_code == 403
    event = AuditEvent.objects.filter(action="denied").latest("id")
    assert event.actor_id == liaison.pk
    assert event.result == "denied"
    assert event.object_id == "/werk/audit/"


def test_failed_logins_are_recorded(demo_region):
    Client().post("/werk/inloggen/", {"username": "analyst", "password": "wrong-password"})
    assert AuditEvent.objects.filter(action="login_failed", actor_name="analyst").exists()


def test_coordinator_finds_events_in_the_audit_trail(persona):
    _coordinator, client = persona("coordinator")
    caseworker = User.objects.get(username="caseworker")
    client.get(f"/werk/medewerkers/{caseworker.pk}/")
    response = client.get(
        "/werk/audit/",
        {"object_type": "accounts.User", "object_id": caseworker.pk, "action": "read"},
    )
    assert response.status_code == 200
    page = response.context["page"]
    assert [e.object_id for e in page] == [str(caseworker.pk)]
    assert "staff details" in response.content.decode()


def test_a_coordinator_searches_only_the_trail_of_their_own_region(persona):
    """Security finding 13: the coordinator of Twente finds neither the events of IJsselland's
    organisations nor those without an organisation (a failed login under an unknown name);
    an administrator, who sees every region, finds both."""
    from baken.directory.models import Organisation
    from tests.conftest import other_region_member, verified_client

    twente, client = persona("coordinator")
    _administrator, administrator = persona("administrator")
    zwolle = verified_client(other_region_member("coordinator-zwolle", "coordinator"))
    caseworker = User.objects.get(username="caseworker")
    assert zwolle.get(f"/werk/medewerkers/{caseworker.pk}/").status_code == 200
    Client().post("/werk/inloggen/", {"username": "niemand", "password": "wrong-password"})
    client.get(f"/werk/medewerkers/{caseworker.pk}/")

    elsewhere = {"actor": "coordinator-zwolle"}
    unknown = {"actor": "unknown account", "action": "login_failed"}
    for criteria in (elsewhere, unknown):
        assert administrator.get("/werk/audit/", criteria).context["page"].paginator.count >= 1
        assert client.get("/werk/audit/", criteria).context["page"].paginator.count == 0, criteria
    own = client.get("/werk/audit/", {"actor": "coordinator", "object_id": caseworker.pk})
    assert own.context["page"].paginator.count >= 1

    everything = client.get("/werk/audit/").context["page"].paginator.object_list
    region = Organisation.objects.filter(region=twente.organisation.region)
    assert everything.exists()
    assert not everything.exclude(organisation_id__in=region.values("pk")).exists()
    assert not everything.filter(organisation_id=None).exists()
    theirs = zwolle.get("/werk/audit/", {"actor": "coordinator"})
    assert theirs.status_code == 200 and theirs.context["page"].paginator.count == 0
    # The page says so to whoever sees a part only.
    assert 'id="audit-scope"' in client.get("/werk/audit/").content.decode()
    assert 'id="audit-scope"' not in administrator.get("/werk/audit/").content.decode()


def test_every_audit_search_is_itself_recorded_with_the_criteria_used(persona):
    """Security finding 5: reading the trail leaves a trace too, one per search and per page,
    naming what was searched for."""
    coordinator, client = persona("coordinator")
    searches = AuditEvent.objects.filter(object_type="audit.AuditEvent", action="read")
    criteria = {"actor": "caseworker", "action": "read", "date_from": "2026-01-01"}
    assert client.get("/werk/audit/", criteria).status_code == 200
    event = searches.get()
    assert event.actor_id == coordinator.pk
    assert event.organisation_id == coordinator.organisation_id
    assert event.object_id == ""
    assert event.fields == ["actor", "action", "date_from"]
    assert event.purpose == "audit search: actor=caseworker action=read date_from=2026-01-01"
    assert event.result == "success"

    client.get("/werk/audit/", {**criteria, "page": 2})
    assert searches.count() == 2
    client.get("/werk/audit/")
    assert searches.latest("id").purpose == "audit search: no criteria"
    client.get("/werk/audit/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert searches.count() == 3  # a refused form searches nothing
    client.get("/werk/audit/", {"actor": "x" * 150, "object_type": "y" * 100})
    assert len(searches.latest("id").purpose) == 200


def test_audit_search_with_bad_dates_says_what_is_wrong(persona):
    _coordinator, client = persona("coordinator")
    response = client.get("/werk/audit/", {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["date_to"]


@pytest.mark.django_db
def test_the_trail_cannot_be_changed_or_deleted_through_the_application(persona):
    _admin, client = persona("administrator")
    event = AuditEvent.objects.create(action="read", object_type="accounts.User", object_id="1")
    event.purpose = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    # Raw SQL through the application's own connection is refused by the database trigger.
    for sql in (
        "UPDATE audit_auditevent SET purpose = 'tampered' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [event.pk])
    # The administration offers no way either: not even for an administrator.
    assert (
        client.post(f"/beheer/audit/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    event.refresh_from_db()
    assert event.purpose == ""


def test_only_the_maintenance_context_may_remove_events(db):
    from baken.audit.maintenance import audit_maintenance

    event = AuditEvent.objects.create(action="read", object_type="accounts.User", object_id="2")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with audit_maintenance(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert not AuditEvent.objects.filter(pk=event.pk).exists()
    # After the context, the triggers guard again.
    other = AuditEvent.objects.create(action="read", object_type="accounts.User", object_id="3")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [other.pk])


def test_a_failed_login_under_an_unknown_name_never_keeps_what_was_typed(demo_region):
    """Security finding 5: a password typed into the username field must not stay in the
    trail; a failed login for an existing account names that account."""
    Client().post("/werk/inloggen/", {"username": "Geheim-Wachtwoord-1", "password": "x"})
    Client().post("/werk/inloggen/", {"username": "analyst", "password": "wrong-password"})
    failed = list(AuditEvent.objects.filter(action="login_failed").order_by("id"))
    assert [e.actor_name for e in failed] == ["unknown account", "analyst"]
    assert failed[1].object_id == str(User.objects.get(username="analyst").pk)
    assert all("Geheim" not in f"{e.actor_name}{e.object_id}{e.purpose}" for e in failed)
