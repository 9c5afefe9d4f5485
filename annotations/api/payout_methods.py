"""A freelancer's payout methods, and the operators' queue of methods held for a name check. Browser sessions
only (API tokens cannot change where money goes): no view here names token scopes."""

from __future__ import annotations

import time
from typing import Any

from allauth.account import app_settings as allauth_account
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.models import Authenticator
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.errors import PermissionDenied
from annotations.models import PayoutMethod, PayoutMethodReview, PayoutMethodStatus, PayoutRail, Role, User
from annotations.selectors.payout_methods import (
    held_payout_methods,
    payable_reason,
    payout_method_of,
    payout_methods_of,
    rail_options,
)
from annotations.services.payout_methods import (
    payout_method_add,
    payout_method_make_default,
    payout_method_onboarding_link,
    payout_method_refresh,
    payout_method_release,
    payout_method_remove,
    payout_method_resend_code,
    payout_method_verify,
)


def recently_confirmed(request: Request) -> bool:
    """This session logged in or confirmed the password within allauth's reauthentication window, and, for someone
    with an authenticator app, gave a code from it within the window too."""
    user = actor(request)
    if not hasattr(request._request, "session"):
        return False
    window = allauth_account.REAUTHENTICATION_TIMEOUT
    now = time.time()
    recent = [r for r in get_authentication_records(request._request, user) if now - float(r.get("at", 0)) < window]
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return any(r.get("method") == "mfa" for r in recent)
    return bool(recent)


class PayoutMethodOutputSerializer(serializers.Serializer[PayoutMethod]):
    id = serializers.IntegerField()
    rail = serializers.ChoiceField(choices=PayoutRail.choices)
    rail_label = serializers.CharField(source="get_rail_display")
    receiver = serializers.CharField(help_text="The PayPal address, or the Stripe account (acct_…).")
    account_name = serializers.CharField()
    country = serializers.CharField()
    currency = serializers.CharField()
    status = serializers.ChoiceField(choices=PayoutMethodStatus.choices)
    review = serializers.ChoiceField(choices=PayoutMethodReview.choices)
    is_default = serializers.BooleanField()
    verified_at = serializers.DateTimeField(allow_null=True)
    hold_until = serializers.DateTimeField()
    payable = serializers.SerializerMethodField()
    blocked_reason = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_payable(self, m: PayoutMethod) -> bool:
        return not payable_reason(m)

    def get_blocked_reason(self, m: PayoutMethod) -> str:
        return payable_reason(m)


class HeldPayoutMethodOutputSerializer(PayoutMethodOutputSerializer):
    freelancer = serializers.CharField(source="freelancer.shown_name")
    freelancer_id = serializers.IntegerField()


class PayoutMethodInputSerializer(StrictInputSerializer):
    rail = serializers.ChoiceField(choices=PayoutRail.choices)
    receiver = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    account_name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2)
    currency = serializers.CharField(max_length=3)


class CodeInputSerializer(StrictInputSerializer):
    code = serializers.CharField(max_length=12)


class PayoutRailOptionSerializer(serializers.Serializer[Any]):
    rail = serializers.ChoiceField(choices=PayoutRail.choices)
    name = serializers.CharField(source="label")
    description = serializers.CharField()
    verification = serializers.ChoiceField(choices=["code", "onboarding"])
    minimum_minor = serializers.IntegerField(help_text="The smallest payout, in minor units, unless `minimums` says.")
    minimums = serializers.DictField(child=serializers.IntegerField(), help_text="Per currency, where it differs.")
    fee = serializers.CharField(
        help_text='What the rail charges per payout, taken from it ("No fee", "2% (at most 20.00)"), in the language '
        "of the request."
    )
    fee_free = serializers.BooleanField(help_text="True when the rail charges nothing per payout.")
    currencies = serializers.ListField(child=serializers.CharField())


def _freelancer(request: Request) -> User:
    user = actor(request)
    if user.role != Role.FREELANCER:
        raise PermissionDenied(gettext("Only freelancers have payout methods."))
    return user


def _out(method: PayoutMethod, code: int = status.HTTP_200_OK) -> Response:
    return Response(PayoutMethodOutputSerializer(method).data, status=code)


class PayoutMethodListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(summary="Your payout methods, the default first", responses=PayoutMethodOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, payout_methods_of(_freelancer(request)), PayoutMethodOutputSerializer)

    @extend_schema(
        summary="Add a payout method (needs a recent login; a code is mailed to a PayPal address)",
        request=PayoutMethodInputSerializer,
        responses={201: PayoutMethodOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        user = _freelancer(request)
        data = PayoutMethodInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        method = payout_method_add(actor=user, confirmed=recently_confirmed(request), **data.validated_data)
        return _out(method, status.HTTP_201_CREATED)


class PayoutRailOptionsView(APIView):
    @extend_schema(summary="The payout rails offered here", responses=PayoutRailOptionSerializer(many=True))
    def get(self, request: Request) -> Response:
        _freelancer(request)
        return Response(PayoutRailOptionSerializer(rail_options(), many=True).data)


class PayoutMethodDetailView(APIView):
    @extend_schema(
        summary="One of your payout methods (a Stripe one is read from Stripe again)",
        responses=PayoutMethodOutputSerializer,
    )
    def get(self, request: Request, method_id: int) -> Response:
        method = payout_method_of(_freelancer(request), method_id)
        return _out(payout_method_refresh(method=method))

    @extend_schema(summary="Remove a payout method (needs a recent login)", responses={204: None})
    def delete(self, request: Request, method_id: int) -> Response:
        user = _freelancer(request)
        payout_method_of(user, method_id)  # someone else's is 404 before anything else is said
        payout_method_remove(actor=user, method_id=method_id, confirmed=recently_confirmed(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class PayoutMethodVerifyView(APIView):
    @extend_schema(
        summary="Verify a PayPal address with the code mailed to it",
        request=CodeInputSerializer,
        responses=PayoutMethodOutputSerializer,
    )
    def post(self, request: Request, method_id: int) -> Response:
        user = _freelancer(request)
        payout_method_of(user, method_id)
        data = CodeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _out(payout_method_verify(actor=user, method_id=method_id, code=data.validated_data["code"]))


class PayoutMethodResendView(APIView):
    @extend_schema(summary="Mail a new verification code", request=None, responses=PayoutMethodOutputSerializer)
    def post(self, request: Request, method_id: int) -> Response:
        return _out(payout_method_resend_code(actor=_freelancer(request), method_id=method_id))


class PayoutMethodDefaultView(APIView):
    @extend_schema(
        summary="Be paid to this method from now on (needs a recent login; held for a while)",
        request=None,
        responses=PayoutMethodOutputSerializer,
    )
    def post(self, request: Request, method_id: int) -> Response:
        user = _freelancer(request)
        payout_method_of(user, method_id)
        return _out(payout_method_make_default(actor=user, method_id=method_id, confirmed=recently_confirmed(request)))


class PayoutMethodOnboardingView(APIView):
    @extend_schema(
        summary="A link to Stripe's onboarding for this method's account",
        request=None,
        responses=inline_serializer("PayoutMethodOnboarding", {"url": serializers.URLField()}),
    )
    def post(self, request: Request, method_id: int) -> Response:
        return Response({"url": payout_method_onboarding_link(actor=_freelancer(request), method_id=method_id)})


class HeldPayoutMethodListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Payout methods held because the name differs from the profile's (platform operators)",
        responses=HeldPayoutMethodOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        if user.role != Role.ADMIN or not user.is_staff:
            raise PermissionDenied(gettext("Only the platform's operators see held payout methods."))
        return paginated(request, self, held_payout_methods(), HeldPayoutMethodOutputSerializer)


class PayoutMethodReleaseView(APIView):
    @extend_schema(
        summary="Release a held payout method (platform operators)",
        request=None,
        responses=HeldPayoutMethodOutputSerializer,
    )
    def post(self, request: Request, method_id: int) -> Response:
        method = payout_method_release(actor=actor(request), method_id=method_id)
        body: dict[str, Any] = dict(HeldPayoutMethodOutputSerializer(method).data)
        return Response(body)
