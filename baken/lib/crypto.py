"""Encryption of files at rest with the same Fernet keys as the encrypted model fields.

django-fernet-encrypted-fields derives its (Multi)Fernet from SECRET_KEY and FIELD_ENCRYPTION_KEY;
files use exactly those keys, so rotating works the same way for both (docs/security.md).

The library derives the keys once per field instance (a ``cached_property``) and this module
once per process: a process that changes the settings (a test with ``override_settings``) must
call ``keys_reset``; ``setting_changed`` does so for the three settings the keys come from.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.core.signals import setting_changed

__all__ = [
    "InvalidToken",
    "decrypt_bytes",
    "encrypt_bytes",
    "keys_reset",
    "reencrypt_token",
]

_KEY_SETTINGS = frozenset({"SECRET_KEY", "SECRET_KEY_FALLBACKS", "SALT_KEY"})


@lru_cache(maxsize=1)
def _keys() -> tuple[bytes, ...]:
    # Imported on first use: the field module is Django model machinery, and the kernel stays
    # importable before Django is set up (settings import baken.lib).
    from encrypted_fields.fields import EncryptedTextField

    # The library's order: SECRET_KEY with each FIELD_ENCRYPTION_KEY entry, then the fallbacks.
    return tuple(EncryptedTextField().keys)


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


@lru_cache(maxsize=1)
def _first() -> Fernet:
    return Fernet(_keys()[0])


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def reencrypt_token(token: bytes) -> bytes | None:
    """``token`` encrypted with the first key (its time stamp kept), or None when it already is.

    Raises ``InvalidToken`` when no key of the list reads it.
    """
    try:
        _first().decrypt(token)
    except InvalidToken:
        return _fernet().rotate(token)
    return None


def keys_reset() -> None:
    """Forget every derived key, here and on the encrypted fields of every model."""
    # Imported here, as above: Django's app registry and the field module need set-up Django.
    from django.apps import apps
    from encrypted_fields.fields import EncryptedFieldMixin

    for cached in (_keys, _fernet, _first):
        cached.cache_clear()
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.get_fields():
            if isinstance(field, EncryptedFieldMixin):
                field.__dict__.pop("keys", None)
                field.__dict__.pop("f", None)


def _settings_changed(*, setting: str, **_: object) -> None:
    if setting in _KEY_SETTINGS:
        keys_reset()


setting_changed.connect(_settings_changed, dispatch_uid="baken-crypto-keys")
