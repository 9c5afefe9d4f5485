"""Reads about a person's account: whether onboarding is done and what it still lacks; whether two-factor
authentication is on and whether their organization requires it of them.

Onboarding: a freelancer is onboarded when their FreelancerProfile has `onboarded_at`. A freelancer without a profile
row is not (sign-up always makes one, empty; anyone made another way starts gated too, so no path around the gate
exists). Staff are never asked. People from before onboarding existed were onboarded by migration 0016."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from annotations.domain import onboarding as rules
from annotations.domain.errors import PermissionDenied
from annotations.models import FreelancerProfile, Role, User

# Reported when every field is filled in but the profile was never marked onboarded (only a write outside the
# services can leave it so): the onboarding form's submit completes it.
CONFIRMATION = "onboarding"


def profile_missing(profile: FreelancerProfile, user: User) -> list[str]:
    """The onboarding fields this profile (and its user's display name) still lacks, in form order."""
    return rules.missing_fields(
        display_name=user.display_name,
        languages=profile.languages or [],
        skills=profile.skills or [],
        modalities=profile.modalities or [],
        country=profile.country,
        time_zone=profile.time_zone,
        training_terms=profile.training_terms or {},
    )


def _profile(user: User) -> FreelancerProfile | None:
    """The user's profile, one query. Not through `user.freelancer_profile`: that caches the row on the user object,
    and a service that is handed the same object after a write would read the stale copy."""
    return FreelancerProfile.objects.filter(user_id=user.pk).first()


def onboarding_missing(user: User, profile: FreelancerProfile | Any | None = ...) -> list[str]:
    """What the freelancer must still fill in before the marketplace opens; empty for staff and once onboarded.
    `profile`: the user's profile (or None) when the caller has read it already."""
    if user.role != Role.FREELANCER:
        return []
    if profile is ...:
        profile = _profile(user)
    if profile is not None and profile.onboarded_at is not None:
        return []
    return profile_missing(profile or FreelancerProfile(user=user), user) or [CONFIRMATION]


def onboarding_require(user: User, profile: FreelancerProfile | Any | None = ...) -> None:
    """403 `onboarding_incomplete` for a freelancer who has not completed onboarding, naming what is missing."""
    missing = onboarding_missing(user, profile)
    if not missing:
        return
    raise PermissionDenied(
        gettext("Complete your profile to open the marketplace. Still missing: %(missing)s.")
        % {"missing": ", ".join(missing)},
        code="onboarding_incomplete",
        fields={name: [gettext("Required before you can take work.")] for name in missing},
    )


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
