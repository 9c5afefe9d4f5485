"""Errors the services raise; the API maps each to its status and the one error shape.

`code` is stable English for programs; `message` and the per-field messages are for people, translated with
gettext where they are raised. A lazy message (a module-level constant) is rendered when the error is made, in the
language active then: the request's inside a request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ApplicationError(Exception):
    status: int = 400
    code: str = "invalid"

    def __init__(
        self,
        message: StrOrPromise,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[StrOrPromise]] | None = None,
    ):
        self.message = str(message)
        super().__init__(self.message)
        if code is not None:
            self.code = code
        self.fields: dict[str, list[str]] = {
            name: [str(m) for m in messages] for name, messages in (fields or {}).items()
        }


class ValidationFailed(ApplicationError):
    status = 400
    code = "invalid"


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"


class NotFound(ApplicationError):
    status = 404
    code = "not_found"


class Conflict(ApplicationError):
    status = 409
    code = "conflict"


class Throttled(ApplicationError):
    status = 429
    code = "throttled"

    def __init__(self, message: StrOrPromise, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Gone(ApplicationError):
    """It existed, and no longer works: a used, expired, revoked or superseded link."""

    status = 410
    code = "gone"
