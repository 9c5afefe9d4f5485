"""Errors the services raise; the API maps each to its status and the one error shape."""

from __future__ import annotations


class ApplicationError(Exception):
    status: int = 400
    code: str = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.fields = fields or {}


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

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


class Gone(ApplicationError):
    """It existed, and no longer works: a used, expired, revoked or superseded link."""

    status = 410
    code = "gone"
