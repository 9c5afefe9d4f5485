"""An organisation's members and settings: role changes, deactivation (which ends every way in at once) and
re-activation, the two-factor requirement. The only code that changes these fields of staff accounts."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Any

from allauth.usersessions.adapter import get_adapter as get_usersessions_adapter
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from annotations.domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from annotations.models import Organization, Role, User
from annotations.selectors.accounts import has_two_factor
from annotations.services.audit import audit_record
from annotations.services.tokens import api_tokens_revoke_all
from annotations.services.work import contributions_release_of

STAFF_ROLES = (Role.ADMIN, Role.REVIEWER)


def _admin_org(actor: User) -> Organization:
    if actor.role != Role.ADMIN or actor.organization_id is None:
        raise PermissionDenied(gettext("Only admins may do this."))
    org = Organization.objects.select_for_update().filter(pk=actor.organization_id).first()
    if org is None:
        raise NotFound(gettext("No such organisation."))
    return org


def _locked_member(org: Organization, user_id: int) -> User:
    """The member in the URL, locked with the organisation's active admins (in pk order), so that two admins
    demoting or deactivating each other at once cannot leave the organisation without one."""
    list(
        User.objects.select_for_update()
        .filter(organization=org, role=Role.ADMIN, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    member = User.objects.select_for_update().filter(pk=user_id, organization=org, role__in=STAFF_ROLES).first()
    if member is None:
        raise NotFound(gettext("No such member."))
    return member


def _other_active_admins(org: Organization, member: User) -> int:
    return User.objects.filter(organization=org, role=Role.ADMIN, is_active=True).exclude(pk=member.pk).count()


@dataclass(frozen=True, slots=True)
class OrganizationChange:
    name: str | None = None
    require_two_factor: bool | None = None


def organization_update(*, actor: User, change: OrganizationChange) -> Organization:
    with transaction.atomic():
        org = _admin_org(actor)
        changed: dict[str, Any] = {}
        if change.name is not None:
            name = " ".join(change.name.split())
            if not name:
                raise ValidationFailed(
                    gettext("Name the organisation."), fields={"name": [gettext("This field may not be blank.")]}
                )
            if name != org.name:
                changed["name"] = {"from": org.name, "to": name}
                org.name = name
        if change.require_two_factor is not None and change.require_two_factor != org.require_two_factor:
            if change.require_two_factor and not has_two_factor(actor):
                # Requiring it would lock the admin out of the console the moment it is saved.
                raise Conflict(
                    gettext(
                        "Set up two-factor authentication for yourself first (Account settings), then require it of "
                        "your staff."
                    ),
                    code="two_factor_not_enabled",
                )
            changed["require_two_factor"] = {"from": org.require_two_factor, "to": change.require_two_factor}
            org.require_two_factor = change.require_two_factor
        if changed:
            org.save(update_fields=list(changed))
            audit_record(actor=actor, action="organization.updated", target=org, data=changed)
    return org


def member_role_set(*, actor: User, user_id: int, role: str) -> User:
    if role not in STAFF_ROLES:
        raise ValidationFailed(gettext("Unknown role."), fields={"role": [gettext("One of reviewer, admin.")]})
    with transaction.atomic():
        org = _admin_org(actor)
        member = _locked_member(org, user_id)
        if member.role == role:
            return member
        if member.role == Role.ADMIN and member.is_active and _other_active_admins(org, member) == 0:
            raise Conflict(
                gettext("%(shown_name)s is the last active admin: make someone else admin first.")
                % {"shown_name": member.shown_name},
                code="last_admin",
            )
        old = member.role
        member.role = role
        member.save(update_fields=["role"])
        audit_record(actor=actor, action="member.role_changed", target=member, data={"from": old, "to": role})
    return member


@dataclass(frozen=True, slots=True)
class Ended:
    sessions: int
    tokens: int
    work: int


DATABASE_SESSION_ENGINES = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")


def sessions_end_all(*, user: User) -> int:
    """End every session of `user`: those allauth tracks (UserSession, ended as allauth.usersessions ends them:
    the store's entry and the row) and any other in the database store (a session made before tracking)."""
    tracked = list(UserSession.objects.filter(user=user))
    get_usersessions_adapter().end_sessions(tracked)
    ended = len(tracked)
    if settings.SESSION_ENGINE in DATABASE_SESSION_ENGINES:
        store = import_module(settings.SESSION_ENGINE).SessionStore
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
            if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
                store(session.session_key).delete()
                ended += 1
    return ended


def member_deactivate(*, actor: User, user_id: int) -> tuple[User, Ended]:
    """In one transaction: the account closes, every session and API token of it ends, the work it holds goes back
    to the pool; the next request with any of them is refused."""
    with transaction.atomic():
        org = _admin_org(actor)
        member = _locked_member(org, user_id)
        if member.pk == actor.pk:
            raise Conflict(gettext("You cannot deactivate yourself: ask another admin."), code="self_deactivation")
        if not member.is_active:
            return member, Ended(0, 0, 0)
        if member.role == Role.ADMIN and _other_active_admins(org, member) == 0:
            raise Conflict(
                gettext("%(shown_name)s is the last active admin.") % {"shown_name": member.shown_name},
                code="last_admin",
            )
        member.is_active = False
        member.save(update_fields=["is_active"])
        ended = Ended(
            sessions=sessions_end_all(user=member),
            tokens=api_tokens_revoke_all(user=member),
            work=contributions_release_of(freelancer=member),
        )
        audit_record(
            actor=actor,
            action="member.deactivated",
            target=member,
            data={"sessions_ended": ended.sessions, "tokens_revoked": ended.tokens, "work_released": ended.work},
        )
    return member, ended


def member_reactivate(*, actor: User, user_id: int) -> User:
    with transaction.atomic():
        org = _admin_org(actor)
        member = _locked_member(org, user_id)
        if member.is_active:
            return member
        member.is_active = True
        member.save(update_fields=["is_active"])
        audit_record(actor=actor, action="member.reactivated", target=member, data={"role": member.role})
    return member


def check_member(*, actor: User, user_id: int) -> None:
    """404 before the body is read for a member of another organisation (or nobody)."""
    org_id = actor.organization_id
    if org_id is None or not User.objects.filter(pk=user_id, organization_id=org_id, role__in=STAFF_ROLES).exists():
        raise NotFound(gettext("No such member."))
