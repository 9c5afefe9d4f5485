"""What the platform accepts: pay currencies and minimum hourly rates, media types and limits."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.permissions import ANY_SCOPE
from annotations.api.serializers import MoneySerializer, money_out
from annotations.domain import media as media_rules
from annotations.domain.output_spec import FIELD_TYPES
from annotations.selectors.pay import minimum_hourly_rate, pay_currencies


class PlatformView(APIView):
    """Public: nothing here is anyone's, and the sign-up page needs the contributor terms version."""

    permission_classes = [AllowAny]
    token_scopes = {"GET": ANY_SCOPE}

    @extend_schema(
        summary="Platform rules: minimum hourly rates, accepted media, output spec field types",
        responses=inline_serializer(
            "Platform",
            {
                "minimum_hourly_rates": MoneySerializer(many=True),
                "accepted_media_types": serializers.DictField(child=serializers.CharField()),
                "max_bytes": serializers.DictField(child=serializers.IntegerField()),
                "output_spec_field_types": serializers.ListField(child=serializers.CharField()),
                "contributor_terms_version": serializers.CharField(
                    help_text="The contributor terms a freelancer accepts at sign-up (send it as terms_version)."
                ),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        rates = [minimum_hourly_rate(c) for c in pay_currencies()]
        return Response(
            {
                "minimum_hourly_rates": [money_out(r) for r in rates if r is not None],
                "accepted_media_types": media_rules.ACCEPTED,
                "max_bytes": media_rules.MAX_BYTES,
                "output_spec_field_types": list(FIELD_TYPES),
                "contributor_terms_version": settings.CONTRIBUTOR_TERMS_VERSION,
            }
        )
