"""The organization's audit log (admins): every admin action, who did it, to what, and what changed."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, actor
from annotations.api.projects import AuditActorSerializer
from annotations.domain.errors import ValidationFailed
from annotations.models import AuditEvent
from annotations.selectors.audit import KINDS, audit_log, audit_target_labels


class AuditEventSerializer(serializers.Serializer[AuditEvent]):
    id = serializers.IntegerField()
    action = serializers.CharField(help_text="e.g. project.publish, contribution.bonus, token.revoked")
    actor = AuditActorSerializer(allow_null=True, help_text="Null for what the platform did by itself.")
    target_type = serializers.CharField(help_text="project, dataset, contribution, webhookendpoint, apitoken, ...")
    target_id = serializers.CharField()
    target_label = serializers.SerializerMethodField(help_text="The object's name today; null once it is deleted.")
    details = serializers.JSONField(source="data", help_text="What changed: fields, counts, amounts, ids.")
    created_at = serializers.DateTimeField()

    def get_target_label(self, e: AuditEvent) -> str | None:
        labels: dict[tuple[str, str], str] = self.context["labels"]
        return labels.get((e.target_type, e.target_id))


class AuditLogView(APIView):
    permission_classes = API_PERMISSIONS
    pagination_class = PageNumberPagination

    @extend_schema(
        summary="The organization's audit log, newest first (admin)",
        parameters=[
            OpenApiParameter("kind", enum=list(KINDS), required=False, description="One family of actions."),
            OpenApiParameter("actor", int, required=False, description="One person's actions (a user id)."),
        ],
        responses=AuditEventSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "")
        if kind and kind not in KINDS:
            raise ValidationFailed(
                gettext("Unknown kind of action."),
                fields={"kind": [gettext("One of %(kinds)s.") % {"kinds": ", ".join(KINDS)}]},
            )
        by_raw = request.query_params.get("actor", "")
        if by_raw and not by_raw.isdigit():
            raise ValidationFailed(gettext("actor is a user id."), fields={"actor": [gettext("A whole number.")]})
        events = audit_log(actor(request), kind=kind, by=int(by_raw) if by_raw else None)
        return paginated(
            request, self, events, AuditEventSerializer, context=lambda page: {"labels": audit_target_labels(page)}
        )
