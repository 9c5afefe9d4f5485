"""Reads about a person's account security: whether two-factor authentication is on, and whether their
organization requires it of them."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef

from annotations.models import Role, User

# The roles an organization's two-factor policy binds: its staff. Freelancers belong to no organization.
TWO_FACTOR_POLICY_ROLES = (Role.ADMIN, Role.REVIEWER)


@dataclass(frozen=True, slots=True)
class TwoFactorStatus:
    enabled: bool  # an authenticator app (TOTP) is active
    required: bool  # the organization requires it and it is not on yet: the API refuses them until it is


def _totp_of_user() -> Exists:
    return Exists(Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP))


def has_two_factor(user: User) -> bool:
    """An active authenticator app (TOTP). Recovery codes alone are not a second factor: allauth makes them only
    beside an authenticator and deletes them with the last one."""
    return bool(Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists())


def two_factor_status(user: User) -> TwoFactorStatus:
    """One query: the authenticator and the organization's policy together."""
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(totp=_totp_of_user())
        .values_list("totp", "organization__require_two_factor")
        .first()
    )
    enabled, org_requires = (bool(row[0]), bool(row[1])) if row else (False, False)
    required = org_requires and user.role in TWO_FACTOR_POLICY_ROLES and not enabled
    return TwoFactorStatus(enabled=enabled, required=required)


def two_factor_missing(user: User) -> bool:
    """The organization requires two-factor authentication of this person and they have not set it up. No query for
    freelancers and people without an organization; one for staff."""
    if user.role not in TWO_FACTOR_POLICY_ROLES or user.organization_id is None:
        return False
    return User.objects.filter(pk=user.pk, organization__require_two_factor=True).exclude(_totp_of_user()).exists()
