"""The organisation's settings, members and invitations (admins change; reviewers read the members), and the
public invitation link: its preview and its acceptance, which signs the new member in."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import login
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.accounts import UserOutputSerializer
from annotations.api.authentication import SessionAuthentication, enforce_csrf
from annotations.api.pagination import PageNumberPagination, paginated
from annotations.api.permissions import API_PERMISSIONS, IsStaffRole, actor
from annotations.api.serializers import StrictInputSerializer
from annotations.domain.errors import NotFound
from annotations.domain.languages import tag_for_request
from annotations.models import Invitation, InvitationRole, Organization, Role, User
from annotations.selectors.members import members_of, pending_invitations_of
from annotations.services import invitations as invites
from annotations.services import members

ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class IsAdmin(BasePermission):
    message = gettext_lazy("Only admins may do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.is_authenticated and request.user.role == Role.ADMIN)


ADMINS: list[type[BasePermission]] = [*API_PERMISSIONS, IsAdmin]
STAFF: list[type[BasePermission]] = [*API_PERMISSIONS, IsStaffRole]


# --- Organisation --------------------------------------------------------------------------------------------------


class OrganizationOutputSerializer(serializers.Serializer[Organization]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    require_two_factor = serializers.BooleanField(
        help_text="Admins and reviewers must set up two-factor authentication to use the console."
    )
    created_at = serializers.DateTimeField()


class OrganizationInputSerializer(StrictInputSerializer):
    name = serializers.CharField(max_length=200, required=False)
    require_two_factor = serializers.BooleanField(required=False)


class OrganizationView(APIView):
    permission_classes = ADMINS

    @extend_schema(summary="Your organisation's settings", responses=OrganizationOutputSerializer)
    def get(self, request: Request) -> Response:
        return Response(OrganizationOutputSerializer(actor(request).organization).data)

    @extend_schema(
        summary="Change your organisation's settings (audited)",
        request=OrganizationInputSerializer,
        responses=OrganizationOutputSerializer,
    )
    def patch(self, request: Request) -> Response:
        data = OrganizationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = members.OrganizationChange(**data.validated_data)
        org = members.organization_update(actor=actor(request), change=change)
        return Response(OrganizationOutputSerializer(org).data)


# --- Members -------------------------------------------------------------------------------------------------------


class MemberOutputSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField(source="shown_name")
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=InvitationRole.choices)
    is_active = serializers.BooleanField()
    last_login = serializers.DateTimeField(allow_null=True)
    date_joined = serializers.DateTimeField()
    has_two_factor = serializers.BooleanField(default=False, help_text="Has an authenticator app set up.")


class MemberRoleInputSerializer(StrictInputSerializer):
    role = serializers.ChoiceField(choices=InvitationRole.choices)


def _member(request: Request, user_id: int) -> Response:
    member = members_of(actor(request)).filter(pk=user_id).first()
    if member is None:
        raise NotFound(gettext("No such member."))
    return Response(MemberOutputSerializer(member).data)


class MemberListView(APIView):
    permission_classes = STAFF
    pagination_class = PageNumberPagination

    @extend_schema(summary="Your organisation's admins and reviewers", responses=MemberOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, members_of(actor(request)), MemberOutputSerializer)


class MemberDetailView(APIView):
    permission_classes = ADMINS

    @extend_schema(
        summary="Change a member's role (never the last active admin's)",
        request=MemberRoleInputSerializer,
        responses=MemberOutputSerializer,
    )
    def patch(self, request: Request, user_id: int) -> Response:
        members.check_member(actor=actor(request), user_id=user_id)
        data = MemberRoleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        members.member_role_set(actor=actor(request), user_id=user_id, role=data.validated_data["role"])
        return _member(request, user_id)


class MemberDeactivateView(APIView):
    permission_classes = ADMINS

    @extend_schema(
        summary="Deactivate a member: their sessions and API tokens end at once, held work is released",
        request=None,
        responses=MemberOutputSerializer,
    )
    def post(self, request: Request, user_id: int) -> Response:
        members.member_deactivate(actor=actor(request), user_id=user_id)
        return _member(request, user_id)


class MemberReactivateView(APIView):
    permission_classes = ADMINS

    @extend_schema(
        summary="Re-activate a member (their old sessions and tokens stay ended)",
        request=None,
        responses=MemberOutputSerializer,
    )
    def post(self, request: Request, user_id: int) -> Response:
        members.member_reactivate(actor=actor(request), user_id=user_id)
        return _member(request, user_id)


# --- Invitations (admins) ------------------------------------------------------------------------------------------


class PersonRefSerializer(serializers.Serializer[User]):
    id = serializers.IntegerField()
    display_name = serializers.CharField(source="shown_name")


class InvitationOutputSerializer(serializers.Serializer[Invitation]):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=InvitationRole.choices)
    invited_by = PersonRefSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    last_sent_at = serializers.DateTimeField()
    sent_count = serializers.IntegerField()
    expires_at = serializers.DateTimeField()
    expired = serializers.SerializerMethodField()
    resend_available_at = serializers.SerializerMethodField(
        help_text="Null when it may not be resent any more (sent the maximum number of times)."
    )

    def get_expired(self, invitation: Invitation) -> bool:
        from annotations.selectors.members import invitation_is_expired

        return invitation_is_expired(invitation)

    def get_resend_available_at(self, invitation: Invitation) -> str | None:
        if invitation.sent_count >= invites.MAX_SENDS:
            return None
        return (invitation.last_sent_at + invites.RESEND_INTERVAL).isoformat()


class InvitationInputSerializer(StrictInputSerializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=InvitationRole.choices)


class InvitationListView(APIView):
    permission_classes = ADMINS
    pagination_class = PageNumberPagination

    @extend_schema(summary="Pending invitations of your organisation", responses=InvitationOutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        return paginated(request, self, pending_invitations_of(actor(request)), InvitationOutputSerializer)

    @extend_schema(
        summary="Invite someone by email (audited; the link goes only to their mailbox)",
        request=InvitationInputSerializer,
        responses={201: InvitationOutputSerializer},
    )
    def post(self, request: Request) -> Response:
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = invites.invitation_create(actor=actor(request), **data.validated_data)
        return Response(InvitationOutputSerializer(sent.invitation).data, status=status.HTTP_201_CREATED)


class InvitationResendView(APIView):
    permission_classes = ADMINS

    @extend_schema(
        summary="Send the invitation again: a new link (the old one stops working) and a new expiry",
        request=None,
        responses=InvitationOutputSerializer,
    )
    def post(self, request: Request, invitation_id: int) -> Response:
        sent = invites.invitation_resend(actor=actor(request), invitation_id=invitation_id)
        return Response(InvitationOutputSerializer(sent.invitation).data)


class InvitationRevokeView(APIView):
    permission_classes = ADMINS

    @extend_schema(summary="Withdraw an invitation: its link stops working", request=None, responses={204: None})
    def post(self, request: Request, invitation_id: int) -> Response:
        invites.invitation_revoke(actor=actor(request), invitation_id=invitation_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The link (public) ---------------------------------------------------------------------------------------------


class InvitationPreviewSerializer(serializers.Serializer[Any]):
    organization = serializers.CharField(help_text="The organisation's name.")
    role = serializers.ChoiceField(choices=InvitationRole.choices)
    email = serializers.EmailField()
    inviter = serializers.CharField(help_text="Who sent it.")
    expires_at = serializers.DateTimeField()
    account_exists = serializers.BooleanField(help_text="An account with this address exists.")
    mode = serializers.ChoiceField(
        choices=["sign_up", "sign_in"],
        help_text="sign_up: accept with a display name and a password; sign_in: sign in as the account, then accept.",
    )


def _preview_body(preview: invites.InvitationPreview) -> dict[str, Any]:
    inv = preview.invitation
    return {
        "organization": inv.organization.name,
        "role": inv.role,
        "email": inv.email,
        "inviter": inv.invited_by.shown_name if inv.invited_by else inv.organization.name,
        "expires_at": inv.expires_at,
        "account_exists": preview.account_exists,
        "mode": preview.mode,
    }


class InvitationAcceptInputSerializer(StrictInputSerializer):
    display_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    password = serializers.CharField(
        max_length=256, required=False, allow_blank=True, default="", trim_whitespace=False, write_only=True
    )


class InvitationLinkView(APIView):
    """The link's token is the credential. Only the browser session is read (to know who is signed in)."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        summary="What an invitation link offers (404 unknown or tampered; 410 used, expired, revoked, superseded)",
        responses=InvitationPreviewSerializer,
        auth=[],
    )
    def get(self, request: Request, token: str) -> Response:
        return Response(InvitationPreviewSerializer(_preview_body(invites.invitation_preview(token=token))).data)


class InvitationAcceptView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Accept an invitation: joins its organisation with its role and signs you in",
        request=InvitationAcceptInputSerializer,
        responses=UserOutputSerializer,
        auth=[],
    )
    def post(self, request: Request, token: str) -> Response:
        enforce_csrf(request._request)  # it signs someone in: no cross-site acceptance
        data = InvitationAcceptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        signed_in = request.user if isinstance(request.user, User) else None
        user = invites.invitation_accept(
            token=token,
            signed_in=signed_in,
            language=tag_for_request(getattr(request._request, "LANGUAGE_CODE", None)),
            **data.validated_data,
        )
        if signed_in is None or signed_in.pk != user.pk:
            login(request._request, user, backend=ALLAUTH_BACKEND)
        return Response(UserOutputSerializer(user).data)
