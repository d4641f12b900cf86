"""Linking a file of ads: read and check each line, prepare in worker processes, link in order.

Used by ``baken ads link`` and ``bench/admonitor.py``. Reading, checking, extracting contact
details and computing MinHash signatures need no shared state and run in ``workers`` forked
processes; the linking itself (union–find and the LSH index) runs in this process, in input
order, while the workers prepare the next chunk. Only what the output needs is kept per ad (its
id and numbers), not its text, so a million ads fit in memory. Pure Python, no Django.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import TypedDict, Unpack

from baken.admonitor.engine.linking import Linker, Prepared, prepare
from baken.admonitor.engine.records import Ad, AdError, ad_from_json

__all__ = ["LinkRun", "LinkerOptions", "link_lines", "reasons_of"]

CHUNK = 2000


@dataclass
class LinkRun:
    linker: Linker
    #: (ad id as in the file, key) per good line, in file order.
    ads: list[tuple[str, str]] = field(default_factory=list)
    phones: dict[str, list[str]] = field(default_factory=dict)
    #: (line number, message) per bad line.
    errors: list[tuple[int, str]] = field(default_factory=list)


class LinkerOptions(TypedDict, total=False):
    """The settings ``link_lines`` passes on to ``Linker``."""

    threshold: float
    num_perm: int
    shared_limit: int
    region: str
    max_text_neighbours: int


#: A chunk of numbered lines with the linker's num_perm, threshold and region.
Job = tuple[list[tuple[int, str]], int, float, str]


def _prepare_chunk(args: Job) -> tuple[list[Prepared], list[tuple[int, str]]]:
    numbered, num_perm, threshold, region = args
    ads: list[Ad] = []
    errors: list[tuple[int, str]] = []
    for number, line in numbered:
        if not line.strip():
            continue
        try:
            ads.append(ad_from_json(line))
        except AdError as error:
            errors.append((number, str(error)))
    return prepare(ads, num_perm=num_perm, threshold=threshold, region=region), errors


def _chunks(lines: Iterable[str]) -> Iterator[list[tuple[int, str]]]:
    numbered = enumerate(lines, start=1)
    while chunk := list(islice(numbered, CHUNK)):
        yield chunk


def link_lines(
    lines: Iterable[str], *, workers: int = 1, **options: Unpack[LinkerOptions]
) -> LinkRun:
    """Link every good line of a JSON Lines file; bad lines are reported, the rest goes on."""
    linker = Linker(**options)
    run = LinkRun(linker)
    jobs = ((chunk, linker.num_perm, linker.threshold, linker.region) for chunk in _chunks(lines))
    # The linker's tables (millions of small lists, sets and tuples) hold no reference cycles;
    # left on, Python's cyclic collector walks them all again and again (15–30% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        if workers > 1:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers) as pool:
                for prepared, errors in pool.imap(_prepare_chunk, jobs):
                    _take(run, prepared, errors)
        else:
            for job in jobs:
                _take(run, *_prepare_chunk(job))
    finally:
        if collecting:
            gc.enable()
    return run


def _take(run: LinkRun, prepared: list[Prepared], errors: list[tuple[int, str]]) -> None:
    run.errors.extend(errors)
    for item in prepared:
        if item.key in run.phones:
            continue  # the same ad twice in one file: once is enough
        run.ads.append((item.id, item.key))
        run.phones[item.key] = item.phones
    run.linker.add_prepared(prepared)  # skips ads it already holds


def reasons_of(linker: Linker, key: str) -> list[str]:
    """Why an ad is where it is, one sentence per link, and what was not used."""
    reasons = []
    for link in linker.links_of(key):
        if link.kind == "text":
            reasons.append(
                f"text like {link.value.split(':', 1)[-1]} (similarity {link.score:.2f})"
            )
        else:
            others = len(linker.ads_with(f"{link.kind}:{link.value}")) - 1
            reasons.append(
                f"{link.kind} {link.value} (also in {others} other ad{'s' if others != 1 else ''})"
            )
    for identifier, why in linker.shared_of(key):
        kind, value = identifier.split(":", 1)
        reasons.append(f"{kind} {value} is widely shared ({why}): not used for linking")
    return reasons
