"""The bell: a person's notifications, marking them read, and their notification preferences. Session only."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.errors import ValidationFailed
from annotations.domain.notifications import LABELS, Channel, NotificationKind
from annotations.models import Notification
from annotations.selectors.notifications import notifications_of, unread_count
from annotations.services.notifications import (
    notification_read,
    notifications_read_all,
    preferences_of,
    preferences_set,
)

KINDS = [k.value for k in NotificationKind]
CHANNELS = [c.value for c in Channel]


class NotificationOutputSerializer(serializers.Serializer[Notification]):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=KINDS)
    title = serializers.CharField()
    body = serializers.CharField()
    link = serializers.CharField(help_text="A path in the app; empty when there is nothing to open.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class UnreadCountOutputSerializer(serializers.Serializer[dict[str, int]]):
    unread = serializers.IntegerField()


class ReadAllOutputSerializer(serializers.Serializer[dict[str, int]]):
    marked = serializers.IntegerField(help_text="How many were unread.")


class PreferenceSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=KINDS)
    channel = serializers.ChoiceField(choices=CHANNELS)
    enabled = serializers.BooleanField()


class PreferenceOutputSerializer(serializers.Serializer[dict[str, object]]):
    kind = serializers.ChoiceField(choices=KINDS)
    label = serializers.CharField()  # type: ignore[assignment]
    channel = serializers.ChoiceField(choices=CHANNELS)
    enabled = serializers.BooleanField()


class PreferencesOutputSerializer(serializers.Serializer[dict[str, object]]):
    items = PreferenceOutputSerializer(many=True)


class PreferencesInputSerializer(StrictInputSerializer):
    items = serializers.ListField(
        child=PreferenceSerializer(), allow_empty=False, max_length=len(KINDS) * len(CHANNELS)
    )


def _preferences(items: list[dict[str, object]]) -> Response:
    rows = [{**item, "label": LABELS[NotificationKind(str(item["kind"]))]} for item in items]
    return Response(PreferencesOutputSerializer({"items": rows}).data)


class NotificationListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="Your notifications, newest first",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only the unread ones.")],
        responses=NotificationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        flag = request.query_params.get("unread", "false").lower()
        if flag not in ("true", "false", "1", "0"):
            raise ValidationFailed(gettext("unread is true or false."), fields={"unread": [gettext("true or false.")]})
        rows = notifications_of(actor(request), unread=flag in ("true", "1"))
        return paginated(request, self, rows, NotificationOutputSerializer)


class UnreadCountView(APIView):
    @extend_schema(summary="How many of your notifications are unread", responses=UnreadCountOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response({"unread": unread_count(actor(request))})


class NotificationReadView(APIView):
    @extend_schema(summary="Mark one notification read", request=None, responses=NotificationOutputSerializer)
    def post(self, request: Request, notification_id: int) -> Response:
        found = notification_read(actor=actor(request), notification_id=notification_id)
        return Response(NotificationOutputSerializer(found).data)


class ReadAllView(APIView):
    @extend_schema(summary="Mark all your notifications read", request=None, responses=ReadAllOutputSerializer)
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_read_all(actor=actor(request))})


class PreferencesView(APIView):
    @extend_schema(
        summary="Your notification preferences: every kind you receive, in-app and by email",
        responses=PreferencesOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        return _preferences(preferences_of(actor(request)))

    @extend_schema(
        summary="Change some of your notification preferences (the others stay as they are)",
        request=PreferencesInputSerializer,
        responses=PreferencesOutputSerializer,
    )
    def put(self, request: Request) -> Response:
        data = PreferencesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return _preferences(preferences_set(actor=actor(request), items=list(data.validated_data["items"])))
