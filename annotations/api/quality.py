"""Gold items of a project: the known answers that claims mix into the stream."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.permissions import (
    API_PERMISSIONS,
    AdminForWrites,
    AdministersProjectForWrites,
    IsStaffRole,
    actor,
)
from annotations.api.serializers import StrictInputSerializer
from annotations.selectors.projects import project_visible_to
from annotations.selectors.quality import gold_items_of
from annotations.services.quality import gold_item_remove, gold_item_set


class GoldItemSerializer(serializers.Serializer[Any]):
    item_id = serializers.IntegerField()
    external_id = serializers.CharField(source="item.external_id")
    answers = serializers.JSONField(help_text="Known answers to rating and choice fields, by key.")
    source_contribution_id = serializers.IntegerField(source="source_id", allow_null=True)
    created_at = serializers.DateTimeField()
    served = serializers.IntegerField(help_text="Contributions started on this item.", default=0)
    checked = serializers.IntegerField(help_text="Submitted contributions scored against the answers.", default=0)
    mean_score = serializers.FloatField(allow_null=True, help_text="Mean share of answers matched.", default=None)


class GoldItemInputSerializer(StrictInputSerializer):
    item_id = serializers.IntegerField(required=False, help_text="The item, with `answers`.")
    answers = serializers.JSONField(required=False, help_text="{field key: known answer} for ratings and choices.")
    contribution_id = serializers.IntegerField(
        required=False, help_text="Or: an approved contribution whose rating and choice answers become the gold."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        typed = "item_id" in attrs and "answers" in attrs
        if ("contribution_id" in attrs) == typed or ("contribution_id" in attrs and len(attrs) > 1):
            raise serializers.ValidationError(gettext("Give either contribution_id, or item_id with answers."))
        return attrs


class ProjectGoldView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites, AdministersProjectForWrites]
    token_scopes = {"GET": "projects:read", "POST": "projects:write"}

    @extend_schema(
        summary="The project's gold items and how they were answered", responses=GoldItemSerializer(many=True)
    )
    def get(self, request: Request, project_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        return Response(GoldItemSerializer(gold_items_of(project), many=True).data)

    @extend_schema(
        summary="Make an item gold (known answers), or replace its answers (admin)",
        request=GoldItemInputSerializer,
        responses={201: GoldItemSerializer},
    )
    def post(self, request: Request, project_id: int) -> Response:
        body = GoldItemInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        project = project_visible_to(actor(request), project_id)
        gold = gold_item_set(
            actor=actor(request),
            project_id=project.pk,
            item_id=data.get("item_id"),
            answers=data.get("answers"),
            contribution_id=data.get("contribution_id"),
        )
        fresh = gold_items_of(project).filter(pk=gold.pk).first()
        return Response(GoldItemSerializer(fresh).data, status=status.HTTP_201_CREATED)


class ProjectGoldItemView(APIView):
    permission_classes = [*API_PERMISSIONS, IsStaffRole, AdminForWrites]
    token_scopes = {"DELETE": "projects:write"}

    @extend_schema(summary="Return a gold item to the ordinary stream (admin)", responses={204: None})
    def delete(self, request: Request, project_id: int, item_id: int) -> Response:
        project = project_visible_to(actor(request), project_id)
        gold_item_remove(actor=actor(request), project_id=project.pk, item_id=item_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
