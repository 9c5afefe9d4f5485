"""The audit log is read per organization: an index for it, and the organization filled in on the events written
before every event carried one (from the target's organization, its project's, or else the actor's)."""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

BATCH = 2000


def backfill(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("annotations", "AuditEvent")
    owners = {
        "project": (apps.get_model("annotations", "Project"), "organization_id"),
        "dataset": (apps.get_model("annotations", "Dataset"), "organization_id"),
        "webhookendpoint": (apps.get_model("annotations", "WebhookEndpoint"), "organization_id"),
        "contribution": (apps.get_model("annotations", "Contribution"), "project__organization_id"),
    }
    for target_type, (model, path) in owners.items():
        pending = AuditEvent.objects.filter(organization__isnull=True, target_type=target_type).order_by("pk")
        last = 0
        while True:
            events = list(pending.filter(pk__gt=last)[:BATCH])
            if not events:
                break
            last = events[-1].pk
            ids = {int(e.target_id) for e in events if e.target_id.isdigit()}
            orgs = dict(model.objects.filter(pk__in=ids).values_list("pk", path))
            for e in events:
                e.organization_id = orgs.get(int(e.target_id)) if e.target_id.isdigit() else None
            AuditEvent.objects.bulk_update([e for e in events if e.organization_id], ["organization"])
    User = apps.get_model("annotations", "User")
    AuditEvent.objects.filter(organization__isnull=True, actor__organization__isnull=False).exclude(
        target_type="user"
    ).update(organization=Subquery(User.objects.filter(pk=OuterRef("actor_id")).values("organization_id")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("annotations", "0012_content_credentials"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["organization", "-created_at", "-id"], name="audit_org_newest"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
