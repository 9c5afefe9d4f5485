"""The approval-time near-duplicate check looks texts up in the LSH band table: the same earlier contribution is
noted as before, with a number of queries that does not grow with the project; migration 0015 backfills the bands
of signatures kept before it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.domain import collapse
from annotations.models import Contribution, NearDuplicateBand, Project, Task, User
from annotations.services.quality import CANDIDATES_PER_BAND
from annotations.services.review import review_decide
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.factories import published_project
from tests.migrations_support import migrate_to

TEXT = "Gravel in a wooden tray for the footsteps, a leather jacket rubbed near the mic for the coat, then a door."


def _approved_crowd(project: Project, count: int, *, unrelated: int = 0) -> list[int]:
    """`unrelated` approved contributions of other texts, then `count` more, each a take of TEXT, by as many people,
    their bands filed as approval files them; returns the takes' ids, earliest first."""
    task = Task.objects.filter(project=project).order_by("pk").last()
    assert task is not None
    people = User.objects.bulk_create([User(username=f"crowd-{project.pk}-{n}") for n in range(count + unrelated)])
    texts = [f"Unrelated piece {n * 7919} of rain." for n in range(unrelated)]
    texts += [f"{TEXT} Take {n}." for n in range(count)]
    made = Contribution.objects.bulk_create(
        [
            Contribution(
                project=project,
                task=task,
                freelancer=p,
                state="approved",
                intent=t,
                text_signature=collapse.signature(t),
            )
            for p, t in zip(people, texts, strict=True)
        ]
    )
    NearDuplicateBand.objects.bulk_create(
        [
            NearDuplicateBand(project=project, band=b, band_hash=h, contribution=c)
            for c in made
            for b, h in enumerate(collapse.band_hashes(c.text_signature or []))
        ]
    )
    return [c.pk for c in made[unrelated:]]


def _approve_a_take(project: Project, reviewer: Any, monkeypatch: Any) -> tuple[Contribution, int, int]:
    """Approve one more take of TEXT; returns it with the queries the approval made and the signatures compared."""
    c = approved_work(project, reviewer, 1, approve=False)
    c.drafts.filter(sequence=2).update(body=f"{TEXT} Take 999.")
    compared = []
    similarity = collapse.similarity

    def counted(a: list[int], b: list[int]) -> float:
        compared.append(1)
        return similarity(a, b)

    monkeypatch.setattr(collapse, "similarity", counted)
    with CaptureQueriesContext(connection) as queries:
        review_decide(actor=reviewer, contribution_id=c.pk, decision="approve")
    monkeypatch.setattr(collapse, "similarity", similarity)
    return Contribution.objects.get(pk=c.pk), len(queries), len(compared)


@pytest.mark.django_db
def test_approval_notes_the_earliest_near_duplicate_in_as_many_queries_however_large_the_project(
    reviewer: Any, org: Any, monkeypatch: Any
) -> None:
    # Given two projects with 3 and 300 approved takes of one text by others (and unrelated work beside them)
    counts = []
    warm_up = with_media_bytes(published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC))
    _approve_a_take(warm_up, reviewer, monkeypatch)  # the first approval anywhere also makes the signing key
    for size in (3, 300):
        project = with_media_bytes(published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC))
        crowd = _approved_crowd(project, size, unrelated=size)
        # When one more take is approved in each
        c, queries, compared = _approve_a_take(project, reviewer, monkeypatch)
        counts.append(queries)
        assert compared <= collapse.BANDS * CANDIDATES_PER_BAND  # not every approved signature of the project
        # Then the earliest take by someone else is noted, and the new one's bands are filed
        assert c.near_duplicate_of_id == crowd[0]
        assert NearDuplicateBand.objects.filter(contribution=c).count() == collapse.BANDS
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_a_repeat_of_ones_own_work_or_unrelated_work_is_not_noted(reviewer: Any, org: Any, monkeypatch: Any) -> None:
    project = with_media_bytes(published_project(items=3, organization=org, output_spec=SPEC, rubric=RUBRIC))
    _approved_crowd(project, 0, unrelated=20)
    c, _, _ = _approve_a_take(project, reviewer, monkeypatch)
    assert c.near_duplicate_of_id is None
    again = approved_work(project, reviewer, 2, freelancer=c.freelancer, approve=False)
    again.drafts.filter(sequence=2).update(body=f"{TEXT} Take 998.")
    review_decide(actor=reviewer, contribution_id=again.pk, decision="approve")
    assert Contribution.objects.get(pk=again.pk).near_duplicate_of_id is None  # the same person's: not noted


@pytest.mark.django_db(transaction=True)
def test_migration_0015_files_the_bands_of_signatures_kept_before_it() -> None:
    before, after = [("annotations", "0014_one_task_per_project")], [("annotations", "0015_near_duplicate_bands")]
    apps = migrate_to(before)
    try:
        Organization = apps.get_model("annotations", "Organization")
        UserModel = apps.get_model("annotations", "User")
        ProjectModel = apps.get_model("annotations", "Project")
        Item = apps.get_model("annotations", "Item")
        TaskModel = apps.get_model("annotations", "Task")
        ContributionModel = apps.get_model("annotations", "Contribution")
        org = Organization.objects.create(name="O", slug="o")
        admin = UserModel.objects.create(username="a", role="admin", organization=org)
        project = ProjectModel.objects.create(
            organization=org, created_by=admin, title="P", brief="", pay_amount_minor=600, pay_currency="USD",
            estimated_minutes=15,
        )  # fmt: skip
        item = Item.objects.create(project=project, external_id="i")
        task = TaskModel.objects.create(project=project, item=item, replicas=3)
        sig = collapse.signature(TEXT)
        made = {
            state: ContributionModel.objects.create(
                project=project,
                task=task,
                freelancer=UserModel.objects.create(username=f"f-{state}"),
                state=state,
                text_signature=sig,
            ).pk
            for state in ("approved", "rejected")
        }
        unsigned = ContributionModel.objects.create(
            project=project, task=task, freelancer=UserModel.objects.create(username="f-none"), state="approved"
        ).pk
        apps = migrate_to(after)
        Band = apps.get_model("annotations", "NearDuplicateBand")
        filed = list(Band.objects.order_by("band").values_list("contribution_id", "project_id", "band", "band_hash"))
        # Then only the approved signature has its bands, the same keys approval files
        assert filed == [(made["approved"], project.pk, b, h) for b, h in enumerate(collapse.band_hashes(sig))]
        assert not Band.objects.filter(contribution_id__in=[made["rejected"], unsigned]).exists()
    finally:
        migrate_to()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
