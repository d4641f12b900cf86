"""The private storage of case documents and inspection photos.

Files are encrypted (``baken.lib.crypto``) before they reach the storage named
``settings.STORAGES["private"]``: a directory under ``var/`` by default, S3-compatible object
storage with ``BAKEN_STORAGE=s3`` (django-storages, ``baken.lib.storage_s3``), so that web
containers hold no state (docs/deploy.md). A private file has no URL: it is served only through
a permission-checked, audited view.
"""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage, Storage, storages

#: The alias in ``settings.STORAGES``.
PRIVATE = "private"


def private_storage() -> Storage:
    """The private storage; a callable for ``FileField(storage=...)``, so that migrations name
    this function rather than the backend a region happens to configure."""
    return storages[PRIVATE]


class NoPublicUrl(ValueError):
    """Raised by ``url()``: private files are never reachable by address."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on the local disk, readable by Baken's own user only, without a URL."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    def url(self, name: str | None) -> str:
        raise NoPublicUrl("Private files have no URL; they are served through an audited view.")
