"""Changes to a person's own account and freelancer profile."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain import languages, provenance
from annotations.domain import onboarding as onboarding_rules
from annotations.domain.errors import PermissionDenied, ValidationFailed
from annotations.domain.money import CURRENCY_EXPONENTS
from annotations.models import FreelancerProfile, Modality, Role, TermsAcceptance, TermsKind, User
from annotations.selectors.accounts import profile_missing
from annotations.services.audit import audit_record


@dataclass(frozen=True, slots=True)
class ProfileFields:
    """None leaves a field as it is."""

    display_name: str | None = None
    skills: list[str] | None = None
    modalities: list[str] | None = None
    country: str | None = None
    payout_currency: str | None = None
    training_terms: dict[str, str] | None = None
    languages: list[str] | None = None
    time_zone: str | None = None


def _validate(fields: ProfileFields) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if fields.modalities is not None and set(fields.modalities) - set(Modality.values):
        errors["modalities"] = [gettext("Choose from %(values)s.") % {"values": ", ".join(Modality.values)}]
    if fields.country:
        try:
            onboarding_rules.clean_country(fields.country)
        except ValueError as exc:
            errors["country"] = [str(exc)]
    if fields.languages:
        try:
            onboarding_rules.clean_languages(fields.languages)
        except ValueError as exc:
            errors["languages"] = [str(exc)]
    if fields.time_zone:
        try:
            onboarding_rules.clean_time_zone(fields.time_zone)
        except ValueError as exc:
            errors["time_zone"] = [str(exc)]
    if fields.payout_currency is not None and fields.payout_currency.upper() not in CURRENCY_EXPONENTS:
        errors["payout_currency"] = [
            gettext("One of %(currency_exponents)s.") % {"currency_exponents": ", ".join(sorted(CURRENCY_EXPONENTS))}
        ]
    if fields.skills is not None and any(not s.strip() for s in fields.skills):
        errors["skills"] = [gettext("Skills may not be blank.")]
    if fields.training_terms is not None:
        try:
            provenance.clean_training_terms(fields.training_terms)
        except ValueError as exc:
            errors["training_terms"] = [str(exc)]
    return errors


def _emptied(fields: ProfileFields) -> dict[str, list[str]]:
    """The required fields this change would empty: refused once a profile is onboarded."""
    values: dict[str, object] = {
        "display_name": fields.display_name.strip() if fields.display_name is not None else None,
        "languages": fields.languages,
        "skills": [s for s in fields.skills if s.strip()] if fields.skills is not None else None,
        "modalities": fields.modalities,
        "country": fields.country.strip() if fields.country is not None else None,
        "time_zone": fields.time_zone.strip() if fields.time_zone is not None else None,
    }
    return {
        name: ["Required: it cannot be emptied, only changed."]
        for name, value in values.items()
        if value is not None and not value
    }


def _apply(profile: FreelancerProfile, user: User, fields: ProfileFields) -> None:
    """Write the validated fields given (None: unchanged) onto the locked profile and the user."""
    if fields.skills is not None:
        profile.skills = sorted({s.strip() for s in fields.skills if s.strip()})
    if fields.modalities is not None:
        profile.modalities = sorted(set(fields.modalities))
    if fields.country is not None:
        profile.country = onboarding_rules.clean_country(fields.country) if fields.country.strip() else ""
    if fields.languages is not None:
        profile.languages = onboarding_rules.clean_languages(fields.languages)
    if fields.time_zone is not None:
        profile.time_zone = onboarding_rules.clean_time_zone(fields.time_zone) if fields.time_zone.strip() else ""
    if fields.payout_currency is not None:
        profile.payout_currency = fields.payout_currency.upper()
    if fields.training_terms is not None:
        provenance.clean_training_terms(fields.training_terms)  # validated already; raises on nonsense
        # Only what the person chose is stored (readers add the defaults), so "chose every use" stays knowable.
        profile.training_terms = {**(profile.training_terms or {}), **fields.training_terms}
    if fields.display_name is not None:
        User.objects.filter(pk=user.pk).update(display_name=fields.display_name.strip())
        user.display_name = fields.display_name.strip()


def freelancer_profile_update(*, user: User, fields: ProfileFields) -> FreelancerProfile:
    """Change some profile fields. Once onboarded, a required field can be changed but never emptied. A profile
    that this change leaves complete is onboarded by it (the onboarding form and this one ask the same things)."""
    if user.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers have a freelancer profile."))
    errors = _validate(fields)
    with transaction.atomic():
        profile, _ = FreelancerProfile.objects.select_for_update().get_or_create(user=user)
        if profile.onboarded_at is not None:
            errors = {**_emptied(fields), **errors}
        if errors:
            raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
        _apply(profile, user, fields)
        if profile.onboarded_at is None and not profile_missing(profile, user):
            profile.onboarded_at = timezone.now()
            audit_record(actor=user, action="freelancer.onboarded", target=user, data={"via": "profile"})
        profile.save()
    return profile


@dataclass(frozen=True, slots=True)
class OnboardingFields:
    """Everything onboarding asks, at once. None: not given (reported as missing)."""

    display_name: str | None = None
    languages: list[str] | None = None
    skills: list[str] | None = None
    modalities: list[str] | None = None
    country: str | None = None
    time_zone: str | None = None
    training_terms: dict[str, str] | None = None


def _onboarding_errors(fields: OnboardingFields) -> dict[str, list[str]]:
    required = gettext("Required.")
    errors: dict[str, list[str]] = {}
    if not (fields.display_name or "").strip():
        errors["display_name"] = [required]
    if not fields.languages:
        errors["languages"] = [gettext("Add at least one language you work in.")]
    else:
        try:
            onboarding_rules.clean_languages(fields.languages)
        except ValueError as exc:
            errors["languages"] = [str(exc)]
    if not [s for s in fields.skills or [] if s.strip()]:
        errors["skills"] = [gettext("Add at least one skill.")]
    if not fields.modalities:
        errors["modalities"] = [gettext("Choose at least one medium.")]
    elif set(fields.modalities) - set(Modality.values):
        errors["modalities"] = [gettext("Choose from %(values)s.") % {"values": ", ".join(Modality.values)}]
    if not (fields.country or "").strip():
        errors["country"] = [required]
    else:
        try:
            onboarding_rules.clean_country(fields.country or "")
        except ValueError as exc:
            errors["country"] = [str(exc)]
    if not (fields.time_zone or "").strip():
        errors["time_zone"] = [required]
    else:
        try:
            onboarding_rules.clean_time_zone(fields.time_zone or "")
        except ValueError as exc:
            errors["time_zone"] = [str(exc)]
    errors.update(onboarding_rules.terms_choice_errors(fields.training_terms or {}))
    return errors


def freelancer_onboard(*, user: User, fields: OnboardingFields) -> FreelancerProfile:
    """Complete the onboarding profile in one step: every field is checked first and all problems are reported
    together (nothing is saved unless all pass); then the profile is written and the marketplace opens. Sent again
    by someone already onboarded, it changes the answers and keeps the first completion time."""
    if user.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers have a freelancer profile."))
    errors = _onboarding_errors(fields)
    if errors:
        names = sorted({name.split(".")[0] for name in errors}, key=onboarding_rules.REQUIRED_FIELDS.index)
        raise ValidationFailed(gettext("Missing or invalid: %(names)s.") % {"names": ", ".join(names)}, fields=errors)
    with transaction.atomic():
        profile, _ = FreelancerProfile.objects.select_for_update().get_or_create(user=user)
        _apply(
            profile,
            user,
            ProfileFields(
                display_name=fields.display_name,
                languages=fields.languages,
                skills=fields.skills,
                modalities=fields.modalities,
                country=fields.country,
                time_zone=fields.time_zone,
                training_terms=fields.training_terms,
            ),
        )
        if profile.onboarded_at is None:
            profile.onboarded_at = timezone.now()
            audit_record(actor=user, action="freelancer.onboarded", target=user, data={"via": "onboarding"})
        profile.save()
    return profile


def freelancer_profile_get(*, user: User) -> FreelancerProfile:
    if user.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers have a freelancer profile."))
    profile, _ = FreelancerProfile.objects.get_or_create(user=user)
    return profile


def user_language_set(*, user: User, language: str) -> User:
    """Change the language a person gets their mail, notifications and pages in: one Atelier speaks (en, es,
    pt-BR; any letter case). Anything else is refused (400) and nothing changes."""
    tag = languages.spoken_tag(language)
    if tag is None:
        raise ValidationFailed(
            gettext("Atelier does not speak this language."),
            fields={"language": [gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(languages.SPOKEN)}]},
        )
    User.objects.filter(pk=user.pk).update(language=tag)
    user.language = tag
    return user


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
