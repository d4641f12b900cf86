"""Case documents: checked by their first bytes, encrypted at rest, every read audited."""

from __future__ import annotations

import hashlib
import os
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from baken.accounts.models import User
from baken.audit.services import audit_read
from baken.casework.models import (
    Case,
    CaseDocument,
    TimelineEntry,
    TimelineKind,
)
from baken.lib.crypto import decrypt_bytes, encrypt_bytes

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: Accepted kinds, recognised by their first bytes, not by the name the uploader gave.
DOCUMENT_SIGNATURES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"PK\x03\x04": ("application/zip", ".zip"),  # docx/odt/xlsx are zip containers
}
OFFICE_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class DocumentRefused(ValueError):
    pass


def document_add(*, case: Case, user: User, title: str, upload) -> CaseDocument:
    """Store an uploaded document encrypted; refuse what is too large or of an unknown kind."""

    if upload.size > MAX_DOCUMENT_BYTES:
        raise DocumentRefused(_("The file is larger than 10 MB."))
    data = upload.read()
    kind = next((v for sig, v in DOCUMENT_SIGNATURES.items() if data.startswith(sig)), None)
    extension = os.path.splitext(upload.name or "")[1].lower()
    if kind is None:
        raise DocumentRefused(_("Only PDF, PNG, JPEG, DOCX, ODT and XLSX files can be added."))
    content_type, default_extension = kind
    if content_type == "application/zip":
        if extension not in OFFICE_TYPES:
            raise DocumentRefused(_("Only PDF, PNG, JPEG, DOCX, ODT and XLSX files can be added."))
        content_type = OFFICE_TYPES[extension]
    else:
        extension = default_extension
    with transaction.atomic():
        document = CaseDocument(
            case=case,
            title=title.strip() or upload.name,
            original_name=(upload.name or "document")[:200],
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=user,
        )
        # A random name on disk: nothing about the case or the person is in a file name.
        document.file.save(
            f"{uuid.uuid4().hex}{extension}.enc", ContentFile(encrypt_bytes(data)), save=False
        )
        document.save()
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.EVENT,
            author=user,
            text=_("Document added: %(title)s") % {"title": document.title},
        )
    return document


def document_read(*, document: CaseDocument, purpose: str) -> bytes:
    """The decrypted document; the read is written to the audit trail."""

    audit_read(document, purpose=purpose, fields=["file"])
    with document.file.open("rb") as handle:
        return decrypt_bytes(handle.read())
