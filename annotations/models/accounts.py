"""Organisations, users and freelancer profiles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from annotations.domain.languages import DEFAULT as DEFAULT_LANGUAGE
from annotations.domain.languages import SPOKEN


class Organization(models.Model):
    """A tenant: it owns projects; its admins and reviewers see only its data."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    require_two_factor = models.BooleanField(
        default=False, help_text="Admins and reviewers must have two-factor authentication to use the console."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    REVIEWER = "reviewer", "Reviewer"
    FREELANCER = "freelancer", "Freelancer"


class User(AbstractUser):
    """Every person on the platform. Admins and reviewers belong to one organisation; freelancers to none."""

    role = models.CharField(max_length=16, choices=Role.choices, default=Role.FREELANCER)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    display_name = models.CharField(max_length=120, blank=True)
    language = models.CharField(
        max_length=16,
        choices=list(SPOKEN.items()),
        default=DEFAULT_LANGUAGE,
        help_text="BCP 47 tag (en, es, pt-BR): the language of the mail, notifications and pages this person gets.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="user_role_valid",
                condition=Q(role__in=[r.value for r in Role]),
            ),
            models.CheckConstraint(name="user_language_valid", condition=Q(language__in=list(SPOKEN))),
            # Staff of an organisation always has one; freelancers are global.
            models.CheckConstraint(
                name="user_org_matches_role",
                condition=(Q(role=Role.FREELANCER, organization__isnull=True))
                | (Q(role__in=[Role.ADMIN, Role.REVIEWER], organization__isnull=False)),
            ),
        ]

    @property
    def is_platform_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_reviewer(self) -> bool:
        return self.role == Role.REVIEWER

    @property
    def is_freelancer(self) -> bool:
        return self.role == Role.FREELANCER

    @property
    def shown_name(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Modality(models.TextChoices):
    IMAGE = "image", "Image"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    TEXT = "text", "Text"
    MOTION = "motion", "Motion capture"
    SENSOR = "sensor", "Sensor time series"
    MODEL = "model", "3D model"


class FreelancerProfile(models.Model):
    """What a freelancer can do and how they are paid; qualifications are checked against it."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="freelancer_profile")
    skills = models.JSONField(default=list, blank=True)
    modalities = models.JSONField(default=list, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")
    languages = models.JSONField(default=list, blank=True, help_text="BCP 47 tags of the languages they work in.")
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA name, e.g. Europe/Lisbon.")
    onboarded_at = models.DateTimeField(
        null=True, blank=True, help_text="When the onboarding profile was completed; the marketplace opens then."
    )
    payout_currency = models.CharField(max_length=3, default="USD", help_text="ISO 4217")
    portfolio_token = models.CharField(
        max_length=40, blank=True, help_text="Set: the portfolio is public at /p/<token>. Empty: private."
    )
    training_terms = models.JSONField(
        default=dict, blank=True, help_text="Per use: allowed, notAllowed or constrained (CAWG-style); signed."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(name="profile_currency_iso", condition=Q(payout_currency__regex=r"^[A-Z]{3}$")),
            models.CheckConstraint(
                name="profile_country_iso", condition=Q(country="") | Q(country__regex=r"^[A-Z]{2}$")
            ),
        ]

    def __str__(self) -> str:
        return f"profile of {self.user}"


class TermsKind(models.TextChoices):
    CONTRIBUTOR = "contributor", "Contributor terms"


class TermsAcceptance(models.Model):
    """One person's acceptance of one version of the platform's terms: recorded at sign-up, asked again when the
    version changes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="terms_acceptances")
    kind = models.CharField(max_length=24, choices=TermsKind.choices)
    version = models.CharField(max_length=40)
    accepted_at = models.DateTimeField(auto_now_add=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "version"], name="terms_accepted_once_per_version"),
            models.CheckConstraint(name="terms_kind_valid", condition=Q(kind__in=["contributor"])),
        ]

    def __str__(self) -> str:
        return f"{self.user} accepted {self.kind} {self.version}"
