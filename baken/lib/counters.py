"""Counter rows (trend figures): add to the row for a key, creating it the first time.

One UPDATE in the common case; when two requests create the same row at once, the loser of the
unique constraint adds to the winner's row instead.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import IntegrityError, models, transaction
from django.db.models import F

__all__ = ["counter_add", "counters_add_many"]


def counter_add(model: type[models.Model], key: dict, **increments: int) -> None:
    """Add ``increments`` (field → amount) to the row of ``model`` identified by ``key``."""
    rows = model._default_manager.filter(**key)
    updates = {name: F(name) + amount for name, amount in increments.items()}
    if rows.update(**updates):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**key, **increments)
    except IntegrityError:
        rows.update(**updates)


def counters_add_many(
    model: type[models.Model],
    key_fields: tuple[str, ...],
    rows: Iterable[tuple[tuple[object, ...], dict[str, int]]],
) -> int:
    """Add many increments at once (an import of earlier counts): ``rows`` holds
    (key values in the order of ``key_fields``, field → amount). Keys that repeat are summed;
    keys that have a row already are added to it, the rest are created in bulk. Call inside a
    transaction. Returns the number of distinct keys."""
    summed: dict[tuple[object, ...], dict[str, int]] = {}
    for key, increments in rows:
        into = summed.setdefault(key, {})
        for name, amount in increments.items():
            into[name] = into.get(name, 0) + amount
    manager = model._default_manager
    existing: set[tuple[object, ...]] = set()
    first = key_fields[0]
    firsts = {key[0] for key in summed}
    for found in manager.filter(**{f"{first}__in": firsts}).values_list(*key_fields):
        if tuple(found) in summed:
            existing.add(tuple(found))
    for key in existing:
        manager.filter(**dict(zip(key_fields, key, strict=True))).update(
            **{name: F(name) + amount for name, amount in summed[key].items()}
        )
    manager.bulk_create(
        [
            model(**dict(zip(key_fields, key, strict=True)), **increments)
            for key, increments in summed.items()
            if key not in existing
        ],
        batch_size=2000,
    )
    return len(summed)
