"""Session login with an atomic attempt counter per username and per client address."""

from __future__ import annotations

import contextlib
import hashlib

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.core.cache import cache
from django.http import HttpRequest

from annotations.domain.errors import Throttled, ValidationFailed
from annotations.models import User


def _keys(username: str, client_ip: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-attempts:user:{name}", f"login-attempts:ip:{client_ip}"]


def _count_attempt(key: str) -> int:
    window = settings.LOGIN_ATTEMPT_WINDOW_SECONDS
    cache.add(key, 0, timeout=window)  # atomic: only the first attempt in a window creates the counter
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def session_login(*, request: HttpRequest, username: str, password: str, client_ip: str) -> User:
    keys = _keys(username, client_ip)
    counts = [_count_attempt(k) for k in keys]
    if max(counts) > settings.LOGIN_MAX_ATTEMPTS:
        raise Throttled(
            "Too many login attempts. Wait a few minutes and try again.",
            retry_after=settings.LOGIN_ATTEMPT_WINDOW_SECONDS,
        )
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise ValidationFailed("Wrong username or password.", code="invalid_credentials")
    login(request, user)
    # Only failures count against the limits: many people may log in from one office address.
    cache.delete(keys[0])
    with contextlib.suppress(ValueError):  # the counter expired meanwhile
        cache.decr(keys[1])
    return user


def session_logout(*, request: HttpRequest) -> None:
    logout(request)
