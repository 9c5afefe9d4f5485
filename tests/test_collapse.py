"""Anti-collapse figures of a version built from planted near-duplicates match what was planted."""

from __future__ import annotations

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
