"""Re-encryption after a key rotation: every encrypted value and file under the first key.

``FIELD_ENCRYPTION_KEY`` is a list (and ``SECRET_KEY`` has ``SECRET_KEY_FALLBACKS``): the first
key encrypts, every key decrypts. ``fields_reencrypt`` rewrites what an older key encrypted,
so that the older key can then leave the list (docs/security.md, "Rotating keys"):

- every model field that is an encrypted field (django-fernet-encrypted-fields), found through
  the app registry, read as stored, written back with ``QuerySet.update`` only if it is still
  what was read (a concurrent edit wins; no model signals, so no audit events for changes that
  are none);
- every file of a file field in the private storage (case documents, inspection photos): the
  new token goes to a new name, the row follows, the old file is deleted after commit.

Fernet's ``rotate`` keeps each token's time stamp. Idempotent: a value already under the first
key is left alone. Lives in ``web``, the composition root, because it spans every context.
"""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from encrypted_fields.fields import EncryptedFieldMixin, EncryptedJSONField

from baken.audit.services import Actor, AuditAction, acting_as, audit_record
from baken.casework.services import RepseudonymiseReport, persons_repseudonymise
from baken.lib.crypto import InvalidToken, reencrypt_token
from baken.lib.storage import private_storage

__all__ = [
    "Counts",
    "ReencryptReport",
    "encrypted_fields",
    "encrypted_file_fields",
    "fields_reencrypt",
    "pseudonyms_rekey",
]

_BATCH = 500


@dataclass
class Counts:
    #: Re-encrypted with the first key (or, with --dry-run, to be).
    rotated: int = 0
    #: Under the first key already.
    current: int = 0
    #: Read by no key of the list (left as they are); for files also those missing.
    unreadable: int = 0
    #: Changed by someone else while this ran (they are under the first key then).
    skipped: int = 0


@dataclass
class ReencryptReport:
    fields: dict[str, Counts] = field(default_factory=dict)
    files: dict[str, Counts] = field(default_factory=dict)

    @property
    def rotated(self) -> int:
        return sum(c.rotated for c in [*self.fields.values(), *self.files.values()])

    @property
    def unreadable(self) -> int:
        return sum(c.unreadable for c in [*self.fields.values(), *self.files.values()])


def _models() -> Iterator[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.proxy and model._meta.managed:
            yield model


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted field of every installed model (the table that holds it, once)."""
    found = []
    for model in _models():
        for f in model._meta.local_concrete_fields:
            if isinstance(f, EncryptedFieldMixin):
                if isinstance(f, EncryptedJSONField):
                    # Its tokens sit inside JSON; none exists, refuse rather than skip one.
                    raise NotImplementedError(f"{model._meta.label}.{f.name}: encrypted JSON")
                found.append((model, f))
    return found


def encrypted_file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    """Every file field whose files go to the private storage (stored encrypted)."""
    private = private_storage()
    found = []
    for model in _models():
        for f in model._meta.local_concrete_fields:
            if isinstance(f, models.FileField):
                # FileField(storage=callable) keeps the callable; the field's own instance is
                # the one of import time.
                make = getattr(f, "_storage_callable", None)
                if (make() if make is not None else f.storage) is private:
                    found.append((model, f))
    return found


def _batches(rows):
    """``rows`` (values_list ordered by pk, pk first) in batches of ``_BATCH``, by key, so that
    rows rewritten meanwhile are neither skipped nor read twice."""
    last = None
    while True:
        batch = list((rows.filter(pk__gt=last) if last is not None else rows)[:_BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _label(model: type[models.Model], f: models.Field) -> str:
    return f"{model._meta.label}.{f.name}"


def _field_reencrypt(model: type[models.Model], f: models.Field, *, dry_run: bool) -> Counts:
    counts = Counts()
    # Cast to a plain text field: read the stored token, not the field's decrypted value.
    raw = Cast(f.attname, output_field=models.TextField())
    rows = (
        model._base_manager.annotate(stored_token=raw)
        .exclude(**{f"{f.attname}__isnull": True})
        .order_by("pk")
        .values_list("pk", "stored_token")
    )
    for batch in _batches(rows):
        with transaction.atomic():
            for pk, token in batch:
                if not token:
                    continue
                try:
                    new = reencrypt_token(token.encode())
                except InvalidToken:
                    counts.unreadable += 1
                    continue
                if new is None:
                    counts.current += 1
                    continue
                counts.rotated += 1
                if dry_run:
                    continue
                # A Value with a plain text field: the token as it is, not encrypted again.
                value = models.Value(new.decode(), output_field=models.TextField())
                updated = model._base_manager.filter(Exact(raw, token), pk=pk).update(
                    **{f.attname: value}
                )
                if not updated:
                    counts.rotated -= 1
                    counts.skipped += 1
    return counts


def _new_name(name: str) -> str:
    # A fresh name beside the old one, with the same suffixes (".pdf.enc").
    directory, base = posixpath.split(name)
    suffixes = base[base.index(".") :] if "." in base else ""
    return posixpath.join(directory, f"{uuid.uuid4().hex}{suffixes}")


def _file_reencrypt(model: type[models.Model], f: models.FileField, *, dry_run: bool) -> Counts:
    counts = Counts()
    storage = private_storage()
    rows = (
        model._base_manager.exclude(**{f.attname: ""}).order_by("pk").values_list("pk", f.attname)
    )
    for batch in _batches(rows):
        for pk, name in batch:
            try:
                with storage.open(name, "rb") as handle:
                    new = reencrypt_token(handle.read())
            except (FileNotFoundError, InvalidToken):
                counts.unreadable += 1
                continue
            if new is None:
                counts.current += 1
                continue
            counts.rotated += 1
            if dry_run:
                continue
            stored = storage.save(_new_name(name), ContentFile(new))
            with transaction.atomic():
                updated = model._base_manager.filter(pk=pk, **{f.attname: name}).update(
                    **{f.attname: stored}
                )
                if updated:
                    transaction.on_commit(partial(storage.delete, name))
            if not updated:
                storage.delete(stored)
                counts.rotated -= 1
                counts.skipped += 1
    return counts


def fields_reencrypt(*, dry_run: bool) -> ReencryptReport:
    """Encrypt every encrypted value and private file with the first key; with ``dry_run`` only
    count. Records one audit event for a run that changed anything."""
    report = ReencryptReport()
    with acting_as(Actor(actor_name="keys", origin="cli")):
        for model, f in encrypted_fields():
            report.fields[_label(model, f)] = _field_reencrypt(model, f, dry_run=dry_run)
        for model, f in encrypted_file_fields():
            report.files[_label(model, f)] = _file_reencrypt(model, f, dry_run=dry_run)
        if not dry_run and report.rotated:
            changed = [k for k, c in [*report.fields.items(), *report.files.items()] if c.rotated]
            audit_record(
                action=AuditAction.UPDATE,
                object_type="installation",
                object_id="keys",
                fields=changed,
                purpose=f"re-encryption with the first key: {report.rotated} values and files",
            )
    return report


def pseudonyms_rekey(*, dry_run: bool) -> RepseudonymiseReport:
    """``persons_repseudonymise`` as a run of the ``keys`` command, with one audit event."""
    with acting_as(Actor(actor_name="keys", origin="cli")):
        report = persons_repseudonymise(dry_run=dry_run)
        if not dry_run and (report.recomputed or report.relinked):
            audit_record(
                action=AuditAction.UPDATE,
                object_type="casework.Person",
                object_id="pseudonyms",
                fields=["identity_pseudonym", "phone_pseudonym", "address_pseudonym"],
                purpose=(
                    f"pseudonyms under the first PSEUDONYM_KEY: {report.recomputed} recomputed,"
                    f" {report.relinked} relinked"
                ),
            )
    return report
