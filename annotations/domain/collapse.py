"""Anti-collapse metrics of a dataset version: how much of it is near-duplicate across contributors, how much is
declared machine-made, and how diverse it is, per contributor and across the version.

Each record's result is one of: the perceptual hash of its last image draft, or the text of its last text draft
(else its intent). Texts are compared by MinHash over character 5-grams (datasketch, with LSH for candidates):
a Jaccard similarity of `TEXT_THRESHOLD` or more is a near-duplicate. Images are near-duplicates within
`quality.NEAR_DUPLICATE_MAX_DISTANCE` bits. Only pairs by different contributors count. Diversity is one minus the
mean similarity of pairs (text: estimated Jaccard; images: 1 - bits apart / 32, floored at 0).

The metrics are computed over at most `SAMPLE` records, taken evenly through the version, so the memory they need
does not grow with it; the card says when a sample was used.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations, islice
from typing import Any

from datasketch import MinHash, MinHashLSH

from annotations.domain.quality import NEAR_DUPLICATE_MAX_DISTANCE, hash_distance

SAMPLE = 20_000
TEXT_THRESHOLD = 0.8
PERMUTATIONS = 64
SHINGLE = 5
PAIRS_PER_CONTRIBUTOR = 45  # pairs among at most 10 records each
VERSION_PAIRS = 2_000


@dataclass(frozen=True, slots=True)
class Result:
    key: int  # the record's ordinal
    contributor: int
    text: str | None
    image_hash: int | None
    machine_made: bool


def _minhash(text: str) -> MinHash:
    m = MinHash(num_perm=PERMUTATIONS, seed=7)
    norm = " ".join(text.lower().split())
    for i in range(max(1, len(norm) - SHINGLE + 1)):
        m.update(norm[i : i + SHINGLE].encode())
    return m


def signature(text: str) -> list[int]:
    """The MinHash signature of a text, to keep and compare later."""
    return [int(v) for v in _minhash(text).hashvalues]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated Jaccard similarity of two signatures: the share of positions that agree."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / len(a) if len(a) == len(b) and a else 0.0


def _image_similarity(a: int, b: int) -> float:
    return max(0.0, 1 - hash_distance(a, b) / 32)


def metrics(results: list[Result], total: int) -> dict[str, Any]:
    """The version's anti-collapse figures from (a sample of) its records."""
    n = len(results)
    if not n:
        return {"records_measured": 0, "sampled": False}
    hashes = {r.key: _minhash(r.text) for r in results if r.text is not None and r.image_hash is None}
    lsh = MinHashLSH(threshold=TEXT_THRESHOLD, num_perm=PERMUTATIONS)
    for key, m in hashes.items():
        lsh.insert(str(key), m)
    by_key = {r.key: r for r in results}
    near: set[int] = set()
    for key, m in hashes.items():
        for other in lsh.query(m):
            o = int(other)
            if o != key and by_key[o].contributor != by_key[key].contributor and m.jaccard(hashes[o]) >= TEXT_THRESHOLD:
                near.update((key, o))
    images = [r for r in results if r.image_hash is not None]
    buckets: dict[tuple[int, int], list[Result]] = defaultdict(list)
    for r in images:  # 64 bits in 8 bands of 8: hashes within 7 bits share a band
        for band in range(8):
            buckets[(band, ((r.image_hash or 0) >> (8 * band)) & 0xFF)].append(r)
    for group in buckets.values():
        for a, b in combinations(group[:200], 2):
            if a.contributor != b.contributor and (
                hash_distance(a.image_hash or 0, b.image_hash or 0) <= NEAR_DUPLICATE_MAX_DISTANCE
            ):
                near.update((a.key, b.key))

    def similarity(a: Result, b: Result) -> float | None:
        if a.key in hashes and b.key in hashes:
            return float(hashes[a.key].jaccard(hashes[b.key]))
        if a.image_hash is not None and b.image_hash is not None:
            return _image_similarity(a.image_hash, b.image_hash)
        return None

    def diversity(pairs: Any) -> float | None:
        sims = [s for a, b in pairs if (s := similarity(a, b)) is not None]
        return round(1 - sum(sims) / len(sims), 3) if sims else None

    step = max(1, n // 64)
    spread = results[::step]
    across = diversity(islice(combinations(spread, 2), VERSION_PAIRS))
    per: dict[int, list[Result]] = defaultdict(list)
    for r in results:
        if len(per[r.contributor]) < 10:
            per[r.contributor].append(r)
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
