"""Migration 0013 files the events written before every event carried an organization under the right one."""

from __future__ import annotations

import pytest

from tests.migrations_support import migrate_to

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("annotations", "0012_content_credentials")]
AFTER = [("annotations", "0013_audit_log_by_organization")]


def test_old_events_are_filed_under_their_organization() -> None:
    apps = migrate_to(BEFORE)
    try:
        Organization = apps.get_model("annotations", "Organization")
        User = apps.get_model("annotations", "User")
        Project = apps.get_model("annotations", "Project")
        AuditEvent = apps.get_model("annotations", "AuditEvent")
        ours = Organization.objects.create(name="Ours", slug="ours")
        theirs = Organization.objects.create(name="Theirs", slug="theirs")
        admin = User.objects.create(username="a", role="admin", organization=ours)
        freelancer = User.objects.create(username="f", role="freelancer")
        project = Project.objects.create(
            organization=theirs,
            created_by=admin,
            title="P",
            brief="",
            pay_amount_minor=600,
            pay_currency="USD",
            estimated_minutes=15,
        )
        made = {
            "project": AuditEvent.objects.create(
                actor=admin, action="project.updated", target_type="project", target_id=str(project.pk)
            ),
            "token": AuditEvent.objects.create(
                actor=admin, action="token.created", target_type="apitoken", target_id="9"
            ),
            "consent": AuditEvent.objects.create(
                actor=freelancer, action="consent.withdrawn", target_type="user", target_id=str(freelancer.pk)
            ),
            "system": AuditEvent.objects.create(actor=None, action="payout.sent", target_type="payout", target_id="3"),
            "gone": AuditEvent.objects.create(
                actor=freelancer, action="contribution.claimed", target_type="contribution", target_id="999999"
            ),
        }
        apps = migrate_to(AFTER)
        AuditEvent = apps.get_model("annotations", "AuditEvent")
        filed = {k: AuditEvent.objects.get(pk=e.pk).organization_id for k, e in made.items()}
        assert filed == {
            "project": theirs.pk,  # the target's organization wins over the actor's
            "token": ours.pk,  # no organization of its own: the actor's
            "consent": None,  # a freelancer's own setting
            "system": None,
            "gone": None,  # the contribution no longer exists, and its freelancer has no organization
        }
    finally:
        migrate_to()
