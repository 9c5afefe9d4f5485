"""The one error shape: {"error": {"status", "code", "message", "fields"}} for every 4xx (and 5xx under /api/)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from annotations.domain.errors import ApplicationError, Throttled


def error_body(*, status: int, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as {"field.sub": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(detail, list):
        if all(not isinstance(v, (dict, list)) for v in detail):
            out[prefix or "non_field_errors"] = [str(v) for v in detail]
        else:
            for index, value in enumerate(detail):
                out.update(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        answer = Response(
            error_body(status=exc.status, code=exc.code, message=exc.message, fields=exc.fields),
            status=exc.status,
        )
        if isinstance(exc, Throttled):
            answer["Retry-After"] = str(exc.retry_after)
        return answer
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(gettext("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    handled = drf_exception_handler(exc, context)
    if handled is None or not isinstance(exc, exceptions.APIException):
        return handled  # an unexpected error: Django's handler500 answers in the same shape
    response = handled
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = gettext("Some fields are invalid.")
        if list(fields) == ["non_field_errors"]:
            message = fields.pop("non_field_errors")[0]
        response.data = error_body(status=response.status_code, code="invalid", message=message, fields=fields)
        return response
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else exc.default_code
    response.data = error_body(status=response.status_code, code=str(code), message=str(exc.detail))
    return response


def _json_error(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(status=status_code, code=code, message=message), status=status_code)


@csrf_exempt  # it changes nothing, and must answer 404 in the error shape, not the CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under /api/ that matches no route."""
    return _json_error(status.HTTP_404_NOT_FOUND, "not_found", gettext("No such endpoint."))


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _json_error(status.HTTP_404_NOT_FOUND, "not_found", gettext("Not found."))


def handler500(request: HttpRequest) -> HttpResponse:
    return _json_error(
        status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", gettext("Something went wrong on our side.")
    )


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return _json_error(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            "too_large",
            gettext(
                "The request body is larger than %(limit)s bytes; files go to storage through an upload ticket, "
                "not in the body."
            )
            % {"limit": f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE:,}"},
        )
    return _json_error(status.HTTP_400_BAD_REQUEST, "bad_request", gettext("Bad request."))


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _json_error(status.HTTP_403_FORBIDDEN, "permission_denied", gettext("You may not do this."))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a refused session write answers in the error shape, like every other 403."""
    return _json_error(
        status.HTTP_403_FORBIDDEN,
        "csrf_failed",
        gettext("CSRF check failed (%(reason)s): send the csrftoken cookie's value as X-CSRFToken.")
        % {"reason": reason or gettext("no reason given")},
    )
