"""Reviewers' queue and decisions, disputes, and the freelancer's earnings."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import (
    API_PERMISSIONS,
    AdministersContribution,
    IsStaffRole,
    OwnsContribution,
    ReviewsContribution,
    actor,
)
from annotations.api.serializers import MoneySerializer, StrictInputSerializer, money_out
from annotations.api.work import ContributionOutputSerializer, ContributionSummarySerializer, contribution_response
from annotations.domain.errors import PermissionDenied
from annotations.domain.money import Money
from annotations.models import Contribution, Posting, ReviewDecision, Role
from annotations.selectors.ledger import (
    earnings_history,
    earnings_statement_rows,
    earnings_summary,
    review_flags,
    review_queue,
)
from annotations.services.review import contribution_bonus, contribution_dispute, dispute_settle, review_decide


class QueueItemSerializer(ContributionSummarySerializer):
    freelancer = serializers.CharField(source="freelancer.display_name")
    revisions = serializers.IntegerField()
    estimated_minutes = serializers.IntegerField(source="project.estimated_minutes")
    flags = serializers.SerializerMethodField(help_text="Hints for the reviewer; they never decide anything.")

    def get_flags(self, c: Contribution) -> list[str]:
        return review_flags(c)


class ReviewInputSerializer(StrictInputSerializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    reason = serializers.CharField(allow_blank=True, required=False, default="", max_length=10_000)
    scores = serializers.DictField(child=serializers.IntegerField(), required=False, default=dict)


class DisputeInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=10_000)


class BonusInputSerializer(StrictInputSerializer):
    amount = MoneySerializer()
    reason = serializers.CharField(max_length=250)
    idempotency_key = serializers.RegexField(r"^[A-Za-z0-9_-]{8,64}$", help_text="Any unique id: a retry pays once.")


class BonusOutputSerializer(serializers.Serializer[Any]):
    entry_id = serializers.IntegerField()
    memo = serializers.CharField()
    amount = MoneySerializer()


class SettleInputSerializer(StrictInputSerializer):
    overturn = serializers.BooleanField(help_text="true: approve and pay; false: the rejection stands.")
    note = serializers.CharField(max_length=10_000)


class ReviewQueueView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole]
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Submissions waiting for review, oldest first (admin, reviewer)",
        parameters=[OpenApiParameter("project", int, required=False)],
        responses=QueueItemSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        project = request.query_params.get("project")
        qs = review_queue(actor(request), int(project) if project and project.isdigit() else None)
        return paginated(request, self, qs, QueueItemSerializer)


class ReviewDecisionView(APIView):
    permission_classes = [*API_PERMISSIONS, ReviewsContribution]

    @extend_schema(
        summary="Approve, reject (with a reason) or ask for a revision (with feedback) (admin, reviewer)",
        description="Approval posts the earning, and a fair-pay top-up where measured time calls for one.",
        request=ReviewInputSerializer,
        responses=ContributionOutputSerializer,
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        review = review_decide(actor=actor(request), contribution_id=contribution_id, **data.validated_data)
        return contribution_response(request, review.contribution)


class DisputeView(APIView):
    permission_classes = [*API_PERMISSIONS, OwnsContribution]

    @extend_schema(
        summary="Dispute a rejection, once (the freelancer)",
        request=DisputeInputSerializer,
        responses=ContributionOutputSerializer,
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        data = DisputeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        c = contribution_dispute(actor=actor(request), contribution_id=contribution_id, **data.validated_data)
        return contribution_response(request, c)


class SettleView(APIView):
    permission_classes = [*API_PERMISSIONS, AdministersContribution]

    @extend_schema(
        summary="Settle a dispute (admin)", request=SettleInputSerializer, responses=ContributionOutputSerializer
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        data = SettleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        c = dispute_settle(actor=actor(request), contribution_id=contribution_id, **data.validated_data)
        return contribution_response(request, c)


class BonusView(APIView):
    permission_classes = [*API_PERMISSIONS, AdministersContribution]

    @extend_schema(
        summary="Pay a bonus on approved work, from the project's funding (the project's admin)",
        description="The same idempotency_key again answers 200 with the bonus already paid, and pays nothing.",
        request=BonusInputSerializer,
        responses={201: BonusOutputSerializer, 200: BonusOutputSerializer},
    )
    def post(self, request: Request, contribution_id: int) -> Response:
        data = BonusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        entry, created = contribution_bonus(
            actor=actor(request),
            contribution_id=contribution_id,
            amount=v["amount"],
            reason=v["reason"],
            key=v["idempotency_key"],
        )
        paid_to_freelancer = entry.postings.get(account__endswith=":payable")
        body = {
            "entry_id": entry.pk,
            "memo": entry.memo,
            "amount": money_out(Money(paid_to_freelancer.amount_minor, paid_to_freelancer.currency)),
        }
        return Response(body, status=201 if created else 200)


class EarningLineSerializer(serializers.Serializer[Posting]):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="entry.kind")
    memo = serializers.CharField(source="entry.memo")
    amount = serializers.SerializerMethodField()
    project = serializers.CharField(source="entry.project.title", allow_null=True, default=None)
    contribution_id = serializers.IntegerField(source="entry.contribution_id", allow_null=True)
    created_at = serializers.DateTimeField(source="entry.created_at")

    @extend_schema_field(MoneySerializer)
    def get_amount(self, p: Posting) -> dict[str, str]:
        return money_out(Money(p.amount_minor, p.currency))


def _freelancer(request: Request) -> None:
    if actor(request).role != Role.FREELANCER:
        raise PermissionDenied(gettext("Earnings are a freelancer's."))


class EarningsView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(
        summary="Your balance, paid out and pending, per currency (freelancer)",
        responses=inline_serializer(
            "Earnings",
            {
                "currencies": inline_serializer(
                    "EarningsInCurrency",
                    {
                        "currency": serializers.CharField(),
                        "balance": MoneySerializer(),
                        "paid_out": MoneySerializer(),
                        "pending": MoneySerializer(help_text="Pay of submitted work not yet reviewed."),
                    },
                    many=True,
                )
            },
        ),
    )
    def get(self, request: Request) -> Response:
        _freelancer(request)
        summary = earnings_summary(actor(request))
        rows = [
            {"currency": cur, **{k: money_out(Money(v, cur)) for k, v in values.items()}}
            for cur, values in summary.items()
        ]
        return Response({"currencies": rows})


class EarningsHistoryView(APIView):
    permission_classes = API_PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Every movement on your balance, newest first (freelancer)", responses=EarningLineSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        _freelancer(request)
        return paginated(request, self, earnings_history(actor(request)), EarningLineSerializer)


class StatementView(APIView):
    permission_classes = API_PERMISSIONS

    @extend_schema(summary="Your statement as CSV (freelancer)", responses={(200, "text/csv"): bytes})
    def get(self, request: Request) -> HttpResponse:
        _freelancer(request)
        out = io.StringIO()
        csv.writer(out).writerows(earnings_statement_rows(actor(request)))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="atelier-statement.csv"'
        return response
