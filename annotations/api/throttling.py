"""The API's general rate limit: per API token, per signed-in user, else per client address. Counted in the cache
(Redis when configured), so every web process shares the counts. A refusal is a 429 in the one error shape, with
Retry-After. Export reads count against it and, on top, against their own limit (`EXPORT_RATE_LIMIT`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from annotations.models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self) -> str:
        return str(settings.API_RATE_LIMIT)

    def allow_request(self, request: Request, view: Any) -> bool:
        # The rate is read per request (not fixed at import) and is lower for anonymous callers.
        signed_in = bool(request.user and request.user.is_authenticated)
        self.rate = settings.API_RATE_LIMIT if signed_in else settings.API_ANON_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return f"throttle:api:{ident}"


class DraftUploadThrottle(ApiRateThrottle):
    """Upload tickets per user (DRAFT_UPLOAD_RATE_LIMIT): each lets a file of up to the type's size limit into
    storage, so their number is bounded on top of the general limit."""

    scope = "draft_upload"

    def allow_request(self, request: Request, view: Any) -> bool:
        self.rate = settings.DRAFT_UPLOAD_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return SimpleRateThrottle.allow_request(self, request, view)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return f"throttle:draft-upload:{request.user.pk}"
