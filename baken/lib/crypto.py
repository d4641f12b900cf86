"""Encryption of files at rest with the same Fernet keys as the encrypted model fields.

django-fernet-encrypted-fields derives its (Multi)Fernet from SECRET_KEY and FIELD_ENCRYPTION_KEY;
files use exactly those keys, so rotating works the same way for both (docs/security.md).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _fernet():
    # Imported on first use: the field module is Django model machinery, and the kernel stays
    # importable before Django is set up (settings import baken.lib).
    from encrypted_fields.fields import EncryptedTextField

    return EncryptedTextField().f


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)
