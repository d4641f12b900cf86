"""Fast, isolated settings for the test suite (one place, as in healthchecks).

Uses ``DATABASE_URL`` when set (CI runs the suite on PostgreSQL and on SQLite).
"""

import os
import tempfile

os.environ.setdefault("BAKEN_VAR_DIR", tempfile.mkdtemp(prefix="baken-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "test-field-encryption-key-0123456789abcdef")

from baken.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:  # noqa: F405 - CI's PostgreSQL run also exercises the Redis channel layer
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": f"baken-test-{os.getpid()}"},  # noqa: F405
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    # Documents and photos on disk under the test run's own var/ directory, as in production.
    "private": PRIVATE_STORAGE,  # noqa: F405
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
DEMO_MODE = False
CHAT_CLOSED_ON_PUBLIC_HOLIDAYS = (
    False  # tests must not depend on the calendar; hours are tested directly
)

# SQLite: a test database in a file, not in memory. The browser tests serve the app from a
# thread (uvicorn for websockets) with its own connection; in a shared in-memory database a
# second writer fails at once ("database table is locked"), in a file it waits its turn.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["BAKEN_VAR_DIR"], "test.sqlite3")
    }
