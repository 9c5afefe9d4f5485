"""Changes to a person's own account and freelancer profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from annotations.domain import provenance
from annotations.domain.errors import PermissionDenied, ValidationFailed
from annotations.domain.money import CURRENCY_EXPONENTS
from annotations.models import FreelancerProfile, Modality, Role, TermsAcceptance, TermsKind, User


@dataclass(frozen=True, slots=True)
class ProfileFields:
    """None leaves a field as it is."""

    display_name: str | None = None
    skills: list[str] | None = None
    modalities: list[str] | None = None
    country: str | None = None
    payout_currency: str | None = None
    training_terms: dict[str, str] | None = None


def _validate(fields: ProfileFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if fields.modalities is not None and set(fields.modalities) - set(Modality.values):
        errors["modalities"] = [f"Choose from {', '.join(Modality.values)}."]
    if fields.country is not None and fields.country and not (len(fields.country) == 2 and fields.country.isalpha()):
        errors["country"] = ["A two-letter ISO 3166 country code, e.g. PT."]
    if fields.payout_currency is not None and fields.payout_currency.upper() not in CURRENCY_EXPONENTS:
        errors["payout_currency"] = [f"One of {', '.join(sorted(CURRENCY_EXPONENTS))}."]
    if fields.skills is not None and any(not s.strip() for s in fields.skills):
        errors["skills"] = ["Skills may not be blank."]
    if fields.training_terms is not None:
        try:
            provenance.clean_training_terms(fields.training_terms)
        except ValueError as exc:
            errors["training_terms"] = [str(exc)]
    return errors


def freelancer_profile_update(*, user: User, fields: ProfileFields) -> FreelancerProfile:
    if user.role != Role.FREELANCER:
        raise PermissionDenied("Only freelancers have a freelancer profile.")
    errors = _validate(fields)
    if errors:
        raise ValidationFailed("Some fields are invalid.", fields=errors)
    with transaction.atomic():
        profile, _ = FreelancerProfile.objects.select_for_update().get_or_create(user=user)
        if fields.skills is not None:
            profile.skills = sorted({s.strip() for s in fields.skills})
        if fields.modalities is not None:
            profile.modalities = sorted(set(fields.modalities))
        if fields.country is not None:
            profile.country = fields.country.upper()
        if fields.payout_currency is not None:
            profile.payout_currency = fields.payout_currency.upper()
        if fields.training_terms is not None:
            profile.training_terms = provenance.clean_training_terms(fields.training_terms)
        profile.save()
        if fields.display_name is not None:
            User.objects.filter(pk=user.pk).update(display_name=fields.display_name.strip())
            user.display_name = fields.display_name.strip()
    return profile


def freelancer_profile_get(*, user: User) -> FreelancerProfile:
    if user.role != Role.FREELANCER:
        raise PermissionDenied("Only freelancers have a freelancer profile.")
    profile, _ = FreelancerProfile.objects.get_or_create(user=user)
    return profile


def freelancer_signed_up(*, user: User, terms_version: str, client_ip: str | None) -> FreelancerProfile:
    """A new freelancer from open sign-up: an empty profile (onboarding fills it) and the terms version accepted."""
    with transaction.atomic():
        profile, _ = FreelancerProfile.objects.get_or_create(user=user)
        if terms_version:
            TermsAcceptance.objects.get_or_create(
                user=user,
                kind=TermsKind.CONTRIBUTOR,
                version=terms_version,
                defaults={"client_ip": client_ip or None},
            )
    return profile
