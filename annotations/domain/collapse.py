"""Anti-collapse metrics of a dataset version: how much of it is near-duplicate across contributors, how much is
declared machine-made, and how diverse it is, per contributor and across the version.

Each record's result is one of: the perceptual hash of its last image draft, or the text of its last text draft
(else its intent). Texts are compared by MinHash over character 5-grams (datasketch): a Jaccard similarity of
`TEXT_THRESHOLD` or more is a near-duplicate. Images are near-duplicates within
`quality.NEAR_DUPLICATE_MAX_DISTANCE` bits. Diversity is one minus the mean similarity of pairs (text: estimated
Jaccard; images: 1 - bits apart / 32, floored at 0).

Near-duplicates are counted from LSH buckets with bounded work per record, whatever the duplicate rate (querying
each record and comparing it with every candidate was quadratic on exactly the collapsed data this exists to find:
1,000 near-identical texts took 1.8 s, 4,000 took 24 s). A text's signature is cut into `BANDS` bands of `ROWS`
values (datasketch's choice for this threshold and number of permutations); an image's 64-bit hash into 8 bands of
8 bits (two hashes within 6 bits agree on at least two). Every bucket keeps at most `REPRESENTATIVES` records
(`IMAGE_REPRESENTATIVES` for images, whose 8-bit bands hold more unrelated ones): a
record is compared only with the representatives of its buckets, is joined (union-find) to each it is similar to,
and becomes a representative of a bucket where it matched none. Identical or near-identical records therefore cost
one comparison per band, and a group of them is one set of the union-find. A record is a near-duplicate across
contributors when its set holds work by another contributor: work that only its own author repeats does not count.
Pairs are found through their representatives, so a chain (a like b, b like c) joins a and c too.

The metrics are computed over at most `SAMPLE` records, taken evenly through the version, so the memory they need
does not grow with it; the card says when a sample was used.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import combinations, islice
from typing import Any

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from annotations.domain.quality import NEAR_DUPLICATE_MAX_DISTANCE, hash_distance

SAMPLE = 20_000
TEXT_THRESHOLD = 0.8
PERMUTATIONS = 64
SHINGLE = 5
BANDS, ROWS = 5, 11  # what datasketch's MinHashLSH(threshold=0.8, num_perm=64) picks: 55 of the 64 values
REPRESENTATIVES = 64  # per text bucket: the bound on comparisons per record and band
# per image bucket: 8-bit bands put ~n/256 unrelated images in each, so the bound is higher (compared at once)
IMAGE_REPRESENTATIVES = 256
PAIRS_PER_CONTRIBUTOR = 45  # pairs among at most 10 records each
VERSION_PAIRS = 2_000


@dataclass(frozen=True, slots=True)
class Result:
    key: int  # the record's ordinal
    contributor: int
    text: str | None
    image_hash: int | None
    machine_made: bool


@cache
def _permutations() -> Any:
    return MinHash(num_perm=PERMUTATIONS, seed=7).permutations


# datasketch's own hash of a shingle, remembered: collapsed work repeats its shingles, and hashing is most of the cost
_shingle_hash = lru_cache(maxsize=1 << 16)(sha1_hash32)


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=PERMUTATIONS, seed=7, permutations=_permutations(), scheme="affine32", hashfunc=_shingle_hash)
    norm = " ".join(text.lower().split())
    m.update_batch({norm[i : i + SHINGLE].encode() for i in range(max(1, len(norm) - SHINGLE + 1))})
    return m


def signature(text: str) -> list[int]:
    """The MinHash signature of a text, to keep and compare later."""
    return [int(v) for v in _minhash(text).hashvalues]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures: the share of positions that agree."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if len(a) == len(b) and a else 0.0


def band_hashes(sig: Sequence[int]) -> list[int]:
    """The signature's `BANDS` LSH band keys, as signed 64-bit integers (one database row each at approval): two
    texts of similarity `TEXT_THRESHOLD` share at least one with probability about 0.9 (0.998 at 0.9)."""
    raw = np.asarray(sig, dtype="<u4").tobytes()  # the values are 32-bit (datasketch's affine32 scheme)
    return [
        int.from_bytes(
            hashlib.blake2b(raw[band * ROWS * 4 : (band + 1) * ROWS * 4], digest_size=8).digest(), "big", signed=True
        )
        for band in range(BANDS)
    ]


def _image_similarity(a: int, b: int) -> float:
    return max(0.0, 1 - hash_distance(a, b) / 32)


class _Sets:
    """Union-find over record positions, with path halving."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _link(
    sets: _Sets,
    positions: list[int],
    keys: Callable[[int], list[Any]],
    alike: Callable[[int, list[int]], list[int]],
    room: int = REPRESENTATIVES,
) -> None:
    """Join each record to the representatives of its buckets it is alike to; it represents a bucket where it
    matched none (while the bucket has room). At most `room` comparisons per record and bucket."""
    reps: dict[Any, list[int]] = defaultdict(list)
    for i in positions:
        for key in keys(i):
            bucket = reps[key]
            if not bucket:
                bucket.append(i)
                continue
            matched = alike(i, bucket)
            for j in matched:
                sets.union(i, j)
            if not matched and len(bucket) < room:
                bucket.append(i)


def _signatures(results: list[Result]) -> tuple[list[int], Any]:
    """The positions of the text results, and a matrix with the signature of each (zeros for the others)."""
    texts = [i for i, r in enumerate(results) if r.text is not None and r.image_hash is None]
    sigs = np.zeros((len(results), PERMUTATIONS), dtype=np.uint32)
    for i in texts:
        sigs[i] = _minhash(results[i].text or "").hashvalues
    return texts, sigs


def near_duplicates(results: list[Result], signatures: tuple[list[int], Any] | None = None) -> set[int]:
    """The keys of the records with a near-duplicate by another contributor (see the module's docstring)."""
    sets = _Sets(len(results))
    texts, sigs = signatures or _signatures(results)
    if texts:
        bands = {i: band_hashes(sigs[i]) for i in texts}
        need = TEXT_THRESHOLD * PERMUTATIONS

        def text_alike(i: int, bucket: list[int]) -> list[int]:
            agree = np.count_nonzero(sigs[bucket] == sigs[i], axis=1)
            return [bucket[k] for k in np.flatnonzero(agree >= need)]

        _link(sets, texts, lambda i: [(b, h) for b, h in enumerate(bands[i])], text_alike)
    images = [i for i, r in enumerate(results) if r.image_hash is not None]
    if images:
        hashes = {i: (results[i].image_hash or 0) & 0xFFFF_FFFF_FFFF_FFFF for i in images}
        unsigned = np.zeros(len(results), dtype=np.uint64)
        for i, h in hashes.items():
            unsigned[i] = h

        def image_alike(i: int, bucket: list[int]) -> list[int]:
            apart = np.bitwise_count(unsigned[bucket] ^ unsigned[i])
            return [bucket[k] for k in np.flatnonzero(apart <= NEAR_DUPLICATE_MAX_DISTANCE)]

        _link(
            sets,
            images,
            lambda i: [(b, (hashes[i] >> (8 * b)) & 0xFF) for b in range(8)],
            image_alike,
            IMAGE_REPRESENTATIVES,
        )
    contributors: dict[int, set[int]] = defaultdict(set)
    for i, r in enumerate(results):
        contributors[sets.find(i)].add(r.contributor)
    return {r.key for i, r in enumerate(results) if len(contributors[sets.find(i)]) > 1}


def metrics(results: list[Result], total: int) -> dict[str, Any]:
    """The version's anti-collapse figures from (a sample of) its records."""
    n = len(results)
    if not n:
        return {"records_measured": 0, "sampled": False}
    signatures = _signatures(results)
    near = near_duplicates(results, signatures)
    texts, sigs = set(signatures[0]), signatures[1]

    def similarity(a: int, b: int) -> float | None:
        if a in texts and b in texts:
            return float(np.count_nonzero(sigs[a] == sigs[b])) / PERMUTATIONS
        ha, hb = results[a].image_hash, results[b].image_hash
        if ha is not None and hb is not None:
            return _image_similarity(ha, hb)
        return None

    def diversity(pairs: Any) -> float | None:
        sims = [s for a, b in pairs if (s := similarity(a, b)) is not None]
        return round(1 - sum(sims) / len(sims), 3) if sims else None

    step = max(1, n // 64)
    spread = range(0, n, step)
    across = diversity(islice(combinations(spread, 2), VERSION_PAIRS))
    per: dict[int, list[int]] = defaultdict(list)
    for i, r in enumerate(results):
        if len(per[r.contributor]) < 10:
            per[r.contributor].append(i)
    mine = {c: diversity(islice(combinations(rs, 2), PAIRS_PER_CONTRIBUTOR)) for c, rs in per.items() if len(rs) > 1}
    values = [v for v in mine.values() if v is not None]
    histogram = [0, 0, 0, 0]
    for v in values:
        histogram[min(3, int(v * 4))] += 1
    return {
        "records_measured": n,
        "sampled": n < total,
        "near_duplicate_records": len(near),
        "near_duplicate_rate": round(len(near) / n, 4),
        "machine_made_share": round(sum(r.machine_made for r in results) / n, 4),
        "diversity": across,
        "contributor_diversity_median": round(statistics.median(values), 3) if values else None,
        "contributor_diversity_histogram": {
            "0-0.25": histogram[0],
            "0.25-0.5": histogram[1],
            "0.5-0.75": histogram[2],
            "0.75-1": histogram[3],
        },
    }
