"""Personal API tokens: create (secret shown once), revoke, authenticate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain import tokens as token_format
from annotations.domain.errors import NotFound, ValidationFailed
from annotations.models import ApiToken, User
from annotations.services.audit import audit_record

MAX_ACTIVE_TOKENS_PER_USER = 50
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class CreatedToken:
    token: ApiToken
    raw: str


def allowed_scopes(user: User) -> list[str]:
    return sorted(s.value for s in token_format.SCOPES_BY_ROLE.get(user.role, frozenset()))


def api_token_create(*, user: User, name: str, scopes: list[str], expires_in_days: int | None) -> CreatedToken:
    allowed = set(allowed_scopes(user))
    unknown = [s for s in scopes if s not in {sc.value for sc in token_format.Scope}]
    if unknown:
        raise ValidationFailed(
            gettext("Unknown scope."),
            fields={"scopes": [gettext("Unknown scope: %(unknown)s.") % {"unknown": ", ".join(unknown)}]},
        )
    refused = sorted(set(scopes) - allowed)
    if refused:
        raise ValidationFailed(
            gettext("Your role cannot grant these scopes."),
            fields={
                "scopes": [
                    gettext("Not allowed for the %(role)s role: %(refused)s.")
                    % {"role": user.role, "refused": ", ".join(refused)}
                ]
            },
        )
    if not scopes:
        raise ValidationFailed(
            gettext("Choose at least one scope."), fields={"scopes": [gettext("Choose at least one scope.")]}
        )
    if not name.strip():
        raise ValidationFailed(gettext("Name the token."), fields={"name": [gettext("This field may not be blank.")]})
    now = timezone.now()
    with transaction.atomic():
        # Lock the user row so that two concurrent creations cannot both pass the cap.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS_PER_USER:
            raise ValidationFailed(
                gettext("At most %(limit)s active tokens; revoke one first.") % {"limit": MAX_ACTIVE_TOKENS_PER_USER}
            )
        new = token_format.generate()
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=new.prefix,
            digest=new.digest,
            scopes=sorted(set(scopes)),
            expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
        )
        audit_record(actor=user, action="token.created", target=token, data={"scopes": token.scopes})
    return CreatedToken(token=token, raw=new.raw)


def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotFound(gettext("No such token."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=user, action="token.revoked", target=token)
    return token


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The active token that `raw` is, or None. Records last use at most once a minute."""
    parts = token_format.split(raw)
    if parts is None:
        return None
    prefix, secret = parts
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not token_format.secret_matches(secret, token.digest):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every active token of `user` at once (deactivation); the caller audits. Returns how many."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
