"""Counter rows (trend figures): add to the row for a key, creating it the first time.

One UPDATE in the common case; when two requests create the same row at once, the loser of the
unique constraint adds to the winner's row instead.
"""

from __future__ import annotations

from django.db import IntegrityError, models, transaction
from django.db.models import F


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
