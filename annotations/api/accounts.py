"""The session probe, the CSRF token, the current user and the freelancer profile (sign-in itself is allauth's:
/_allauth/browser/v1/ and /_allauth/app/v1/, docs/accounts.md)."""

from __future__ import annotations

from typing import Any

from django.middleware.csrf import get_token
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.authentication import SessionAuthentication
from annotations.api.permissions import ANY_SCOPE, API_PERMISSIONS, FreelancerRole, actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.languages import SPOKEN
from annotations.domain.provenance import DEFAULT_TRAINING_TERMS
from annotations.domain.quality import Reputation
from annotations.domain.tokens import Scope
from annotations.models import FreelancerProfile, Modality, User
from annotations.selectors.accounts import TwoFactorStatus, onboarding_missing, profile_missing, two_factor_status
from annotations.selectors.work import reputation_of
from annotations.services.accounts import (
    OnboardingFields,
    ProfileFields,
    freelancer_onboard,
    freelancer_profile_get,
    freelancer_profile_update,
    user_language_set,
)
from annotations.services.tokens import allowed_scopes


class OrganizationRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


ONBOARDING_MISSING_HELP = (
    "The onboarding fields a freelancer must still fill in before the marketplace opens (display_name, languages, "
    "skills, modalities, country, time_zone, training_terms); empty for staff and once onboarded."
)


class UserOutputSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=["admin", "reviewer", "freelancer"])
    display_name = serializers.CharField(source="shown_name")
    organization = OrganizationRefSerializer(allow_null=True)
    is_staff = serializers.BooleanField(help_text="A platform operator: sees payouts and keeps platform webhooks.")
    language = serializers.ChoiceField(
        choices=list(SPOKEN),
        help_text="BCP 47 tag: the language of this person's mail and notifications (PATCH /me changes it).",
    )
    allowed_token_scopes = serializers.SerializerMethodField()
    onboarding_missing = serializers.SerializerMethodField(help_text=ONBOARDING_MISSING_HELP)
    two_factor_enabled = serializers.SerializerMethodField(help_text="An authenticator app (TOTP) is set up.")
    two_factor_required = serializers.SerializerMethodField(
        help_text="The organization requires two-factor authentication and it is not set up yet: every other API "
        "route answers 403 two_factor_required until it is (send the person to account settings)."
    )

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=[s.value for s in Scope])))
    def get_allowed_token_scopes(self, user: User) -> list[str]:
        return allowed_scopes(user)

    def get_onboarding_missing(self, user: User) -> list[str]:
        return onboarding_missing(user)

    def _two_factor(self, user: User) -> TwoFactorStatus:
        cache: dict[int, TwoFactorStatus] = self.context.setdefault("two_factor", {})
        if user.pk not in cache:
            cache[user.pk] = two_factor_status(user)
        return cache[user.pk]

    def get_two_factor_enabled(self, user: User) -> bool:
        return self._two_factor(user).enabled

    def get_two_factor_required(self, user: User) -> bool:
        return self._two_factor(user).required


class CsrfView(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Get a CSRF token (also set as the csrftoken cookie)",
        responses=inline_serializer("CsrfToken", {"csrf_token": serializers.CharField()}),
    )
    def get(self, request: Request) -> Response:
        return Response({"csrf_token": get_token(request._request)})


class SessionOutputSerializer(serializers.Serializer[Any]):
    authenticated = serializers.BooleanField()
    user = UserOutputSerializer(allow_null=True, help_text="Null when nobody is signed in.")


class SessionView(APIView):
    """Who is signed in to this browser session, for the console's first request on every page load. Nobody is an
    answer (200), not an error, so an anonymous page load logs no failed request; API clients keep `/me`, which
    answers 401 without credentials. Only the session is read: a bearer token is neither used nor refused."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(summary="The browser session: signed in or not (never 401)", responses=SessionOutputSerializer)
    def get(self, request: Request) -> Response:
        user = request.user if request.user.is_authenticated else None
        return Response({"authenticated": user is not None, "user": UserOutputSerializer(user).data if user else None})


@extend_schema_field({"type": "string", "enum": list(SPOKEN)})
class LanguageField(serializers.CharField):
    """A language tag as sent: the service decides whether Atelier speaks it (so the refusal is its message)."""


class MeInputSerializer(StrictInputSerializer):
    language = LanguageField(max_length=16, required=False, help_text="en, es or pt-BR; absent: unchanged.")


class MeView(APIView):
    token_scopes = {"GET": ANY_SCOPE}  # PATCH is the person's own setting: a session only, tokens are refused
    two_factor_exempt = True  # the app reads two_factor_required here to send the person to set it up

    @extend_schema(summary="The current user", responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(actor(request)).data)

    @extend_schema(
        summary="Change your language (mail, notifications and the server's messages)",
        description="400 `invalid` with `fields.language` for a language Atelier does not speak; nothing changes.",
        request=MeInputSerializer,
        responses=UserOutputSerializer,
    )
    def patch(self, request: Request) -> Response:
        data = MeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = actor(request)
        if "language" in data.validated_data:
            user = user_language_set(user=user, language=data.validated_data["language"])
        return Response(UserOutputSerializer(user).data)


class OnboardingStateSerializer(serializers.Serializer[Any]):
    complete = serializers.BooleanField(help_text="Onboarded: the marketplace is open.")
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Required fields still empty, in the onboarding form's order."
    )
    completed_at = serializers.DateTimeField(allow_null=True)


class ProfileOutputSerializer(serializers.Serializer[FreelancerProfile]):
    display_name = serializers.CharField(source="user.display_name")
    skills = serializers.ListField(child=serializers.CharField(), help_text="Declared by the freelancer.")
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    country = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField(), help_text="BCP 47 tags, e.g. en, pt-BR.")
    time_zone = serializers.CharField(help_text="IANA name, e.g. Europe/Lisbon; empty until set.")
    onboarding = serializers.SerializerMethodField()
    payout_currency = serializers.CharField()
    training_terms = serializers.SerializerMethodField(
        help_text="Per use (ai_training, ai_generative_training, data_mining, ai_inference): allowed, notAllowed or "
        "constrained. Signed into the provenance manifest of every approved contribution."
    )
    reputation = serializers.SerializerMethodField(
        help_text="Mean of the parts below that have enough evidence (0 until one has); qualifications use it."
    )
    reputation_detail = serializers.SerializerMethodField()
    earned_qualifications = serializers.SerializerMethodField(
        help_text="Qualification exams passed (earned, checked by the platform), unlike the declared skills."
    )

    def _reputation(self, profile: FreelancerProfile) -> Reputation:
        cache = self.context.setdefault("reputation", {})
        if profile.user_id not in cache:
            cache[profile.user_id] = reputation_of(profile.user)
        return cache[profile.user_id]  # type: ignore[no-any-return]

    @extend_schema_field(OnboardingStateSerializer)
    def get_onboarding(self, profile: FreelancerProfile) -> dict[str, Any]:
        return {
            "complete": profile.onboarded_at is not None,
            "missing": profile_missing(profile, profile.user),
            "completed_at": profile.onboarded_at,
        }

    def get_training_terms(self, profile: FreelancerProfile) -> dict[str, str]:
        return {**DEFAULT_TRAINING_TERMS, **(profile.training_terms or {})}

    def get_reputation(self, profile: FreelancerProfile) -> float:
        return self._reputation(profile).score

    @extend_schema_field(
        inline_serializer(
            "ReputationDetail",
            {
                "approval_rate": serializers.FloatField(
                    allow_null=True, help_text="Approved share of reviewed work (from 3 reviewed)."
                ),
                "review_score": serializers.FloatField(
                    allow_null=True, help_text="Mean rubric score as a share of the maximum (from 3 scored reviews)."
                ),
                "gold_accuracy": serializers.FloatField(
                    allow_null=True, help_text="Mean share of known answers matched on gold items (from 2)."
                ),
                "reviewed": serializers.IntegerField(),
                "gold_checked": serializers.IntegerField(),
            },
        )
    )
    def get_reputation_detail(self, profile: FreelancerProfile) -> dict[str, Any]:
        r = self._reputation(profile)
        return {
            "approval_rate": r.approval_rate,
            "review_score": r.review_score,
            "gold_accuracy": r.gold_accuracy,
            "reviewed": r.reviewed,
            "gold_checked": r.gold_checked,
        }

    @extend_schema_field(
        inline_serializer(
            "EarnedQualification",
            {
                "exam_id": serializers.IntegerField(),
                "title": serializers.CharField(),
                "organization": serializers.CharField(),
                "score": serializers.FloatField(),
                "passed_at": serializers.DateTimeField(),
            },
            many=True,
        )
    )
    def get_earned_qualifications(self, profile: FreelancerProfile) -> list[dict[str, Any]]:
        from annotations.selectors.exams import qualifications_of

        return [
            {k: q[k] for k in ("exam_id", "title", "organization", "score")} | {"passed_at": q["submitted_at"]}
            for q in qualifications_of(profile.user)["passed"]
        ]


class ProfileInputSerializer(StrictInputSerializer):
    display_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    skills = serializers.ListField(child=serializers.CharField(max_length=60), max_length=30, required=False)
    modalities = serializers.ListField(
        child=serializers.ChoiceField(choices=Modality.choices), max_length=len(Modality.values), required=False
    )
    country = serializers.CharField(max_length=2, allow_blank=True, required=False)
    payout_currency = serializers.CharField(max_length=3, required=False)
    training_terms = serializers.DictField(
        child=serializers.CharField(max_length=20), required=False, help_text="See the output's training_terms."
    )
    languages = serializers.ListField(child=serializers.CharField(max_length=35), max_length=20, required=False)
    time_zone = serializers.CharField(max_length=64, allow_blank=True, required=False)


class ProfileView(APIView):
    """The freelancer's own profile: what they can do (qualifications use it) and how they are paid."""

    @extend_schema(summary="Your freelancer profile", responses=ProfileOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(ProfileOutputSerializer(freelancer_profile_get(user=actor(request))).data)

    @extend_schema(
        summary="Change your freelancer profile", request=ProfileInputSerializer, responses=ProfileOutputSerializer
    )
    def patch(self, request: Request) -> Response:
        data = ProfileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = freelancer_profile_update(user=actor(request), fields=ProfileFields(**data.validated_data))
        return Response(ProfileOutputSerializer(profile).data)


class OnboardingInputSerializer(StrictInputSerializer):
    """Types only: what is missing or invalid is reported by the service, every field in one answer."""

    display_name = serializers.CharField(max_length=120, allow_blank=True, required=False)
    languages = serializers.ListField(
        child=serializers.CharField(max_length=35), max_length=20, required=False, help_text="BCP 47 tags (1+)."
    )
    skills = serializers.ListField(child=serializers.CharField(max_length=60), max_length=30, required=False)
    modalities = serializers.ListField(
        child=serializers.ChoiceField(choices=Modality.choices), max_length=len(Modality.values), required=False
    )
    country = serializers.CharField(max_length=2, allow_blank=True, required=False, help_text="ISO 3166-1 alpha-2.")
    time_zone = serializers.CharField(
        max_length=64, allow_blank=True, required=False, help_text="IANA name, e.g. Europe/Lisbon."
    )
    training_terms = serializers.DictField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="A choice for every use (ai_training, ai_generative_training, data_mining, ai_inference): "
        "allowed, notAllowed or constrained. Defaults are not taken for a choice.",
    )


class OnboardingView(APIView):
    """The short profile a new freelancer completes before the marketplace opens (docs/onboarding.md)."""

    permission_classes = [*API_PERMISSIONS, FreelancerRole]  # staff are refused before the body is read

    @extend_schema(
        summary="Complete your onboarding profile (freelancer): all fields at once",
        description="400 lists every missing or invalid field in `fields`, and nothing is saved. On success the "
        "marketplace and claims open. Sent again, it changes the answers and keeps the first completion time.",
        request=OnboardingInputSerializer,
        responses=ProfileOutputSerializer,
    )
    def post(self, request: Request) -> Response:
        data = OnboardingInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        profile = freelancer_onboard(user=actor(request), fields=OnboardingFields(**data.validated_data))
        return Response(ProfileOutputSerializer(profile).data)
