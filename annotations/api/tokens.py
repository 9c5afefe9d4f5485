"""Personal API tokens. Managed only from a browser session: a token cannot mint or revoke tokens."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.tokens import Scope
from annotations.models import ApiToken
from annotations.selectors.tokens import tokens_of
from annotations.services.tokens import api_token_create, api_token_revoke


class TokenOutputSerializer(serializers.Serializer[ApiToken]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField()
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=[s.value for s in Scope]))
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)


class CreatedTokenOutputSerializer(TokenOutputSerializer):
    token = serializers.CharField(help_text="The secret. Shown this once; only its hash is kept.")


class TokenInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(
        child=serializers.ChoiceField(choices=[s.value for s in Scope]),
        min_length=1,
        max_length=len(Scope),
        error_messages={"min_length": "Choose at least one scope."},
    )
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=3650, allow_null=True, required=False, default=None
    )


class TokenListView(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(summary="Your API tokens", responses=TokenOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, tokens_of(actor(request)), TokenOutputSerializer)

    @extend_schema(
        summary="Create an API token (the secret is in this response only)",
        request=TokenInputSerializer,
        responses={201: CreatedTokenOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = TokenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        created = api_token_create(user=actor(request), **data.validated_data)
        body: dict[str, Any] = dict(TokenOutputSerializer(created.token).data)
        body["token"] = created.raw
        return Response(body, status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    @extend_schema(summary="Revoke an API token", responses={204: None})
    def delete(self, request: Request, token_id: int) -> Response:
        api_token_revoke(user=actor(request), token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
