"""Personal API token format: `atl_<prefix>_<secret>`; the prefix finds the row, the secret's sha256 checks it."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

TOKEN_MARK = "atl"


class Scope(StrEnum):
    PROJECTS_READ = "projects:read"
    PROJECTS_WRITE = "projects:write"
    EXPORT_READ = "export:read"


# The scopes as the API schema names them: one enum wherever a scope appears (settings.ENUM_NAME_OVERRIDES).
SCOPE_VALUES = [s.value for s in Scope]


SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    Scope.PROJECTS_READ: "Read projects and their items.",
    Scope.PROJECTS_WRITE: "Create and change projects.",
    Scope.EXPORT_READ: "Read dataset versions and pull exports.",
}

SCOPES_BY_ROLE: dict[str, frozenset[Scope]] = {
    "admin": frozenset(Scope),
    "reviewer": frozenset({Scope.PROJECTS_READ, Scope.EXPORT_READ}),
    "freelancer": frozenset({Scope.PROJECTS_READ}),
}


@dataclass(frozen=True, slots=True)
class NewToken:
    raw: str
    prefix: str
    digest: str


def digest_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def generate() -> NewToken:
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return NewToken(raw=f"{TOKEN_MARK}_{prefix}_{secret}", prefix=prefix, digest=digest_secret(secret))


def split(raw: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(digest_secret(secret), digest)
