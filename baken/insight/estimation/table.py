"""Capture tables: how many people were seen on each combination of lists.

A table has one 0/1 column per list (source) and a ``count``; each row is a pattern of list
membership. The pattern with every list 0 (people on no list) is what is estimated, so it
never appears. Rows may repeat a pattern (they are added) and may leave patterns out (they are
zero). Optional stratum columns (year, form, sex, age group) split the file into tables that
are estimated separately.

Pure Python and numpy: no Django (the command line, the web and the benchmarks share it).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["CaptureTable", "TableError", "read_tables", "MAX_LISTS"]

#: 2**16 - 1 patterns is the most this engine will build a design for.
MAX_LISTS = 16


class TableError(ValueError):
    """A file that is not a capture table; ``line`` is 1-based (the header is line 1)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line else message)
        self.line = line


@dataclass(frozen=True)
class CaptureTable:
    """Counts for every non-empty pattern of ``lists``, in a fixed order (binary counting)."""

    lists: tuple[str, ...]
    patterns: NDArray[np.int8]  # (2**k - 1, k) of 0/1
    counts: NDArray[np.float64]  # (2**k - 1,) float

    @classmethod
    def from_rows(
        cls, lists: Iterable[str], rows: Iterable[tuple[Sequence[int], float]]
    ) -> CaptureTable:
        """``rows``: iterable of (pattern tuple of 0/1, count)."""
        names = tuple(lists)
        k = len(names)
        patterns = all_patterns(k)
        index = {tuple(p): i for i, p in enumerate(patterns.tolist())}
        counts = np.zeros(len(patterns))
        for pattern, count in rows:
            if not any(pattern):
                continue
            counts[index[tuple(pattern)]] += count
        return cls(lists=names, patterns=patterns, counts=counts)

    @property
    def observed(self) -> int:
        return int(round(self.counts.sum()))

    def to_csv(self) -> str:
        """The table in the format ``read_tables`` (and ``baken estimate``) reads: one 0/1
        column per list and ``count``, the patterns nobody has left out."""
        lines = [",".join([*self.lists, "count"])]
        for pattern, count in zip(self.patterns, self.counts, strict=True):
            if count:
                lines.append(",".join([*map(str, pattern.tolist()), str(int(count))]))
        return "\n".join(lines) + "\n"

    def reordered(self, order: list[str]) -> CaptureTable:
        """The same table with its lists in another order."""
        columns = [self.lists.index(name) for name in order]
        rows = ((tuple(p[columns]), c) for p, c in zip(self.patterns, self.counts, strict=True))
        return CaptureTable.from_rows(order, rows)

    def pair_overlap(self, a: int, b: int) -> float:
        both = (self.patterns[:, a] == 1) & (self.patterns[:, b] == 1)
        return float(self.counts[both].sum())


def all_patterns(k: int) -> NDArray[np.int8]:
    """Every non-empty 0/1 pattern of ``k`` lists, ``(2**k - 1, k)``."""
    grid = np.array(list(itertools.product((0, 1), repeat=k)), dtype=np.int8)
    return grid[1:]


def read_tables(
    text: str, *, strata: list[str] | None = None
) -> dict[tuple[str, ...], CaptureTable]:
    """Read a CSV: 0/1 list columns, ``count``, and the named stratum columns.

    Returns one table per stratum (key ``()`` without strata). Every problem names its line.
    """
    strata = strata or []
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise TableError("the file is empty") from None
    if "count" not in header:
        raise TableError("there is no column named 'count'", 1)
    duplicates = {name for name in header if header.count(name) > 1}
    if duplicates:
        raise TableError(f"column names appear twice: {', '.join(sorted(duplicates))}", 1)
    for name in strata:
        if name not in header:
            raise TableError(f"there is no stratum column named {name!r}", 1)
    lists = [name for name in header if name != "count" and name not in strata]
    if len(lists) < 2:
        raise TableError("a capture table needs at least two list columns besides 'count'", 1)
    if len(lists) > MAX_LISTS:
        raise TableError(f"at most {MAX_LISTS} lists are supported, this file has {len(lists)}", 1)
    if any(not name for name in lists):
        raise TableError("a column has no name", 1)
    positions = {name: header.index(name) for name in header}
    grouped: dict[tuple[str, ...], list[tuple[tuple[int, ...], float]]] = {}
    for line, row in enumerate(reader, start=2):
        if not row or all(not cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise TableError(f"expected {len(header)} values, found {len(row)}", line)
        pattern: list[int] = []
        for name in lists:
            value = row[positions[name]].strip()
            if value not in ("0", "1"):
                raise TableError(f"column {name!r} must be 0 or 1, not {value!r}", line)
            pattern.append(int(value))
        raw = row[positions["count"]].strip()
        try:
            count = float(raw)
        except ValueError:
            raise TableError(f"count must be a whole number, not {raw!r}", line) from None
        if count < 0 or count != int(count):
            raise TableError(f"count must be a whole number of 0 or more, not {raw!r}", line)
        if not any(pattern) and count > 0:
            raise TableError(
                "a row on no list at all cannot have a count: that is what is estimated", line
            )
        key = tuple(row[positions[name]].strip() for name in strata)
        grouped.setdefault(key, []).append((tuple(pattern), count))
    if not grouped:
        raise TableError("the file has a header but no rows")
    return {key: CaptureTable.from_rows(lists, rows) for key, rows in sorted(grouped.items())}
