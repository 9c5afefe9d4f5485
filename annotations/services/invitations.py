"""Invitations: invite, resend, revoke, accept. The only code that changes Invitation rows.

A link is `SITE_URL/invite/<token>`, the token `django.core.signing` of {"i": invitation id, "n": nonce} under its
own salt. Only the nonce's sha256 is stored: a resend stores a new one (the old link stops working), acceptance and
revocation end the invitation. The id inside a token is signed, so a token only ever opens its own invitation, and
acceptance joins that invitation's organisation and nothing else."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain.errors import Conflict, Gone, NotFound, PermissionDenied, Throttled, ValidationFailed
from annotations.domain.languages import DEFAULT as DEFAULT_LANGUAGE
from annotations.models import Invitation, InvitationRole, Organization, Role, User
from annotations.services.audit import audit_record
from annotations.services.mail import mail_send

SALT = "atelier.invitation.v1"
RESEND_INTERVAL = timedelta(seconds=60)
MAX_SENDS = 5


@dataclass(frozen=True, slots=True)
class SentInvitation:
    invitation: Invitation
    token: str


def _hash(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _new_nonce() -> tuple[str, str]:
    nonce = secrets.token_urlsafe(24)
    return nonce, _hash(nonce)


def invitation_token(invitation_id: int, nonce: str) -> str:
    return signing.dumps({"i": invitation_id, "n": nonce}, salt=SALT, compress=False)


def invitation_link(token: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/invite/{token}"


def _expiry(now: Any) -> Any:
    return now + timedelta(days=settings.INVITATION_DAYS)


def _normalise_email(email: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except DjangoValidationError:
        raise ValidationFailed(
            gettext("Enter a valid email address."), fields={"email": [gettext("Enter a valid email address.")]}
        ) from None
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


def _send(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    mail_send(
        to=invitation.email,
        template="invitation",
        context={
            "organization": invitation.organization.name,
            "role": invitation.get_role_display(),
            "inviter": inviter.shown_name if inviter else invitation.organization.name,
            "link": invitation_link(token),
            "expires_at": invitation.expires_at,
            "days": settings.INVITATION_DAYS,
        },
        key=f"invitation:{invitation.pk}:{invitation.sent_count}",
    )


def _admin_of(actor: User) -> Organization:
    if actor.role != Role.ADMIN or actor.organization is None:
        raise PermissionDenied(gettext("Only admins may do this."))
    return actor.organization


def invitation_create(*, actor: User, email: str, role: str) -> SentInvitation:
    org = _admin_of(actor)
    email = _normalise_email(email)
    if role not in InvitationRole.values:
        raise ValidationFailed(gettext("Unknown role."), fields={"role": [gettext("One of reviewer, admin.")]})
    if User.objects.filter(organization=org, email__iexact=email, is_active=True).exists():
        raise Conflict(
            gettext("%(email)s is already a member of %(name)s.") % {"email": email, "name": org.name},
            code="already_member",
        )
    now = timezone.now()
    nonce, digest = _new_nonce()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organization=org,
                email=email,
                role=role,
                invited_by=actor,
                expires_at=_expiry(now),
                nonce_hash=digest,
                last_sent_at=now,
            )
            token = invitation_token(invitation.pk, nonce)
            audit_record(
                actor=actor, action="invitation.created", target=invitation, data={"email": email, "role": role}
            )
            _send(invitation, token)
    except IntegrityError:
        raise Conflict(
            gettext("%(email)s already has a pending invitation: resend it or revoke it first.") % {"email": email},
            code="already_invited",
        ) from None
    return SentInvitation(invitation=invitation, token=token)


def _locked_of_org(actor: User, invitation_id: int) -> Invitation:
    org = _admin_of(actor)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invited_by")
        .filter(pk=invitation_id, organization=org)
        .first()
    )
    if invitation is None:
        raise NotFound(gettext("No such invitation."))
    return invitation


def _require_pending(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise Conflict(gettext("This invitation was accepted already."), code="invitation_used")
    if invitation.revoked_at is not None:
        raise Conflict(gettext("This invitation was revoked."), code="invitation_revoked")


def invitation_resend(*, actor: User, invitation_id: int) -> SentInvitation:
    """A new link (the old one stops working) and a new expiry; at most MAX_SENDS, RESEND_INTERVAL apart."""
    with transaction.atomic():
        invitation = _locked_of_org(actor, invitation_id)
        _require_pending(invitation)
        now = timezone.now()
        wait = invitation.last_sent_at + RESEND_INTERVAL - now
        if wait > timedelta(0):
            raise Throttled(
                gettext("Sent %(seconds)s seconds ago at most: wait before sending it again.")
                % {"seconds": int(RESEND_INTERVAL.total_seconds())},
                retry_after=max(1, int(wait.total_seconds()) + (1 if wait.microseconds else 0)),
            )
        if invitation.sent_count >= MAX_SENDS:
            raise Conflict(
                gettext("Sent %(max_sends)s times already: revoke it and invite the address again if it is right.")
                % {"max_sends": MAX_SENDS},
                code="resend_limit",
            )
        nonce, invitation.nonce_hash = _new_nonce()
        invitation.sent_count += 1
        invitation.last_sent_at = now
        invitation.expires_at = _expiry(now)
        invitation.invited_by = invitation.invited_by or actor
        invitation.save(update_fields=["nonce_hash", "sent_count", "last_sent_at", "expires_at", "invited_by"])
        token = invitation_token(invitation.pk, nonce)
        audit_record(
            actor=actor, action="invitation.resent", target=invitation, data={"sent_count": invitation.sent_count}
        )
        _send(invitation, token)
    return SentInvitation(invitation=invitation, token=token)


def invitation_revoke(*, actor: User, invitation_id: int) -> Invitation:
    with transaction.atomic():
        invitation = _locked_of_org(actor, invitation_id)
        _require_pending(invitation)
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="invitation.revoked", target=invitation, data={"email": invitation.email})
    return invitation


# --- The link ----------------------------------------------------------------------------------------------------


def _unsign(token: str) -> tuple[int, str]:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise NotFound(gettext("No such invitation.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int) or not isinstance(payload.get("n"), str):
        raise NotFound(gettext("No such invitation."))
    return payload["i"], payload["n"]


def _check_link(invitation: Invitation, nonce: str, now: Any) -> None:
    """410 for a link that was real but no longer works, in the order a person can act on."""
    if invitation.accepted_at is not None:
        raise Gone(gettext("This invitation was accepted already: sign in instead."), code="invitation_used")
    if invitation.revoked_at is not None:
        raise Gone(gettext("This invitation was withdrawn. Ask the person who invited you."), code="invitation_revoked")
    if not hmac.compare_digest(_hash(nonce), invitation.nonce_hash):
        raise Gone(
            gettext("A newer invitation was sent to this address: use the link in the latest mail."),
            code="invitation_superseded",
        )
    if invitation.expires_at <= now:
        raise Gone(
            gettext("This invitation has expired. Ask the person who invited you to send it again."),
            code="invitation_expired",
        )


def _account_for(email: str) -> User | None:
    address = EmailAddress.objects.select_related("user").filter(email__iexact=email).order_by("-verified").first()
    if address is not None:
        return User.objects.filter(pk=address.user_id).first()
    return User.objects.filter(email__iexact=email).order_by("pk").first()


def _mode(invitation: Invitation, account: User | None) -> str:
    """sign_up: a display name and a password make (or re-open) the account; sign_in: accept signed in as it."""
    if account is None or (not account.is_active and account.organization_id == invitation.organization_id):
        return "sign_up"
    return "sign_in"


@dataclass(frozen=True, slots=True)
class InvitationPreview:
    invitation: Invitation
    account_exists: bool
    mode: str


def invitation_preview(*, token: str) -> InvitationPreview:
    invitation_id, nonce = _unsign(token)
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(gettext("No such invitation."))
    _check_link(invitation, nonce, timezone.now())
    account = _account_for(invitation.email)
    return InvitationPreview(invitation=invitation, account_exists=account is not None, mode=_mode(invitation, account))


def _set_verified_email(user: User, email: str) -> None:
    """They proved the mailbox by opening the link: that address is verified and primary."""
    EmailAddress.objects.filter(user=user).exclude(email__iexact=email).update(primary=False)
    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email.lower(), verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified, address.primary = True, True
        address.save(update_fields=["verified", "primary"])


def _validated_password(password: str, user: User) -> str:
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as exc:
        raise ValidationFailed(
            gettext("Choose a stronger password."), fields={"password": list(exc.messages)}
        ) from None
    return password


def invitation_accept(
    *, token: str, signed_in: User | None, display_name: str = "", password: str = "", language: str = DEFAULT_LANGUAGE
) -> User:
    """Join the invitation's organisation with its role. Returns the account (the view logs it in).

    No account for the address: a new one, with the display name and password given. A deactivated member of the
    same organisation: re-opened the same way, with the invitation's role. Any other account with the address must
    be signed in to accept: staff of another organisation are refused (409), and so are freelancers (409), whose
    account holds their earnings and work and who must never review it (docs/organisations.md)."""
    invitation_id, nonce = _unsign(token)
    try:
        with transaction.atomic():
            invitation = (
                Invitation.objects.select_for_update(of=("self",))
                .select_related("organization")
                .filter(pk=invitation_id)
                .first()
            )
            if invitation is None:
                raise NotFound(gettext("No such invitation."))
            now = timezone.now()
            _check_link(invitation, nonce, now)
            org = invitation.organization
            account = _account_for(invitation.email)
            if account is not None:
                account = User.objects.select_for_update().get(pk=account.pk)
            mode = _mode(invitation, account)
            if mode == "sign_in":
                assert account is not None
                user = _accept_signed_in(invitation, account, signed_in)
            else:
                if signed_in is not None and (account is None or signed_in.pk != account.pk):
                    raise Conflict(
                        gettext(
                            "You are signed in as %(shown_name)s; this invitation is for %(email)s. Sign out, then "
                            "open the link again."
                        )
                        % {"shown_name": signed_in.shown_name, "email": invitation.email},
                        code="wrong_account",
                    )
                user = _accept_new(invitation, account, display_name, password, language)
            invitation.accepted_at = now
            invitation.accepted_by = user
            invitation.save(update_fields=["accepted_at", "accepted_by"])
            _set_verified_email(user, invitation.email)
            audit_record(
                actor=user,
                action="invitation.accepted",
                target=invitation,
                organization=org,
                data={"email": invitation.email, "role": invitation.role, "user_id": user.pk},
            )
    except IntegrityError:
        # Another acceptance made the same account first (two organisations' invitations of one new address).
        raise Conflict(
            gettext("An account with this address was just created: sign in and open the link again.")
        ) from None
    return user


def _accept_signed_in(invitation: Invitation, account: User, signed_in: User | None) -> User:
    if signed_in is None:
        raise PermissionDenied(
            gettext("An account with %(email)s exists: sign in to it, then accept.") % {"email": invitation.email},
            code="sign_in_required",
        )
    if signed_in.pk != account.pk:
        raise PermissionDenied(
            gettext("This invitation is for %(email)s: sign in as that account to accept it.")
            % {"email": invitation.email},
            code="wrong_account",
        )
    if account.role == Role.FREELANCER:
        raise Conflict(
            gettext(
                "This address belongs to a freelancer account. A freelancer account keeps its work and earnings and "
                "cannot review; ask for the invitation to be sent to another address."
            ),
            code="freelancer_account",
        )
    if account.organization_id != invitation.organization_id:
        raise Conflict(
            gettext(
                "This account is staff of another organisation; an account belongs to one organisation. Ask for the "
                "invitation to be sent to another address."
            ),
            code="member_of_another_organization",
        )
    old_role = account.role
    account.role = invitation.role
    account.save(update_fields=["role"])
    if old_role != account.role:
        audit_record(
            actor=account, action="member.role_changed", target=account, data={"from": old_role, "to": account.role}
        )
    return account


def _accept_new(invitation: Invitation, account: User | None, display_name: str, password: str, language: str) -> User:
    display_name = " ".join(display_name.split())
    errors: dict[str, list[str]] = {}
    if not display_name:
        errors["display_name"] = [gettext("Tell us the name to show to your colleagues.")]
    elif len(display_name) > 120:
        errors["display_name"] = [gettext("At most 120 characters.")]
    if not password:
        errors["password"] = [gettext("Choose a password.")]
    if errors:
        raise ValidationFailed(gettext("Some fields are invalid."), fields=errors)
    if account is None:
        local = invitation.email.split("@", 1)[0]
        username = get_account_adapter().generate_unique_username([local, display_name, "member"])
        user = User(
            username=username,
            email=invitation.email.lower(),
            display_name=display_name,
            role=invitation.role,
            organization=invitation.organization,
            language=language,
        )
        user.set_password(_validated_password(password, user))
        user.save()
        return user
    # A deactivated member of the same organisation comes back with the invitation's role and a new password.
    account.display_name = display_name
    account.set_password(_validated_password(password, account))
    account.is_active = True
    old_role, account.role = account.role, invitation.role
    account.save(update_fields=["display_name", "password", "is_active", "role"])
    audit_record(
        actor=account,
        action="member.reactivated",
        target=account,
        data={"from": old_role, "to": account.role, "by": "invitation"},
    )
    return account
