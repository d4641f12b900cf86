"""Limits for anonymous visitors without storing who they are.

A visitor's address is turned into a *keyed, rotating* hash: HMAC-SHA256 under a key derived
from ``SECRET_KEY`` and today's date (UTC). The hash lives only in cache keys with a short
expiry, never in the database or a log, and tomorrow's hash of the same address is unrelated.
HTTP views use django-ratelimit with :func:`ratelimit_key` as its key; websocket frames, which
django-ratelimit cannot see, are limited per connection in the consumer, and starting chats is
limited here with :func:`hit`.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

__all__ = ["visitor_key", "ratelimit_key", "hit", "block", "is_blocked"]


def _day_key() -> bytes:
    day = timezone.now().strftime("%Y-%m-%d")
    return hmac.new(settings.SECRET_KEY.encode(), f"visitor-day:{day}".encode(), "sha256").digest()


def _network(address: str) -> str:
    """What one visitor controls: an IPv4 address, or the /64 of an IPv6 address (a home or a
    phone gets a whole /64 and picks any address in it, so hashing each address would let one
    visitor escape every limit by changing the last bits)."""
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def visitor_key(address: str | None) -> str:
    """The rotating hash of a client address's network (empty address → one shared bucket)."""
    network = _network(address) if address else "-"
    return hmac.new(_day_key(), network.encode(), hashlib.sha256).hexdigest()[:32]


def client_address(request) -> str:
    """The address the request came from, for hashing only (never store or log it)."""
    return request.META.get("REMOTE_ADDR", "")


def ratelimit_key(group: str, request) -> str:
    """Key function for django-ratelimit: the rotating hash instead of the address."""
    return visitor_key(client_address(request))


def count(cache_key: str, *, window_seconds: int) -> int:
    """Add one to a counter in the cache (created at 1, gone after the window); return it."""
    if cache.add(cache_key, 1, timeout=window_seconds):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_seconds)
        return 1


def hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one use of ``scope`` by ``key``; True when the limit is exceeded."""
    return count(f"rl:{scope}:{key}", window_seconds=window_seconds) > limit


def is_limited(scope: str, key: str, *, limit: int) -> bool:
    """Whether ``key`` already used up its ``limit`` of ``scope`` (without counting this use)."""
    return (cache.get(f"rl:{scope}:{key}") or 0) >= limit


def block(key: str, *, hours: int) -> None:
    cache.set(f"blocked:{key}", True, timeout=hours * 3600)


def is_blocked(key: str) -> bool:
    return bool(cache.get(f"blocked:{key}"))
