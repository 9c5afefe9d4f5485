"""A database or object storage that is briefly unavailable (a restart, a failover, a storage 5xx or timeout)
answers 503 in the one error shape, with Retry-After, instead of a 500: the caller's request changed nothing (its
transaction never committed) and the same request will work once the service is back; Django's connection health
checks notice a returned database on the next request."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from allauth.usersessions.internal import usersessionkit
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext

from annotations.api.errors import error_body
from annotations.providers.storage import TransientStorageError

log = logging.getLogger(__name__)
RETRY_AFTER_SECONDS = 5


class ServiceUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, (OperationalError, InterfaceError)):
            what = "database"
            message = gettext("The database is unavailable for a moment; nothing was changed. Try again shortly.")
        elif isinstance(exception, TransientStorageError):
            what = "storage"
            message = gettext("File storage is unavailable for a moment; nothing was changed. Try again shortly.")
        else:
            return None
        log.warning("%s unavailable during %s %s: %s", what, request.method, request.path, exception)
        body = error_body(
            status=503,
            code="unavailable",
            message=message,
        )
        return JsonResponse(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


class SessionActivityMiddleware:
    """allauth's session list (who is signed in where, last seen) without three queries on every request.

    allauth's own middleware records activity on each request (a locked read and an update of the session's row).
    This records it at most once per USERSESSIONS_ACTIVITY_SECONDS per session; the time of the last record is kept in
    the session itself, so requests in between read nothing more. The row is made at login either way."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view, and only if it looked at who is signed in: a request that never read the session (or
        # failed because the database is away) costs nothing here and keeps its own answer.
        user = getattr(request, "_cached_user", None)
        session = getattr(request, "session", None)
        if user is None or not user.is_authenticated or session is None or not session.session_key:
            return response
        last = session.get(LAST_SEEN_KEY)
        now = int(time.time())
        # No mark: a session not made by allauth's login (nothing to track; writing one would cost a query).
        if isinstance(last, int) and now - last >= settings.USERSESSIONS_ACTIVITY_SECONDS:
            try:
                usersessionkit.track_activity(request, user=user, session=session)
            except DatabaseError:
                log.warning("session activity not recorded: the database is unavailable")
                return response
            session[LAST_SEEN_KEY] = now
        return response


LAST_SEEN_KEY = "_atelier_last_seen"  # set at login by the account adapter
