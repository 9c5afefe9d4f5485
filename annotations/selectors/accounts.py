"""Reads about a person's account: whether onboarding is done, and what it still lacks.

The rule: a freelancer is onboarded when their FreelancerProfile has `onboarded_at`. A freelancer without a profile
row is not (sign-up always makes one, empty; anyone made another way starts gated too, so no path around the gate
exists). Staff are never asked. People from before onboarding existed were onboarded by migration 0016."""

from __future__ import annotations

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


def onboarding_missing(user: User) -> list[str]:
    """What the freelancer must still fill in before the marketplace opens; empty for staff and once onboarded."""
    if user.role != Role.FREELANCER:
        return []
    profile = _profile(user)
    if profile is not None and profile.onboarded_at is not None:
        return []
    return profile_missing(profile or FreelancerProfile(user=user), user) or [CONFIRMATION]


def onboarding_require(user: User) -> None:
    """403 `onboarding_incomplete` for a freelancer who has not completed onboarding, naming what is missing."""
    missing = onboarding_missing(user)
    if not missing:
        return
    raise PermissionDenied(
        f"Complete your profile to open the marketplace. Still missing: {', '.join(missing)}.",
        code="onboarding_incomplete",
        fields={name: ["Required before you can take work."] for name in missing},
    )
