"""Token scopes and roles. Object visibility is the selectors' job; the object permissions below only call them
before the view reads its body, so a caller who may not act gets 403/404 whatever they send, never a 400."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_lazy
from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request

from annotations.models import ApiToken, Role, User
from annotations.selectors.accounts import two_factor_missing
from annotations.selectors.projects import check_administers
from annotations.selectors.work import check_oversees, check_owns

ANY_SCOPE = "*"


def actor(request: Request) -> User:
    """The authenticated user behind a request (views run after IsAuthenticated)."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


class TokenScopes(BasePermission):
    """A request made with an API token needs the scope the view names for its method.

    Views declare `token_scopes = {"GET": "projects:read", ...}`; a view or method without an entry refuses
    tokens altogether (session only), so a new endpoint is closed to tokens until it says otherwise.
    """

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return True
        scopes: dict[str, str] = getattr(view, "token_scopes", {})
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        needed = scopes.get(method or "")
        if needed is None:
            raise exceptions.PermissionDenied(
                gettext("API tokens cannot use this endpoint."), code="insufficient_scope"
            )
        if needed != ANY_SCOPE and needed not in token.scopes:
            raise exceptions.PermissionDenied(
                gettext("This token lacks the scope %(needed)s.") % {"needed": needed}, code="insufficient_scope"
            )
        return True


class AdminForWrites(BasePermission):
    """Anyone authenticated may read (selectors decide what they see); only admins may write."""

    message = gettext_lazy("Only admins may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.ADMIN)


TWO_FACTOR_REQUIRED_MESSAGE = (
    "Your organization requires two-factor authentication: set it up in your account settings (Security) "
    "before you continue."
)


class TwoFactorPolicy(BasePermission):
    """An organization that requires two-factor authentication (`Organization.require_two_factor`) refuses its
    admins and reviewers every /api/v1 route, with a session, an app session token or an API token alike, until
    they have an authenticator app: 403 `two_factor_required`. Views that must stay open so the app can send them
    to set it up (the session probe, the CSRF token, /me) say `two_factor_exempt = True`; allauth's own endpoints
    (/_allauth/...) are not DRF views and stay open."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not isinstance(user, User) or getattr(view, "two_factor_exempt", False):
            return True
        if two_factor_missing(user):
            raise exceptions.PermissionDenied(TWO_FACTOR_REQUIRED_MESSAGE, code="two_factor_required")
        return True


API_PERMISSIONS: list[type[BasePermission]] = [IsAuthenticated, TokenScopes, TwoFactorPolicy]


class IsStaffRole(BasePermission):
    message = gettext_lazy("Only admins and reviewers may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role in (Role.ADMIN, Role.REVIEWER))


class FreelancerRole(BasePermission):
    message = gettext_lazy("Only freelancers may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.FREELANCER)


class OwnsContribution(BasePermission):
    """The contribution in the URL is the caller's (else 404)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        check_owns(actor(request), int(view.kwargs["contribution_id"]))
        return True


class ReviewsContribution(BasePermission):
    """The caller reviews for the contribution's organization: freelancers 403, other organizations 404."""

    roles: tuple[str, ...] = (Role.ADMIN, Role.REVIEWER)

    def has_permission(self, request: Request, view: Any) -> bool:
        who = actor(request)
        if who.role not in self.roles:
            raise exceptions.PermissionDenied(
                gettext("Only %(roles)s may do this.") % {"roles": " and ".join(f"{r}s" for r in self.roles)}
            )
        check_oversees(who, int(view.kwargs["contribution_id"]), roles=self.roles)
        return True


class AdministersContribution(ReviewsContribution):
    roles = (Role.ADMIN,)


class AdministersProjectForWrites(BasePermission):
    """Writes to the project in the URL: its organization's admins (other roles 403, other organizations 404)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method not in SAFE_METHODS:
            check_administers(actor(request), int(view.kwargs["project_id"]))
        return True
