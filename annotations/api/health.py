"""Liveness and dependencies: database, broker, storage."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.selectors.health import health_report

_Check = inline_serializer("HealthCheck", {"ok": serializers.BooleanField(), "detail": serializers.CharField()})


class HealthView(APIView):
    throttle_classes: list[Any] = []  # load balancers and monitors poll it from one address
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Health of the service and its dependencies (503 when one fails)",
        responses={
            (200, "application/json"): inline_serializer(
                "Health",
                {
                    "status": serializers.ChoiceField(choices=["ok", "degraded"]),
                    "checks": inline_serializer(
                        "HealthChecks", {"database": _Check, "broker": _Check, "storage": _Check}
                    ),
                },
            )
        },
    )
    def get(self, request: Request) -> Response:
        report = health_report()
        return Response(report, status=200 if report["status"] == "ok" else 503)
