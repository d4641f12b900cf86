"""Linking ads into advertisers and operators, incrementally, with a reason for every link.

*Hard links* join ads that show the same normalised phone number, e-mail address, handle or
image hash. An identifier that turns up next to too many different phone numbers (an agency's
or receptionist's number, a stock photo, a site's default e-mail) would weld unrelated people
into one giant cluster: once it passes ``shared_limit`` it is marked *widely shared*, stops
linking, and the clusters it had joined are rebuilt without it.

*Soft links* join ads whose texts are near-duplicates: MinHash signatures of word 3-shingles
(datasketch), candidates from locality-sensitive hashing with the banding datasketch's
``MinHashLSH`` chooses for the threshold, kept when the estimated Jaccard similarity reaches
``threshold``. The band keys are plain 64-bit integers (mmh3 of each band), so the same index
lives in memory here and in the database (``AdBand``). A text that is a near-duplicate of ads
in many different clusters is a site's boilerplate, not a template, and links nothing.

Incremental: ``add()`` takes a new batch and joins it to the clusters already there, without
redoing history. Clusters are kept with a union–find structure; a cluster's id is the key of its
earliest ad. Pure Python (datasketch, numpy, mmh3), no Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import mmh3
import numpy as np
from datasketch import MinHash, MinHashLSH

from baken.admonitor.engine.contacts import emails_in, handles_in, phones_in
from baken.admonitor.engine.records import Ad
from baken.admonitor.engine.text import shingles, words

__all__ = ["Link", "Linker", "Prepared", "extract", "prepare", "text_links_to_keep"]


#: An ad as ``text_links_to_keep`` sees it (an index in memory, a primary key in the database),
#: and the cluster it is in.
_Other = TypeVar("_Other")
_Group = TypeVar("_Group", bound=Hashable)


def _hash32(data: bytes) -> int:
    return mmh3.hash(data, signed=False)


def extract(ad: Ad, *, region: str = "NL") -> Ad:
    """Fill the ad's normalised identifiers from its fields, title and text."""
    phones = phones_in(ad.phone, region=region) if ad.phone else []
    for part in (ad.title, ad.text):
        for number in phones_in(part, region=region):
            if number not in phones:
                phones.append(number)
    ad.phones = phones
    emails = emails_in(ad.email) if ad.email else []
    ad.emails = list(dict.fromkeys(emails + emails_in(ad.title) + emails_in(ad.text)))
    ad.handles = list(dict.fromkeys(handles_in(ad.title) + handles_in(ad.text)))
    return ad


@dataclass
class Prepared:
    """An ad with its identifiers extracted and its MinHash signature computed: the part of
    linking that needs no shared state, so it can run in worker processes."""

    key: str
    id: str
    phones: list[str]
    identifiers: list[str]  # "phone:+31…", "email:…", "handle:…", "image:…"
    signature: np.ndarray  # uint32[num_perm]
    bands: list[int]  # the LSH band keys of the signature


def prepare(
    ads: list[Ad], *, num_perm: int = 64, threshold: float = 0.5, region: str = "NL"
) -> list[Prepared]:
    for ad in ads:
        if not ad.phones and not ad.emails and not ad.handles:
            extract(ad, region=region)
    signatures = MinHash.bulk(
        [shingles(words(f"{ad.title} {ad.text}")) for ad in ads],
        num_perm=num_perm,
        hashfunc=_hash32,
    )
    bands, rows = band_parameters(threshold, num_perm)
    prepared = []
    for ad, minhash in zip(ads, signatures, strict=True):
        signature = minhash.hashvalues.astype(np.uint32)  # 32-bit hashes: the values fit
        prepared.append(
            Prepared(
                key=ad.key,
                id=ad.id,
                phones=ad.phones,
                identifiers=_identifiers(ad),
                signature=signature,
                bands=band_keys(signature, bands, rows),
            )
        )
    return prepared


@dataclass(frozen=True)
class Link:
    """Why two ads (or an ad and an identifier's first ad) are in one cluster."""

    kind: str  # phone, email, handle, image, text
    value: str  # the identifier, or the other ad's key for text
    score: float | None = None  # Jaccard similarity for text


def _identifiers(ad: Ad) -> list[str]:
    return (
        [f"phone:{p}" for p in ad.phones]
        + [f"email:{e}" for e in ad.emails]
        + [f"handle:{h}" for h in ad.handles]
        + [f"image:{h}" for h in ad.image_hashes]
    )


class Linker:
    def __init__(
        self,
        *,
        threshold: float = 0.5,
        num_perm: int = 64,
        shared_limit: int = 5,
        region: str = "NL",
        max_text_neighbours: int = 3,
    ) -> None:
        self.threshold = threshold
        self.num_perm = num_perm
        self.shared_limit = shared_limit
        self.region = region
        self.max_text_neighbours = max_text_neighbours
        self._bands, self._rows = band_parameters(threshold, num_perm)
        #: The LSH index: per band, band key → ads (datasketch chooses the banding).
        self._buckets: list[dict[int, list[int]]] = [{} for _ in range(self._bands)]
        self.keys: list[str] = []
        self.index: dict[str, int] = {}
        self._signatures = np.zeros((1024, num_perm), dtype=np.uint32)
        self._parent: list[int] = []
        self._members: dict[int, list[int]] = {}
        self._ad_identifiers: list[list[str]] = []
        self._ad_phones: list[tuple[str, ...]] = []
        self._identifier_ads: dict[str, list[int]] = defaultdict(list)
        #: For each identifier, the phone numbers seen beside it (for the shared filter).
        self._beside: dict[str, set[str]] = defaultdict(set)
        #: Identifier → why it was found widely shared.
        self.shared: dict[str, str] = {}
        self._text_edges: dict[int, list[tuple[int, float]]] = defaultdict(list)

    # --- union–find ---------------------------------------------------------------------------

    def _find(self, i: int) -> int:
        parent = self._parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))

    # --- adding ads ---------------------------------------------------------------------------

    def add(self, ads: Iterable[Ad]) -> list[int]:
        """Link a batch of new ads (already-known keys are skipped); returns their indices."""
        batch = [ad for ad in ads if ad.key not in self.index]
        if not batch:
            return []
        return self.add_prepared(
            prepare(batch, num_perm=self.num_perm, threshold=self.threshold, region=self.region)
        )

    def add_prepared(self, prepared: Iterable[Prepared]) -> list[int]:
        """Link ads prepared elsewhere (``prepare``, in worker processes for big files)."""
        added = []
        for item in prepared:
            if item.key in self.index:
                continue
            added.append(self._add_one(item))
        return added

    def _grow(self, n: int) -> None:
        if n > len(self._signatures):
            bigger = np.zeros((max(n, 2 * len(self._signatures)), self.num_perm), dtype=np.uint32)
            bigger[: len(self._signatures)] = self._signatures
            self._signatures = bigger

    def _add_one(self, item: Prepared) -> int:
        i = len(self.keys)
        self.keys.append(item.key)
        self.index[item.key] = i
        self._parent.append(i)
        self._members[i] = [i]
        self._grow(i + 1)
        self._signatures[i] = item.signature
        identifiers = item.identifiers
        phones = tuple(f"phone:{p}" for p in item.phones)
        self._ad_identifiers.append(identifiers)
        self._ad_phones.append(phones)
        newly_shared = []
        for identifier in identifiers:
            self._identifier_ads[identifier].append(i)
            beside = self._beside[identifier]
            beside.update(p for p in phones if p != identifier)
            if identifier not in self.shared and len(beside) > self.shared_limit:
                self.shared[identifier] = f"seen beside {len(beside)} different phone numbers"
                newly_shared.append(identifier)
        for identifier in identifiers:
            if identifier not in self.shared:
                first = self._identifier_ads[identifier][0]
                if first != i:
                    self._union(i, first)
        self._link_text(i, item.bands)
        self._index(i, item.bands)
        for identifier in newly_shared:
            self._unweld(identifier)
        return i

    def _candidates(self, bands: list[int]) -> set[int]:
        found: set[int] = set()
        for bucket, key in zip(self._buckets, bands, strict=True):
            ads = bucket.get(key)
            if ads:
                found.update(ads)
        return found

    def _index(self, i: int, bands: list[int]) -> None:
        for bucket, key in zip(self._buckets, bands, strict=True):
            ads = bucket.get(key)
            if ads is None:
                bucket[key] = [i]
            else:
                ads.append(i)

    def _link_text(self, i: int, bands: list[int]) -> None:
        candidates = self._candidates(bands)
        if not candidates:
            return
        others = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
        similarity = (self._signatures[others] == self._signatures[i]).mean(axis=1)
        near = similarity >= self.threshold
        close, scores = others[near], similarity[near]
        if len(close) == 0:
            return
        order = np.argsort(-scores, kind="stable").tolist()
        ranked = [(round(float(scores[p]), 2), int(close[p])) for p in order]
        chosen = text_links_to_keep(
            ranked, self._find, best=self.max_text_neighbours, max_groups=2 * self.shared_limit
        )
        if chosen is None:
            return
        kept, roots = chosen
        for score, j in kept:
            self._text_edges[i].append((j, score))
            self._text_edges[j].append((i, score))
        for root in roots:
            self._union(i, root)

    def _unweld(self, identifier: str) -> None:
        """Rebuild the clusters an identifier had joined, now without it."""
        roots = {self._find(i) for i in self._identifier_ads[identifier]}
        members = [m for root in roots for m in self._members.pop(root)]
        inside = set(members)
        for m in members:
            self._parent[m] = m
            self._members[m] = [m]
        for m in members:
            for other in self._ad_identifiers[m]:
                if other in self.shared:
                    continue
                first = next(a for a in self._identifier_ads[other] if a in inside)
                if first != m:
                    self._union(m, first)
            for j, _score in self._text_edges.get(m, ()):
                if j in inside:
                    self._union(m, j)

    # --- reading ------------------------------------------------------------------------------

    def cluster_of(self, key: str) -> str:
        root = self._find(self.index[key])
        return self.keys[min(self._members[root])]

    def clusters(self) -> dict[str, list[str]]:
        result = {}
        for root, members in self._members.items():
            if self._parent[root] == root:
                ordered = sorted(members)
                result[self.keys[ordered[0]]] = [self.keys[m] for m in ordered]
        return result

    def links_of(self, key: str) -> list[Link]:
        """Every reason this ad is in its cluster: identifiers it shares with other ads of the
        cluster, and the ads its text is a near-duplicate of."""
        i = self.index[key]
        root = self._find(i)
        found = []
        for identifier in self._ad_identifiers[i]:
            kind, value = identifier.split(":", 1)
            if identifier in self.shared:
                continue
            if any(a != i and self._find(a) == root for a in self._identifier_ads[identifier]):
                found.append(Link(kind, value))
        for j, score in self._text_edges.get(i, ()):
            if self._find(j) == root:
                found.append(Link("text", self.keys[j], score))
        return found

    def shared_of(self, key: str) -> list[tuple[str, str]]:
        """The ad's identifiers that are widely shared, with why (they link nothing)."""
        i = self.index[key]
        return [(x, self.shared[x]) for x in self._ad_identifiers[i] if x in self.shared]

    def text_links_within(self, keys: list[str]) -> list[tuple[str, str]]:
        """The near-duplicate text links between these ads (each pair once)."""
        inside = {self.index[k] for k in keys}
        pairs = set()
        for i in inside:
            for j, _score in self._text_edges.get(i, ()):
                if j in inside:
                    pairs.add((min(i, j), max(i, j)))
        return [(self.keys[i], self.keys[j]) for i, j in sorted(pairs)]

    def ads_with(self, identifier: str) -> list[str]:
        return [self.keys[i] for i in self._identifier_ads.get(identifier, ())]


def text_links_to_keep(
    ranked: Sequence[tuple[float, _Other]],
    group_of: Callable[[_Other], _Group],
    *,
    best: int,
    max_groups: int,
) -> tuple[list[tuple[float, _Other]], list[_Group]] | None:
    """Which near-duplicate ads to link a new ad to, and which clusters that joins.

    ``ranked`` is [(similarity, other ad)], closest first; ``group_of`` gives an ad's cluster.
    Kept are the ``best`` closest plus the closest of every further cluster: enough to explain
    the link and to rebuild a cluster later. None when the text reaches more than
    ``max_groups`` clusters: a site's boilerplate, not one advertiser's template. Used by the
    in-memory linker and by the database linker alike."""
    first_of: dict[_Group, int] = {}
    for position, (_score, other) in enumerate(ranked):
        first_of.setdefault(group_of(other), position)
    if len(first_of) > max_groups:
        return None
    keep = sorted(set(range(min(best, len(ranked)))) | set(first_of.values()))
    return [ranked[p] for p in keep], list(first_of)


@lru_cache(maxsize=8)
def band_parameters(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) that datasketch chooses for this threshold: the same banding for
    the in-memory index and the database index."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


def band_keys(hashvalues: np.ndarray, bands: int, rows: int) -> list[int]:
    """One signed 64-bit key per band of a signature (for a database index)."""
    values = np.asarray(hashvalues, dtype=np.uint32)
    return [
        mmh3.hash64(values[b * rows : (b + 1) * rows].tobytes(), signed=True)[0]
        for b in range(bands)
    ]
