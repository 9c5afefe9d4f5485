"""Session login and the current user."""

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
from annotations.api.permissions import ANY_SCOPE, actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.provenance import DEFAULT_TRAINING_TERMS
from annotations.domain.quality import Reputation
from annotations.models import FreelancerProfile, Modality, User
from annotations.selectors.work import reputation_of
from annotations.services.accounts import ProfileFields, freelancer_profile_get, freelancer_profile_update
from annotations.services.tokens import allowed_scopes


class OrganizationRefSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class UserOutputSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=["admin", "reviewer", "freelancer"])
    display_name = serializers.CharField(source="shown_name")
    organization = OrganizationRefSerializer(allow_null=True)
    is_staff = serializers.BooleanField(help_text="A platform operator: sees payouts and keeps platform webhooks.")
    allowed_token_scopes = serializers.SerializerMethodField()

    def get_allowed_token_scopes(self, user: User) -> list[str]:
        return allowed_scopes(user)


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


class MeView(APIView):
    token_scopes = {"GET": ANY_SCOPE}

    @extend_schema(summary="The current user", responses=UserOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(actor(request)).data)


class ProfileOutputSerializer(serializers.Serializer[FreelancerProfile]):
    display_name = serializers.CharField(source="user.display_name")
    skills = serializers.ListField(child=serializers.CharField(), help_text="Declared by the freelancer.")
    modalities = serializers.ListField(child=serializers.ChoiceField(choices=Modality.choices))
    country = serializers.CharField()
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
        child=serializers.ChoiceField(choices=Modality.choices), max_length=4, required=False
    )
    country = serializers.CharField(max_length=2, allow_blank=True, required=False)
    payout_currency = serializers.CharField(max_length=3, required=False)
    training_terms = serializers.DictField(
        child=serializers.CharField(max_length=20), required=False, help_text="See the output's training_terms."
    )


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
