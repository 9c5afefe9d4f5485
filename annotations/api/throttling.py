"""The API's general rate limit: per API token, per signed-in user, else per client address. Counted in the cache
(Redis when configured), so every web process shares the counts. A refusal is a 429 in the one error shape, with
Retry-After. Export reads count against it and, on top, against their own limit (`EXPORT_RATE_LIMIT`).

Counted in fixed windows with one atomic increment per call. DRF's own throttles keep a list of every call's time
in the window and read, unpickle, append, pickle and write it back on each request: at the default 3,000 calls a
minute that is a list of thousands of floats per call, and two concurrent calls both read the old list, so one of
them goes uncounted. A window counter costs the same whatever the rate and cannot lose a count; it lets a caller
spend up to twice the rate across the boundary of two windows, which is what a fixed window trades for that."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from annotations.models import ApiToken


class WindowThrottle(BaseThrottle):
    """At most `rate()` calls per window for each `key()`, counted atomically in the cache."""

    def rate(self, request: Request) -> str:
        raise NotImplementedError

    def key(self, request: Request) -> str:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, duration = SimpleRateThrottle.parse_rate(None, self.rate(request))  # type: ignore[arg-type]
        assert limit is not None and duration is not None
        now = time.time()
        window = int(now // duration)
        key = f"{self.key(request)}:{window}"
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first call: the key is not there yet
            count = 1 if cache.add(key, 1, timeout=duration + 1) else cache.incr(key)
        self.retry_after = (window + 1) * duration - now
        return count <= limit

    def wait(self) -> float | None:
        return max(1.0, self.retry_after)


class ApiRateThrottle(WindowThrottle):
    def rate(self, request: Request) -> str:
        # Read per request (not fixed at import), and lower for anonymous callers.
        signed_in = bool(request.user and request.user.is_authenticated)
        return str(settings.API_RATE_LIMIT if signed_in else settings.API_ANON_RATE_LIMIT)

    def key(self, request: Request) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"address:{self.get_ident(request)}"
        return f"throttle:api:{ident}"


class DraftUploadThrottle(WindowThrottle):
    """Upload tickets per user (DRAFT_UPLOAD_RATE_LIMIT): each lets a file of up to the type's size limit into
    storage, so their number is bounded on top of the general limit."""

    def rate(self, request: Request) -> str:
        return str(settings.DRAFT_UPLOAD_RATE_LIMIT)

    def key(self, request: Request) -> str:
        return f"throttle:draft-upload:{request.user.pk}"
