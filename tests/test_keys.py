"""Key rotation through ``baken keys``: re-encrypt with the new field key so that the old one can
go, and re-key the pseudonyms under a new PSEUDONYM_KEY while the old one still matches.

The library derives its Fernet keys once per field (a cached property): ``override_settings``
of SALT_KEY resets them through ``setting_changed`` (``baken.lib.crypto.keys_reset``), which is
what lets one process play the operator's successive configurations.
"""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import override_settings

from baken.accounts.models import User
from baken.audit.models import AuditAction, AuditEvent
from baken.casework.models import CaseDocument, Person
from baken.casework.services import (
    PersonData,
    case_open_from_signal,
    document_add,
    document_read,
    person_matches,
    signal_create,
    signal_create_anonymous,
    signal_find_by_receipt,
)
from baken.web.backup import _key_problems

NEW_FIELD_KEY = "new-field-encryption-key-after-the-rotation-0123456789"
NEW_PSEUDONYM_KEY = "new-pseudonym-key-after-the-rotation-0123456789abcdef"
OLDER_PSEUDONYM_KEY = "older-pseudonym-key-before-the-rotation-0123456789ab"
PDF = b"%PDF-1.7\n" + b"Verklaring van Andrei Popescu over de wasstraat. " * 40


def keys(*args: str) -> str:
    out = StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def stored_token(model, pk, column: str) -> str:
    """The value as stored (the token), not as the field decrypts it."""
    raw = Cast(column, output_field=TextField())
    return model.objects.filter(pk=pk).annotate(raw=raw).values_list("raw", flat=True).get()


def andrei(**extra) -> list[PersonData]:
    return [PersonData(name="Andrei Popescu", date_of_birth="1990-05-05", **extra)]


def new_signal(persons: list[PersonData]):
    return signal_create(
        reporter=User.objects.get(username="aandachtsfunctionaris"),
        source="municipality",
        description="Vier mannen slapen in de werkplaats van de wasstraat.",
        exploitation_forms=["labour"],
        persons=persons,
    )


@pytest.fixture
def document(demo_region):
    case = case_open_from_signal(
        signal=new_signal(andrei()), user=User.objects.get(username="coordinator"), title="W"
    )
    return document_add(
        case=case,
        user=User.objects.get(username="caseworker"),
        title="Verklaring",
        upload=SimpleUploadedFile("verklaring.pdf", PDF, "application/pdf"),
    )


def test_after_reencrypt_the_old_field_key_can_leave_the_list(
    document, django_capture_on_commit_callbacks
):
    old_key = settings.SALT_KEY[0]
    signal = new_signal(andrei(phone="+31 6 12345678"))
    person = signal.persons.get()
    old_name_token = stored_token(Person, person.pk, "name")
    old_file = document.file.name
    with override_settings(SALT_KEY=[NEW_FIELD_KEY]):
        # Without the old key nothing reads: the library hands back the token itself.
        assert Person.objects.get(pk=person.pk).name != "Andrei Popescu"

    with override_settings(SALT_KEY=[NEW_FIELD_KEY, old_key]):
        dry = keys("reencrypt", "--dry-run")
        assert (
            "casework.Person.name: " in dry and "casework.CaseDocument.file: 1 to re-encrypt" in dry
        )
        assert stored_token(Person, person.pk, "name") == old_name_token
        assert CaseDocument.objects.get(pk=document.pk).file.name == old_file

        with django_capture_on_commit_callbacks(execute=True):
            done = keys("reencrypt")
        assert "casework.Person.name: " in done and " 0 unreadable" in done
        assert "casework.CaseDocument.file: 1 re-encrypted" in done
        assert "chat.Message.text" in done and "admonitor.Ad.text" in done
        assert stored_token(Person, person.pk, "name") != old_name_token
        # The old file is gone, the row names the new one.
        assert not document.file.storage.exists(old_file)
        # One audit event for the run, none per re-saved row.
        run = AuditEvent.objects.filter(object_type="installation", object_id="keys").get()
        assert run.action == AuditAction.UPDATE and "casework.Person.name" in run.fields
        assert not AuditEvent.objects.filter(
            object_type="casework.Person", object_id=str(person.pk), action=AuditAction.UPDATE
        ).exists()
        # Idempotent: a second run finds everything under the first key.
        again = keys("reencrypt")
        assert "0 value(s) and file(s) re-encrypted" in again

    with override_settings(SALT_KEY=[NEW_FIELD_KEY]):
        after = keys("reencrypt", "--dry-run")
        assert "0 value(s) and file(s) to re-encrypt; 0 unreadable." in after
        person = Person.objects.get(pk=person.pk)
        assert (person.name, person.phone) == ("Andrei Popescu", "+31 6 12345678")
        moved = CaseDocument.objects.get(pk=document.pk)
        assert document_read(document=moved, purpose="test") == PDF


def test_reencrypt_refuses_to_call_unreadable_values_done(demo_region):
    signal = new_signal(andrei())
    with override_settings(SALT_KEY=[NEW_FIELD_KEY]):
        with pytest.raises(CommandError, match="no key of the list reads"):
            keys("reencrypt", "--dry-run")
    assert signal.persons.get().name == "Andrei Popescu"


def pseudonym_keys(*keys_: str):
    return override_settings(PSEUDONYM_KEYS=list(keys_), PSEUDONYM_KEY=keys_[0])


def test_a_new_pseudonym_key_still_matches_and_repseudonymise_moves_the_links(demo_region):
    coordinator = User.objects.get(username="coordinator")
    with pseudonym_keys(OLDER_PSEUDONYM_KEY):
        earlier = new_signal(andrei())
        # A pseudonymised earlier signal: only its pseudonyms are left.
        gone = new_signal(andrei(phone="06 11122233"))
        Person.objects.filter(signal=gone).update(name=None, date_of_birth=None, phone=None)
        _anonymous, code = signal_create_anonymous(description="Er wonen twintig mensen boven.")

    with pseudonym_keys(NEW_PSEUDONYM_KEY, OLDER_PSEUDONYM_KEY):
        later = new_signal(andrei())
        person = later.persons.get()
        matched = {m.signal_id for m in person_matches(person=person, user=coordinator)}
        assert {earlier.pk, gone.pk} <= matched
        assert signal_find_by_receipt(code) == _anonymous

        out = keys("repseudonymise", "--dry-run")
        assert "0 under the first key already" not in out
        assert Person.objects.get(signal=earlier).identity_pseudonym != person.identity_pseudonym

        out = keys("repseudonymise")
        assert "1 relinked through a person with the same value" in out
        # The pseudonymised person's phone pseudonym has no twin: it stays under the old key.
        assert "1 person(s) without their values keep pseudonyms" in out
        assert Person.objects.get(signal=earlier).identity_pseudonym == person.identity_pseudonym
        assert Person.objects.get(signal=gone).identity_pseudonym == person.identity_pseudonym
        assert "0 recomputed" in keys("repseudonymise")
        assert AuditEvent.objects.filter(object_id="pseudonyms").count() == 1

    with pseudonym_keys(NEW_PSEUDONYM_KEY):
        matched = {m.signal_id for m in person_matches(person=person, user=coordinator)}
        assert {earlier.pk, gone.pk} <= matched
        # A receipt code cannot be re-keyed (only its digest is kept): it needs the old key.
        assert signal_find_by_receipt(code) is None


def test_backup_keys_may_be_older_entries_of_the_pseudonym_list():
    from baken.web.backup import _key_fingerprints

    backup = _key_fingerprints()
    with pseudonym_keys(NEW_PSEUDONYM_KEY, settings.PSEUDONYM_KEY):
        assert _key_problems(backup) == []
    with pseudonym_keys(NEW_PSEUDONYM_KEY):
        assert "PSEUDONYM_KEY differs" in " ".join(_key_problems(backup))
