"""Backup and restore of a whole installation: the database, the private files, a manifest.

A backup directory holds

- ``database.dump`` (PostgreSQL, ``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite,
  made with SQLite's online backup API, never a copy of the live file);
- ``files/``: every file of the private storage (case documents, inspection photos), as stored,
  so still encrypted;
- ``manifest.json``: Baken's version, the migrations applied per app, the time, the database
  vendor, each file with its size and sha256, and a fingerprint of each key.

The keys (``SECRET_KEY``, ``FIELD_ENCRYPTION_KEY``, ``PSEUDONYM_KEY``) are never written: a
fingerprint (the first 8 hex digits of a sha256) tells ``backup_restore`` whether the running keys
can read the backup, and it refuses when they cannot. ``backup_restore`` checks everything before
it writes anything (docs/deploy.md, "Backup and restore").
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import sqlite3
import subprocess  # nosec B404 # pg_dump and pg_restore, argument lists, no shell
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import BinaryIO, TypedDict

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from baken.audit.services import AuditAction, audit_record
from baken.lib.storage import private_storage

__all__ = [
    "BackupError",
    "BackupSummary",
    "backup_create",
    "backup_restore",
]

MANIFEST = "manifest.json"
FILES = "files"
FORMAT = 1
_DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
_CHUNK = 1024 * 1024


class FileEntry(TypedDict):
    name: str
    size: int
    sha256: str


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSummary:
    directory: Path
    vendor: str
    database_bytes: int
    files: int
    files_bytes: int


# --- Keys -----------------------------------------------------------------------------------------


def _fingerprint(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:8]


def _key_fingerprints() -> dict[str, list[str]]:
    """Fingerprints of the running keys; for FIELD_ENCRYPTION_KEY every key of the rotation."""
    return {
        "SECRET_KEY": [_fingerprint(settings.SECRET_KEY)],
        "SECRET_KEY_FALLBACKS": [_fingerprint(key) for key in settings.SECRET_KEY_FALLBACKS],
        "FIELD_ENCRYPTION_KEY": [_fingerprint(key) for key in settings.SALT_KEY],
        "PSEUDONYM_KEY": [_fingerprint(key) for key in settings.PSEUDONYM_KEYS],
    }


def _key_problems(backup: dict[str, list[str]]) -> list[str]:
    """What the running keys lack to read the backup: its SECRET_KEY (as the key or a fallback),
    every FIELD_ENCRYPTION_KEY it had (older rows may still be encrypted with a rotated one) and
    every PSEUDONYM_KEY it had (the pseudonyms that link signals are made with them)."""
    running = _key_fingerprints()
    problems = []
    secrets = set(running["SECRET_KEY"]) | set(running["SECRET_KEY_FALLBACKS"])
    if not set(backup.get("SECRET_KEY", [])) <= secrets:
        problems.append(
            f"SECRET_KEY differs (backup {', '.join(backup.get('SECRET_KEY', []))},"
            f" here {', '.join(running['SECRET_KEY'])})"
        )
    missing = [
        key
        for key in backup.get("FIELD_ENCRYPTION_KEY", [])
        if key not in running["FIELD_ENCRYPTION_KEY"]
    ]
    if missing:
        problems.append(
            f"FIELD_ENCRYPTION_KEY lacks the backup's key {', '.join(missing)}"
            f" (here {', '.join(running['FIELD_ENCRYPTION_KEY'])})"
        )
    if not set(backup.get("PSEUDONYM_KEY", [])) <= set(running["PSEUDONYM_KEY"]):
        problems.append(
            f"PSEUDONYM_KEY differs (backup {', '.join(backup.get('PSEUDONYM_KEY', []))},"
            f" here {', '.join(running['PSEUDONYM_KEY'])})"
        )
    return problems


# --- Files of the private storage -----------------------------------------------------------------


def _storage_names(storage: Storage, directory: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a local storage that has never held a file
        return
    for name in sorted(files):
        yield posixpath.join(directory, name) if directory else name
    for sub in sorted(directories):
        yield from _storage_names(storage, posixpath.join(directory, sub) if directory else sub)


def _copy(source: File, target: BinaryIO) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(_CHUNK):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _safe_name(name: object) -> str:
    """A manifest's file name, refused when it could point outside the backup or the storage."""
    if not isinstance(name, str) or not name:
        raise BackupError(f"The manifest names a file without a proper name: {name!r}.")
    parts = name.split("/")
    if name.startswith("/") or "\\" in name or any(part in {"", ".", ".."} for part in parts):
        raise BackupError(f"The manifest names a file outside the backup: {name!r}.")
    return name


def _private_file(path: Path) -> BinaryIO:
    """A new file that only Baken's own user can read (the backup holds personal data)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


# --- Database -------------------------------------------------------------------------------------


def _vendor() -> str:
    if connection.vendor not in _DUMPS:
        raise BackupError(f"Baken cannot back up a {connection.vendor} database.")
    return connection.vendor


def _postgres_environment() -> dict[str, str]:
    """libpq's environment for pg_dump and pg_restore, from settings.DATABASES (the password
    stays out of the process list)."""
    database = settings.DATABASES["default"]
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", database.get("HOST")),
        ("PGPORT", database.get("PORT")),
        ("PGUSER", database.get("USER")),
        ("PGPASSWORD", database.get("PASSWORD")),
        ("PGDATABASE", database.get("NAME")),
        ("PGSSLMODE", database.get("OPTIONS", {}).get("sslmode")),
    ):
        if value:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], what: str) -> None:
    try:
        result = subprocess.run(  # nosec B603 # fixed pg_* commands; paths from the operator
            command, env=_postgres_environment(), capture_output=True, text=True, check=False
        )
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed; it comes with the PostgreSQL client"
            " (Debian: apt-get install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{what} failed: {result.stderr.strip() or result.returncode}")


def _database_dump(target: Path, vendor: str) -> None:
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", f"--file={target}"], "pg_dump")
        target.chmod(0o600)
        return
    connection.ensure_connection()
    source = connection.connection
    with _private_file(target):
        pass  # created owner-only; SQLite writes into it
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # SQLite's online backup: consistent while others write
    finally:
        destination.close()


def _database_tables() -> list[str]:
    return connection.introspection.table_names()


def _database_load(source: Path, vendor: str, *, replace: bool) -> None:
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        # One transaction: a failure leaves the database as it was.
        command += ["--clean", "--if-exists"] if replace else ["--single-transaction"]
        _run(
            [*command, f"--dbname={settings.DATABASES['default']['NAME']}", str(source)],
            "pg_restore",
        )
        connection.close()
        return
    connection.ensure_connection()
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        backup.backup(connection.connection)  # replaces the whole database, page by page
    finally:
        backup.close()
    connection.close()


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


# --- Backup ---------------------------------------------------------------------------------------


def _baken_version() -> str:
    try:
        return version("baken")
    except PackageNotFoundError:
        return "unknown"


def backup_create(*, directory: Path) -> BackupSummary:
    """Write a backup into ``directory`` (new, or empty). The database first, then the files:
    a document uploaded meanwhile is at worst an extra file, never a row without its file. The
    manifest is written last, so a directory without one is not a backup."""
    vendor = _vendor()
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory} is not an empty directory; choose a new one.")
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    directory.chmod(0o700)
    dump = directory / _DUMPS[vendor]
    _database_dump(dump, vendor)
    storage = private_storage()
    files: list[FileEntry] = []
    for name in _storage_names(storage):
        target = directory / FILES / name
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, _private_file(target) as out:
            digest, size = _copy(source, out)
        files.append({"name": name, "size": size, "sha256": digest})
    database_bytes = dump.stat().st_size
    manifest = {
        "format": FORMAT,
        "baken_version": _baken_version(),
        "created_at": timezone.now().isoformat(),
        "database": {
            "vendor": vendor,
            "file": dump.name,
            "size": database_bytes,
            "sha256": _sha256(dump),
        },
        "migrations": _applied_migrations(),
        "files": files,
        "keys": _key_fingerprints(),
    }
    with _private_file(directory / MANIFEST) as out:
        out.write(json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8"))
    # A backup holds everyone's data: it is an export in the audit trail (BIO2 8.15.01).
    audit_record(
        action=AuditAction.EXPORT,
        object_type="installation",
        object_id=str(directory),
        purpose="backup",
    )
    return BackupSummary(
        directory=directory,
        vendor=vendor,
        database_bytes=database_bytes,
        files=len(files),
        files_bytes=sum(entry["size"] for entry in files),
    )


# --- Restore --------------------------------------------------------------------------------------


def _manifest(directory: Path) -> dict:
    try:
        manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{directory} holds no {MANIFEST}: it is not a (complete) Baken backup."
        ) from None
    except (OSError, ValueError) as error:
        raise BackupError(f"{directory / MANIFEST} cannot be read: {error}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{directory / MANIFEST} is not a manifest this Baken can read.")
    return manifest


def _verify(directory: Path, manifest: dict) -> tuple[Path, list[tuple[str, Path]]]:
    """Every checksum, before anything is written. Returns the dump and the files to restore."""
    damaged = []
    database = manifest.get("database") or {}
    dump = directory / _safe_name(database.get("file"))
    if not dump.is_file():
        damaged.append(f"{dump.name} is missing")
    elif _sha256(dump) != database.get("sha256"):
        damaged.append(f"{dump.name} does not match its checksum")
    files = []
    for entry in manifest.get("files") or []:
        name = _safe_name(entry.get("name"))
        path = directory / FILES / name
        if not path.is_file():
            damaged.append(f"{FILES}/{name} is missing")
        elif _sha256(path) != entry.get("sha256"):
            damaged.append(f"{FILES}/{name} does not match its checksum")
        files.append((name, path))
    if damaged:
        shown = "; ".join(damaged[:5]) + (
            f"; and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        )
        raise BackupError(f"The backup is damaged, nothing was restored: {shown}.")
    return dump, files


def _unknown_migrations(manifest: dict) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = manifest.get("migrations") or {}
    return [
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in known
    ]


def backup_restore(*, directory: Path, force: bool = False) -> BackupSummary:
    """Restore a backup made by ``backup_create`` into this installation's database (empty, unless
    ``force``) and private storage, then apply this version's migrations.

    Refuses, having written nothing, when the running keys cannot read the backup, when the backup
    comes from another database vendor or a newer Baken, when a checksum does not match, or when
    the database or the storage is not empty (without ``force``)."""
    manifest = _manifest(directory)
    vendor = _vendor()
    problems = _key_problems(manifest.get("keys") or {})
    if problems:
        raise BackupError(
            "The keys of this installation do not match the backup's, so its encrypted fields"
            f" and documents could not be read: {'; '.join(problems)}. Start Baken with the keys"
            " the backup was made with (from the organisation's secret store); nothing was"
            " restored."
        )
    backup_vendor = (manifest.get("database") or {}).get("vendor")
    if backup_vendor != vendor:
        raise BackupError(
            f"The backup holds a {backup_vendor} database and this installation uses {vendor};"
            " restore it into the same kind of database. Nothing was restored."
        )
    unknown = _unknown_migrations(manifest)
    if unknown:
        raise BackupError(
            f"The backup was made by a newer Baken ({manifest.get('baken_version')}): this"
            f" version does not know {', '.join(unknown[:3])}. Install that version or a later"
            " one first. Nothing was restored."
        )
    dump, files = _verify(directory, manifest)
    storage = private_storage()
    if not force:
        tables = _database_tables()
        if tables:
            raise BackupError(
                f"The database is not empty (it has {len(tables)} tables). Restore into a new,"
                " empty database, or pass --force to replace what is in it. Nothing was restored."
            )
        if next(_storage_names(storage), None) is not None:
            raise BackupError(
                "The private storage already holds files. Restore into an empty storage, or pass"
                " --force to replace them. Nothing was restored."
            )
    _database_load(dump, vendor, replace=force)
    for name, path in files:
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as handle:
            saved = storage.save(name, File(handle, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(f"The storage stored {name} as {saved}; the restore is incomplete.")
    call_command("migrate", interactive=False, verbosity=0)
    audit_record(
        action=AuditAction.CREATE,
        object_type="installation",
        object_id=str(directory),
        purpose=f"restore of the backup of {manifest.get('created_at')}",
    )
    return BackupSummary(
        directory=directory,
        vendor=vendor,
        database_bytes=dump.stat().st_size,
        files=len(files),
        files_bytes=sum(path.stat().st_size for _name, path in files),
    )
