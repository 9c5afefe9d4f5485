"""Admin payouts (list, overview, retry, pay out now) and the payout provider's signed webhook."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, actor
from annotations.api.serializers import MoneySerializer, money_out
from annotations.domain.errors import NotFound, PermissionDenied, ValidationFailed
from annotations.domain.money import Money
from annotations.models import Payout, PayoutState, Role
from annotations.providers.payouts import webhook_signature_valid
from annotations.providers.rails import WebhookRejected, registry
from annotations.selectors.payouts import payouts_for, payouts_of, payouts_overview
from annotations.services.payout_methods import describe
from annotations.services.payouts import (
    GATHER_TASK,
    payout_event,
    payout_retry,
    payouts_gather_start,
    rail_webhook_receive,
)


def _admin(request: Request) -> None:
    if actor(request).role != Role.ADMIN:
        raise PermissionDenied(gettext("Only admins see payouts."))


def _operator(request: Request) -> None:
    """Payouts pool a freelancer's work for every organisation: only the platform's operators see them."""
    _admin(request)
    if not actor(request).is_staff:
        raise PermissionDenied(gettext("Only the platform's operators see payouts."))


class PayoutOutputSerializer(serializers.Serializer[Payout]):
    id = serializers.IntegerField()
    freelancer = serializers.CharField(source="freelancer.display_name")
    amount = serializers.SerializerMethodField()
    state = serializers.ChoiceField(choices=PayoutState.choices)
    provider = serializers.CharField(help_text="The rail it went through: sandbox, paypal, stripe (or http).")
    fee = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    provider_ref = serializers.CharField()
    failure_reason = serializers.CharField()
    attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(MoneySerializer)
    def get_amount(self, p: Payout) -> dict[str, str]:
        return money_out(Money(p.amount_minor, p.currency))

    @extend_schema_field(MoneySerializer)
    def get_fee(self, p: Payout) -> dict[str, str]:
        """The rail's fee, taken from the balance moved (the amount is what the rail sends)."""
        return money_out(Money(p.fee_minor, p.currency))

    @extend_schema_field(serializers.CharField())
    def get_method(self, p: Payout) -> str:
        """Where it went, as the freelancer named it (empty for payouts made before payout methods)."""
        return describe(p.method) if p.method is not None else ""


class PayoutListView(APIView):
    permission_classes = API_PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Payouts, newest first (admin)",
        parameters=[
            OpenApiParameter("state", enum=PayoutState.values, required=False),
            OpenApiParameter("rail", enum=["sandbox", "paypal", "stripe", "http"], required=False),
        ],
        responses=PayoutOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        _operator(request)
        params = request.query_params
        payouts = payouts_for(actor(request), params.get("state"), params.get("rail") or None)
        return paginated(request, self, payouts, PayoutOutputSerializer)


class MyPayoutListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Your payouts, newest first, with the rail's reference", responses=PayoutOutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        user = actor(request)
        if user.role != Role.FREELANCER:
            raise PermissionDenied(gettext("Only freelancers are paid out."))
        return paginated(request, self, payouts_of(user), PayoutOutputSerializer)


class PayoutOverviewView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Each of your projects' spend (admin); payouts by state (platform operators)",
        responses=inline_serializer(
            "PayoutOverview",
            {
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "amounts": serializers.DictField(child=serializers.DictField(child=serializers.IntegerField())),
                "spend": inline_serializer(
                    "ProjectSpend",
                    {
                        "project_id": serializers.IntegerField(),
                        "title": serializers.CharField(),
                        "currency": serializers.CharField(),
                        "spent_minor": serializers.IntegerField(),
                    },
                    many=True,
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        _admin(request)
        return Response(payouts_overview(actor(request)))


class PayoutRetryView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Pay a failed payout's amount again, under a new key (admin)",
        request=None,
        responses={201: PayoutOutputSerializer},
    )
    def post(self, request: Request, payout_id: int) -> Response:
        _operator(request)
        again = payout_retry(actor=actor(request), payout_id=payout_id)
        if again is None:
            raise ValidationFailed(
                gettext("Nothing to pay: the balance is empty or a payout is already on its way."),
                code="nothing_to_pay",
            )
        return Response(PayoutOutputSerializer(again).data, status=status.HTTP_201_CREATED)


class PayoutGatherView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Pay out now: start a payout round at once (platform operators)",
        description="Runs the hourly gather now. Safe to press twice or from two tabs: each balance is paid once.",
        request=None,
        responses={
            202: inline_serializer(
                "PayoutRoundStarted",
                {
                    "round": serializers.CharField(help_text="The round's id, as in its audit event."),
                    "task": serializers.CharField(),
                    "balances_due": serializers.IntegerField(help_text="Balances the round pays out."),
                    "due": inline_serializer(
                        "PayoutDue",
                        {"balances": serializers.IntegerField(), "total": MoneySerializer()},
                        many=True,
                    ),
                },
            )
        },
    )
    def post(self, request: Request) -> Response:
        _operator(request)
        run, due = payouts_gather_start(actor=actor(request))
        body = {
            "round": run.pk,
            "task": GATHER_TASK,
            "balances_due": sum(d["balances"] for d in due),
            "due": [
                {"balances": d["balances"], "total": money_out(Money(d["total_minor"], d["currency"]))} for d in due
            ],
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)


class PayoutWebhookView(APIView):
    """The provider tells us a transfer's outcome. Authenticated by an HMAC-SHA256 signature of the body."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Payout provider webhook (signed with X-Atelier-Signature)",
        request=inline_serializer(
            "PayoutEvent",
            {
                "key": serializers.CharField(),
                "status": serializers.CharField(),
                "reason": serializers.CharField(required=False),
            },
        ),
        responses={204: None},
    )
    def post(self, request: Request) -> Response:
        body = request.body
        if not webhook_signature_valid(body, request.headers.get("X-Atelier-Signature", "")):
            raise NotFound(gettext("No such endpoint."))
        try:
            event: dict[str, Any] = json.loads(body)
        except ValueError:
            raise ValidationFailed(gettext("The event is not JSON.")) from None
        if (
            not isinstance(event, dict)
            or not isinstance(event.get("key"), str)
            or event.get("status") not in ("confirmed", "failed")
        ):
            raise ValidationFailed(gettext("The event needs a key and a status of confirmed or failed."))
        if payout_event(key=event["key"], status=event["status"], reason=str(event.get("reason", ""))) is None:
            raise NotFound(gettext("No such payout."))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RailWebhookView(APIView):
    """PayPal's and Stripe's webhooks. Each is verified as its rail documents (PayPal's verification call, Stripe's
    signature through the SDK) and processed once per event id; anything unverified is 400 and changes nothing."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    rail = ""

    @extend_schema(summary="A payout rail's webhook (PayPal or Stripe)", request=None, responses={200: None})
    def post(self, request: Request) -> Response:
        try:
            if self.rail == "paypal":
                event = registry.paypal().parse_webhook(dict(request.headers.items()), request.body)
            else:
                event = registry.stripe().parse_webhook(request.body, request.headers.get("Stripe-Signature", ""))
        except WebhookRejected as rejected:
            raise ValidationFailed(
                gettext("The webhook is not verified: %(rejected)s") % {"rejected": rejected}, code="invalid_signature"
            ) from None
        new = rail_webhook_receive(rail=self.rail, event=event)
        return Response({"received": True, "duplicate": not new})
