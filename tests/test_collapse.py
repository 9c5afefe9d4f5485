"""Anti-collapse figures of a version built from planted near-duplicates match what was planted."""

from __future__ import annotations

import random
from typing import Any

import pytest

from annotations.domain import collapse
from annotations.models import Contribution, Draft
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from annotations.services.review import review_decide
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import UserFactory, published_project

pytestmark = pytest.mark.django_db

ORIGINAL = "Gravel in a wooden tray for the footsteps, a leather jacket rubbed near the mic for the coat, a door."
NEAR = "Gravel in a wooden tray for the footsteps, a leather jacket rubbed near the mic for the coat, a gate."
OTHERS = [
    "A wet sponge squeezed slowly, then rice poured onto a drum skin for the rain on the roof.",
    "Celery snapped close to the microphone for the bones; a cabbage struck with a mallet for the punch.",
    "Two coconut shells on packed sand for the horse; keys shaken in a glove for the harness.",
]


def test_planted_near_duplicates_and_machine_made_work_are_counted(admin, reviewer, org) -> None:
    project = with_media_bytes(
        published_project(items=6, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True)
    )
    people: list[Any] = [UserFactory(role="freelancer") for _ in range(4)]
    texts = [ORIGINAL, NEAR, NEAR, *OTHERS]  # records 0, 1 by different people; 2 by the same person as 1
    owners = [people[0], people[1], people[1], people[2], people[3], people[3]]
    work = []
    for n, (text, owner) in enumerate(zip(texts, owners, strict=True)):
        c = approved_work(project, reviewer, n * 3 + 1, freelancer=owner, approve=False)  # n*3+1: no generative tools
        Draft.objects.filter(contribution=c, sequence=2).update(body=text)
        review_decide(actor=reviewer, contribution_id=c.pk, decision="approve")  # in order: the ORIGINAL first
        work.append(Contribution.objects.get(pk=c.pk))
    Draft.objects.filter(contribution=work[4], sequence=2).update(source_type="trainedAlgorithmicMedia")
    dataset = dataset_create(actor=admin, fields=DatasetFields(name="Planted", project_ids=[project.pk]))
    version = build_here(version_build(actor=admin, dataset=dataset))
    m = version.card["anti_collapse"]
    # ORIGINAL and both NEARs: each has a near-duplicate by another contributor. The two NEARs share an owner,
    # which alone would not count; the other three texts are unrelated.
    assert (m["records_measured"], m["sampled"], m["near_duplicate_records"]) == (6, False, 3)
    assert m["near_duplicate_rate"] == 0.5
    assert m["machine_made_share"] == round(1 / 6, 4)
    assert 0 < m["diversity"] < 1
    assert "Near-duplicates across contributors: 50.0% of records" in version.card_markdown
    # The build option leaves out what nearly repeats earlier approved work by someone else: both NEARs (the
    # second repeats the ORIGINAL too), keeping the ORIGINAL and the unrelated three.
    from annotations.models import DatasetRecord

    assert [c.near_duplicate_of_id for c in work] == [None, work[0].pk, work[0].pk, None, None, None]
    lean = dataset_create(
        actor=admin,
        fields=DatasetFields(name="Lean", project_ids=[project.pk], filters={"exclude_near_duplicates": True}),
    )
    kept = build_here(version_build(actor=admin, dataset=lean))
    held = set(DatasetRecord.objects.filter(version=kept).values_list("contribution_id", flat=True))
    assert held == {work[0].pk, work[3].pk, work[4].pk, work[5].pk}
    assert kept.card["anti_collapse"]["near_duplicate_records"] == 0


def test_same_owner_duplicates_do_not_count_and_images_compare_by_hash() -> None:
    alike = 0x0F0F_0F0F_0F0F_0F0F
    results = [
        collapse.Result(0, 1, "the same words twice over here", None, False),
        collapse.Result(1, 1, "the same words twice over here", None, False),
        collapse.Result(2, 2, None, alike, True),
        collapse.Result(3, 3, None, alike ^ 0b111, False),  # 3 bits apart: a near-duplicate
        collapse.Result(4, 4, None, ~alike, False),
    ]
    m = collapse.metrics(results, total=10)
    assert m["near_duplicate_records"] == 2 and m["sampled"] is True
    assert m["machine_made_share"] == 0.2
    assert collapse.metrics([], 0) == {"records_measured": 0, "sampled": False}


def _variant(n: int) -> str:
    return f"{ORIGINAL} {OTHERS[0]} Take {n}."  # about 0.9 alike to every other take: LSH finds nearly all pairs


@pytest.mark.parametrize("owners", [7, 1])
def test_at_99_percent_near_duplicates_every_repeat_across_contributors_counts(owners: int) -> None:
    # Given 990 takes of one text by `owners` people and 10 unrelated texts by one more person
    results = [collapse.Result(n, n % owners, _variant(n), None, False) for n in range(990)]
    results += [collapse.Result(990 + n, 99, f"{OTHERS[n % 3]} Unrelated scene number {n * 7919}.", None, False)
                for n in range(10)]  # fmt: skip
    # When measured
    m = collapse.metrics(results, total=1000)
    # Then every take counts when more than one person made them, none when they are one person's repeats
    assert m["near_duplicate_records"] == (990 if owners > 1 else 0)
    assert m["sampled"] is False and m["diversity"] is not None and m["diversity"] < 0.5


def test_at_99_percent_duplicate_images_every_repeat_across_contributors_counts() -> None:
    alike = 0x0F0F_0F0F_0F0F_0F0F
    results = [collapse.Result(n, n % 50, None, alike if n % 3 else alike ^ 0b101, False) for n in range(990)]
    results += [collapse.Result(990 + n, 999, None, (n * 0x9E37_79B9_7F4A_7C15) & 0x7FFF_FFFF_FFFF_FFFF, False)
                for n in range(10)]  # fmt: skip
    assert collapse.metrics(results, total=1000)["near_duplicate_records"] == 990


def test_counts_match_comparing_every_pair_on_mixed_work() -> None:
    # Given duplicates, near-duplicates, one person's own repeats and unrelated work, mixed
    texts = [ORIGINAL, NEAR, *OTHERS, *(f"{o} And a second, quieter pass." for o in OTHERS)]
    results = [collapse.Result(n, (n * 5) % 4, texts[(n * 7) % len(texts)], None, False) for n in range(120)]
    # When measured from the buckets, then the same records count as when every pair is compared
    sigs = [collapse.signature(r.text or "") for r in results]
    brute = {
        a.key
        for a in results
        for b in results
        if a.key != b.key
        and a.contributor != b.contributor
        and collapse.similarity(sigs[a.key], sigs[b.key]) >= collapse.TEXT_THRESHOLD
    }
    assert collapse.near_duplicates(results) == brute and 0 < len(brute) < 120


def test_signatures_stay_those_kept_at_approval_and_bands_are_datasketchs() -> None:
    from datasketch import MinHash, MinHashLSH

    m = MinHash(num_perm=collapse.PERMUTATIONS, seed=7)
    norm = " ".join(ORIGINAL.lower().split())
    for i in range(len(norm) - collapse.SHINGLE + 1):
        m.update(norm[i : i + collapse.SHINGLE].encode())
    assert collapse.signature(ORIGINAL) == [int(v) for v in m.hashvalues]
    lsh = MinHashLSH(threshold=collapse.TEXT_THRESHOLD, num_perm=collapse.PERMUTATIONS)
    assert (lsh.b, lsh.r) == (collapse.BANDS, collapse.ROWS)
    a, b = collapse.band_hashes(collapse.signature(ORIGINAL)), collapse.band_hashes(collapse.signature(NEAR))
    assert len(a) == collapse.BANDS and set(a) & set(b)


def test_near_duplicate_images_are_found_among_many_unrelated_ones() -> None:
    # Given 12,000 unrelated image hashes (about 47 in each 8-bit band bucket) and 100 pairs 3 bits apart, each pair
    # by two people
    rnd = random.Random(5)
    results = [collapse.Result(n, n, None, rnd.getrandbits(63), False) for n in range(12_000)]
    for p in range(100):
        h = rnd.getrandbits(63)
        results += [collapse.Result(20_000 + 2 * p, -p - 1, None, h, False),
                    collapse.Result(20_001 + 2 * p, -p - 1000, None, h ^ 0b1011, False)]  # fmt: skip
    # When measured, then exactly the pairs count
    near = collapse.near_duplicates(results)
    assert near == {20_000 + k for k in range(200)}
