"""The backup drill: back up a region, restore it into an empty database, find everything readable.

Everything runs through the ``baken`` command in subprocesses, as an operator would: two
installations (each its own ``var/`` and database, the same keys), ``baken backup`` on the first,
``baken restore`` on the second. On SQLite always; on PostgreSQL as well when ``DATABASE_URL``
points at PostgreSQL (then two new databases are made with ``psql`` and dropped afterwards).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

BAKEN = [sys.executable, "-m", "baken"]
KEYS = {
    "SECRET_KEY": "drill-secret-key-that-is-long-enough-0123456789",
    "FIELD_ENCRYPTION_KEY": "drill-field-encryption-key-0123456789abcdef",
    "PSEUDONYM_KEY": "drill-pseudonym-key-0123456789abcdef0123",
}
PDF = b"%PDF-1.7\n" + b"Verklaring van Andrei Popescu over de wasstraat. " * 40

BUILD = """
import json
from django.core.files.uploadedfile import SimpleUploadedFile
from baken.accounts.models import User
from baken.audit.services import Actor, acting_as
from baken.casework.models import Case
from baken.casework.services import PersonData, document_add, signal_create
from baken.chat.services import chat_leave_message, message_reply_by_visitor

PDF = %(pdf)r
with acting_as(Actor(actor_name="drill", origin="cli")):
    signal = signal_create(
        reporter=User.objects.get(username="aandachtsfunctionaris"),
        source="municipality",
        description="Vier mannen slapen in de werkplaats van de wasstraat.",
        exploitation_forms=["labour"],
        persons=[PersonData(name="Andrei Popescu", date_of_birth="1990-05-05")],
    )
    case = Case.objects.order_by("opened_at").first()
    document = document_add(
        case=case,
        user=User.objects.get(username="caseworker"),
        title="Verklaring",
        upload=SimpleUploadedFile("verklaring.pdf", PDF, "application/pdf"),
    )
    conversation, _code = chat_leave_message(language="pl", text="Szef zabral moj paszport.")
    message_reply_by_visitor(conversation=conversation, text="Pracuje w myjni w Enschede.")
print(json.dumps({
    "signal": str(signal.pk),
    "document": document.pk,
    "conversation": str(conversation.pk),
    "cases": Case.objects.count(),
}))
"""

READ = """
import json
from baken.casework.models import Case, CaseDocument, Person
from baken.casework.services import document_read
from baken.chat.models import Conversation
from baken.audit.services import Actor, acting_as

ids = json.loads(%(ids)r)
with acting_as(Actor(actor_name="drill", origin="cli")):
    document = CaseDocument.objects.get(pk=ids["document"])
    data = document_read(document=document, purpose="backup drill")
conversation = Conversation.objects.get(pk=ids["conversation"])
print(json.dumps({
    "document": data.decode("latin-1"),
    "person": Person.objects.get(signal_id=ids["signal"]).name,
    "messages": [m.text for m in conversation.messages.order_by("seq")],
    "cases": Case.objects.count(),
}))
"""


def _postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if urlparse(url).scheme in {"postgres", "postgresql"} else None


def _psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", "postgres", "-c", sql],
        check=True,
        capture_output=True,
    )


class Installation:
    """One Baken: its own var/ directory (private files) and database, the drill's keys."""

    def __init__(self, var: Path, database_url: str, **env: str) -> None:
        self.var = var
        self.env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", *KEYS}
            and not key.endswith("_KEY_FILE")
        }
        self.env.update({"BAKEN_VAR_DIR": str(var), "DATABASE_URL": database_url, **KEYS, **env})

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [*BAKEN, *args], env=self.env, capture_output=True, text=True, timeout=300
        )
        if check:
            assert result.returncode == 0, result.stderr[-3000:]
        return result

    def shell(self, code: str) -> dict:
        return json.loads(self.run("shell", "-c", code).stdout.strip().splitlines()[-1])

    def tables(self) -> int:
        return self.shell(
            "import json; from django.db import connection;"
            " print(json.dumps({'n': len(connection.introspection.table_names())}))"
        )["n"]

    def private_files(self) -> list[Path]:
        root = self.var / "private"
        return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def databases(request, tmp_path_factory):
    """A factory of empty databases of one vendor, as DATABASE_URLs."""
    if request.param == "sqlite":
        root = tmp_path_factory.mktemp("sqlite")
        yield lambda name: f"sqlite:///{root / name}.sqlite3"
        return
    if _postgres_url() is None or shutil.which("psql") is None:
        pytest.skip("PostgreSQL drill: DATABASE_URL does not point at PostgreSQL")
    made = []

    def new(name: str) -> str:
        database = f"baken_drill_{name}_{uuid.uuid4().hex[:8]}"
        _psql(f"CREATE DATABASE {database}")
        made.append(database)
        return f"postgres://postgres@127.0.0.1:5432/{database}"

    yield new
    for database in made:
        _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@pytest.fixture(scope="module")
def backed_up(databases, tmp_path_factory):
    """A region with cases, a document, a signal with a person and a left chat, backed up."""
    source = Installation(tmp_path_factory.mktemp("source"), databases("source"))
    source.run("migrate", "--no-input")
    source.run("demo")
    ids = source.shell(BUILD % {"pdf": PDF})
    backup = tmp_path_factory.mktemp("backups") / "nightly"
    output = source.run("backup", str(backup)).stdout
    assert "The keys are not in it" in output
    return source, ids, backup


def test_a_region_restored_into_an_empty_database_is_all_there_and_readable(
    backed_up, databases, tmp_path
):
    source, ids, backup = backed_up
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["database"]["vendor"] in {"sqlite", "postgresql"}
    assert "0001_initial" in manifest["migrations"]["casework"]
    assert len(manifest["files"]) == 1 and manifest["files"][0]["name"].startswith(
        "case-documents/"
    )
    # Keys are never in the backup, only their fingerprints.
    everything = b"".join(path.read_bytes() for path in backup.rglob("*") if path.is_file())
    for key in KEYS.values():
        assert key.encode() not in everything
    assert b"Popescu" not in everything  # the document and the name stay encrypted
    assert oct(backup.stat().st_mode & 0o777) == "0o700"

    target = Installation(tmp_path / "var", databases("target"))
    result = target.run("restore", str(backup))
    assert "Restored" in result.stdout

    restored = target.shell(READ % {"ids": json.dumps(ids)})
    assert restored["document"].encode("latin-1") == PDF
    assert restored["person"] == "Andrei Popescu"
    assert restored["messages"] == ["Szef zabral moj paszport.", "Pracuje w myjni w Enschede."]
    assert restored["cases"] == ids["cases"]
    assert target.run("migrate", "--check", check=False).returncode == 0

    # A second restore into the now full database is refused.
    again = target.run("restore", str(backup), check=False)
    assert again.returncode != 0
    assert "The database is not empty" in again.stderr


def test_restore_refuses_when_the_running_keys_differ_from_the_backups(
    backed_up, databases, tmp_path
):
    _source, _ids, backup = backed_up
    target = Installation(
        tmp_path / "var",
        databases("wrongkey"),
        FIELD_ENCRYPTION_KEY="another-field-encryption-key-0123456789abcdef",
    )
    result = target.run("restore", str(backup), check=False)
    assert result.returncode != 0
    assert "do not match the backup's" in result.stderr
    assert "FIELD_ENCRYPTION_KEY" in result.stderr
    assert "Traceback" not in result.stderr
    assert target.tables() == 0 and target.private_files() == []


def test_a_tampered_file_is_refused_and_nothing_is_restored(backed_up, databases, tmp_path):
    _source, _ids, backup = backed_up
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    document = next(path for path in (tampered / "files").rglob("*") if path.is_file())
    document.write_bytes(document.read_bytes()[:-1] + b"A")
    target = Installation(tmp_path / "var", databases("tampered"))
    result = target.run("restore", str(tampered), check=False)
    assert result.returncode != 0
    assert "The backup is damaged, nothing was restored" in result.stderr
    assert "does not match its checksum" in result.stderr
    assert target.tables() == 0 and target.private_files() == []
