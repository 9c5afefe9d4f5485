"""One task at a time: at most one contribution in progress per freelancer and project.

Rows made before the constraint may hold several (sixteen tabs pressing "Start next task" together got two or
three). Per freelancer and project the oldest stays in progress; each newer extra is resolved the way the running
code would have: a fresh claim is given back (its slot reopens for someone else, the freelancer keeps read access,
an audit event says why), and a revision a reviewer sent back waits as "revision" (its slot kept for two leases)
until the freelancer's next "Start next task" in that project resumes it.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Q
from django.utils import timezone

STATES = [
    ("in_progress", "In progress"),
    ("revision", "Revision requested"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("expired", "Lease expired"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]


def resolve_extras(apps: Any, schema_editor: Any) -> None:
    Contribution = apps.get_model("annotations", "Contribution")
    Slot = apps.get_model("annotations", "Slot")
    AuditEvent = apps.get_model("annotations", "AuditEvent")
    now = timezone.now()
    doubled = (
        Contribution.objects.filter(state="in_progress")
        .values("freelancer_id", "project_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by()
    )
    for group in doubled.iterator():
        held = Contribution.objects.filter(
            state="in_progress", freelancer_id=group["freelancer_id"], project_id=group["project_id"]
        ).select_related("project")
        for c in list(held.order_by("started_at", "id"))[1:]:
            if c.revisions:
                if c.slot_id is not None:  # two leases, as services/review.py gives a revision that waits
                    minutes = 2 * max(10.0, c.project.estimated_minutes * getattr(settings, "LEASE_MULTIPLE", 3))
                    Slot.objects.filter(pk=c.slot_id).update(
                        state="submitted", lease_expires_at=now + timedelta(minutes=minutes), updated_at=now
                    )
                c.state, action = "revision", "contribution.revision_waiting"
            else:
                if c.slot_id is not None:
                    Slot.objects.filter(pk=c.slot_id, assignee_id=c.freelancer_id).update(
                        state="open", assignee=None, lease_expires_at=None, updated_at=now
                    )
                c.state, c.slot_id, action = "returned", None, "contribution.returned"
            c.save(update_fields=["state", "slot", "updated_at"])
            AuditEvent.objects.create(
                actor=None,
                organization_id=c.project.organization_id,
                action=action,
                target_type="contribution",
                target_id=str(c.pk),
                data={"reason": "one_task_per_project"},
            )


class Migration(migrations.Migration):
    dependencies = [("annotations", "0013_audit_log_by_organization")]

    operations = [
        migrations.RemoveConstraint(model_name="contribution", name="contribution_state_valid"),
        migrations.AlterField(
            model_name="contribution",
            name="state",
            field=models.CharField(choices=STATES, default="in_progress", max_length=12),
        ),
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.CheckConstraint(
                condition=Q(state__in=[s for s, _ in STATES]), name="contribution_state_valid"
            ),
        ),
        migrations.RunPython(resolve_extras, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="contribution",
            constraint=models.UniqueConstraint(
                condition=Q(state="in_progress"),
                fields=("freelancer", "project"),
                name="contribution_one_in_progress_per_project",
            ),
        ),
    ]
