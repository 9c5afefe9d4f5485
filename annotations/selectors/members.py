"""Reads of an organisation's members and invitations, scoped to the caller's organisation."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from annotations.models import Invitation, Role, User


def members_of(actor: User) -> QuerySet[User]:
    """The caller's organisation's admins and reviewers, active first, then by name; with `has_two_factor`."""
    if actor.role not in (Role.ADMIN, Role.REVIEWER) or actor.organization_id is None:
        return User.objects.none()
    return (
        User.objects.filter(organization_id=actor.organization_id, role__in=[Role.ADMIN, Role.REVIEWER])
        .annotate(
            has_two_factor=Exists(Authenticator.objects.filter(user_id=OuterRef("pk"), type=Authenticator.Type.TOTP))
        )
        .order_by("-is_active", "display_name", "username", "pk")
    )


def pending_invitations_of(actor: User) -> QuerySet[Invitation]:
    """Invitations of the caller's organisation not accepted or revoked (expired ones too: they can be resent)."""
    if actor.role != Role.ADMIN or actor.organization_id is None:
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            organization_id=actor.organization_id, accepted_at__isnull=True, revoked_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-last_sent_at", "-id")
    )


def invitation_is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= timezone.now()
