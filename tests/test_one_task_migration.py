"""Migration 0014 resolves the extra tasks in progress that rows made before it may hold (the oldest stays; a
newer fresh claim is given back, a newer revision waits), then adds the one-task-per-project constraint."""

from __future__ import annotations

from typing import Any

import pytest

from tests.migrations_support import migrate_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("annotations", "0013_audit_log_by_organization")]
AFTER = [("annotations", "0014_one_task_per_project")]


def test_extra_tasks_in_progress_are_resolved_before_the_constraint() -> None:
    apps = migrate_to(BEFORE)
    try:
        Organization = apps.get_model("annotations", "Organization")
        User = apps.get_model("annotations", "User")
        Project = apps.get_model("annotations", "Project")
        Item = apps.get_model("annotations", "Item")
        Task = apps.get_model("annotations", "Task")
        Slot = apps.get_model("annotations", "Slot")
        Contribution = apps.get_model("annotations", "Contribution")
        org = Organization.objects.create(name="Ours", slug="ours")
        admin = User.objects.create(username="a", role="admin", organization=org)
        racer = User.objects.create(username="racer", role="freelancer")
        calm = User.objects.create(username="calm", role="freelancer")
        project = Project.objects.create(
            organization=org,
            created_by=admin,
            title="P",
            brief="",
            pay_amount_minor=600,
            pay_currency="USD",
            estimated_minutes=15,
        )

        def held(user: Any, n: int, revisions: int = 0) -> Any:
            item = Item.objects.create(project=project, external_id=f"item-{user.username}-{n}")
            task = Task.objects.create(project=project, item=item, replicas=1)
            slot = Slot.objects.create(task=task, index=0, state="in_progress", assignee=user)
            return Contribution.objects.create(
                project=project, task=task, slot=slot, freelancer=user, state="in_progress", revisions=revisions
            )

        kept, extra_claim, extra_revision = held(racer, 1), held(racer, 2), held(racer, 3, revisions=1)
        alone = held(calm, 1)
        apps = migrate_to(AFTER)
        Contribution = apps.get_model("annotations", "Contribution")
        AuditEvent = apps.get_model("annotations", "AuditEvent")
        after = {c.pk: (c.state, c.slot_id is not None) for c in Contribution.objects.all()}
        assert after == {
            kept.pk: ("in_progress", True),  # the oldest stays
            extra_claim.pk: ("returned", False),  # given back: its slot reopens for someone else
            extra_revision.pk: ("revision", True),  # waits, its slot kept, for the next "Start next task"
            alone.pk: ("in_progress", True),
        }
        Slot = apps.get_model("annotations", "Slot")
        assert (
            Slot.objects.get(pk=extra_claim.slot_id).state,
            Slot.objects.get(pk=extra_claim.slot_id).assignee_id,
        ) == (
            "open",
            None,
        )
        revision_slot = Slot.objects.get(pk=extra_revision.slot_id)
        assert (revision_slot.state, revision_slot.assignee_id) == ("submitted", racer.pk)
        assert revision_slot.lease_expires_at is not None  # held for two leases, then released as expired
        events = AuditEvent.objects.filter(data__reason="one_task_per_project")
        assert sorted(events.values_list("target_id", "action", "organization_id")) == sorted(
            [
                (str(extra_claim.pk), "contribution.returned", org.pk),
                (str(extra_revision.pk), "contribution.revision_waiting", org.pk),
            ]
        )
    finally:
        migrate_to()
