"""Webhook endpoints, their delivery log, test pings and manual redelivery (admins, in the console)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.webhooks import EVENTS
from annotations.models import DeliveryState, Role, User, WebhookDelivery, WebhookEndpoint
from annotations.services.webhooks import (
    endpoint_create,
    endpoint_delete,
    endpoint_visible,
    webhook_redeliver,
    webhook_test,
)


class IsAdmin(BasePermission):
    message = gettext_lazy("Only admins manage webhooks.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.ADMIN)


PERMISSIONS: list[type[BasePermission]] = [*API_PERMISSIONS, IsAdmin]


def endpoints_of(user: User) -> QuerySet[WebhookEndpoint]:
    mine = Q(organization_id=user.organization_id) if user.organization_id else Q(pk__in=[])
    if user.is_staff:
        mine |= Q(organization__isnull=True)
    return (
        WebhookEndpoint.objects.filter(mine)
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
            failed=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
            pending=Count("deliveries", filter=Q(deliveries__state=DeliveryState.PENDING)),
        )
        .order_by("-created_at", "-id")
    )


class WebhookEndpointSerializer(serializers.Serializer[WebhookEndpoint]):
    id = serializers.IntegerField()
    url = serializers.CharField()
    description = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    active = serializers.BooleanField()
    platform = serializers.SerializerMethodField(help_text="A platform endpoint (payout events).")
    delivered = serializers.IntegerField(default=0)
    failed = serializers.IntegerField(default=0)
    pending = serializers.IntegerField(default=0)
    created_at = serializers.DateTimeField()

    def get_platform(self, e: WebhookEndpoint) -> bool:
        return e.organization_id is None


class CreatedWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(help_text="Verify each body's Atelier-Signature with it. Shown this once.")


class WebhookEndpointInputSerializer(StrictInputSerializer):
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=EVENTS), min_length=1)
    description = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    platform = serializers.BooleanField(
        required=False, default=False, help_text="Platform operators: receive payout events."
    )


class WebhookDeliverySerializer(serializers.Serializer[WebhookDelivery]):
    id = serializers.IntegerField()
    event = serializers.CharField()
    event_id = serializers.UUIDField()
    state = serializers.ChoiceField(choices=DeliveryState.choices)
    attempts = serializers.IntegerField()
    last_status = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    payload = serializers.JSONField()


class EndpointListView(APIView):
    permission_classes = PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(summary="Webhook endpoints (admin)", responses=WebhookEndpointSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, endpoints_of(actor(request)), WebhookEndpointSerializer)

    @extend_schema(
        summary="Add a webhook endpoint (admin); private and metadata addresses are refused",
        request=WebhookEndpointInputSerializer,
        responses={201: CreatedWebhookEndpointSerializer},
    )
    def post(self, request: Request) -> Response:
        body = WebhookEndpointInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        endpoint = endpoint_create(actor=actor(request), **body.validated_data)
        fresh = endpoints_of(actor(request)).get(pk=endpoint.pk)
        fresh.secret = endpoint.secret
        return Response(CreatedWebhookEndpointSerializer(fresh).data, status=status.HTTP_201_CREATED)


class EndpointDetailView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(summary="Remove a webhook endpoint and its log (admin)", responses={204: None})
    def delete(self, request: Request, endpoint_id: int) -> Response:
        endpoint_delete(actor=actor(request), endpoint_id=endpoint_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EndpointTestView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        summary="Send a ping event to the endpoint", request=None, responses={202: WebhookDeliverySerializer}
    )
    def post(self, request: Request, endpoint_id: int) -> Response:
        delivery = webhook_test(actor=actor(request), endpoint_id=endpoint_id)
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class DeliveryListView(APIView):
    permission_classes = PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(summary="The endpoint's delivery log, newest first", responses=WebhookDeliverySerializer(many=True))
    def get(self, request: Request, endpoint_id: int) -> Response:
        endpoint = endpoint_visible(actor(request), endpoint_id)
        return paginated(request, self, endpoint.deliveries.order_by("-created_at", "-id"), WebhookDeliverySerializer)


class RedeliverView(APIView):
    permission_classes = PERMISSIONS

    @extend_schema(
        summary="Send a delivery again, with the same id", request=None, responses={202: WebhookDeliverySerializer}
    )
    def post(self, request: Request, delivery_id: int) -> Response:
        delivery = webhook_redeliver(actor=actor(request), delivery_id=delivery_id)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
