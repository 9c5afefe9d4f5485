"""Invitations: how admins and reviewers join an organisation. The link's token is signed and carries a nonce whose
sha256 is kept here; a resend makes a new nonce, so only the newest link works."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from annotations.models.accounts import Organization


class InvitationRole(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    ADMIN = "admin", "Admin"


class Invitation(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=16, choices=InvitationRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="INVITATION_DAYS after the last send.")
    nonce_hash = models.CharField(max_length=64, help_text="sha256 hex of the nonce in the newest link.")
    sent_count = models.PositiveSmallIntegerField(default=1)
    last_sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One pending invitation per organisation and address, whatever its case.
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                name="invitation_role_valid", condition=Q(role__in=[r.value for r in InvitationRole])
            ),
            models.CheckConstraint(
                name="invitation_accepted_or_revoked",
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
            models.CheckConstraint(name="invitation_nonce_is_sha256", condition=Q(nonce_hash__regex=r"^[0-9a-f]{64}$")),
            models.CheckConstraint(name="invitation_sent_at_least_once", condition=Q(sent_count__gte=1)),
        ]

    def __str__(self) -> str:
        return f"invitation of {self.email} to {self.organization_id} as {self.role}"
