"""django-allauth, fitted to Atelier: who may sign up (freelancers only, unless closed), what a new account is
(a freelancer with an empty profile and the contributor terms it accepted), and how its mail leaves (through the
mail outbox, after the transaction commits, like every other mail)."""

from __future__ import annotations

import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.headless.adapter import DefaultHeadlessAdapter
from django import forms
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from annotations.domain.languages import tag_for_request
from annotations.middleware import LAST_SEEN_KEY
from annotations.models import Role, User
from annotations.services.accounts import freelancer_signed_up
from annotations.services.mail import mail_queue_rendered


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]  # allauth ships no types
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Open sign-up makes freelancers only; staff join through an invitation (annotations/services/invitations).
        return bool(settings.SIGNUP_OPEN)

    def save_user(
        self, request: HttpRequest, user: AbstractBaseUser, form: forms.BaseForm, commit: bool = True
    ) -> AbstractBaseUser:
        assert isinstance(user, User)
        user.role = Role.FREELANCER
        user.organization = None
        # The language the person signed up in (LocaleMiddleware's choice from Accept-Language): their mail speaks it.
        user.language = tag_for_request(getattr(request, "LANGUAGE_CODE", None) or translation.get_language())
        super().save_user(request, user, form, commit=commit)
        if commit:
            freelancer_signed_up(
                user=user,
                terms_version=str(form.cleaned_data.get("terms_version") or ""),
                client_ip=self.get_client_ip(request),
            )
        return user

    def login(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        super().login(request, user)
        request.session[LAST_SEEN_KEY] = int(time.time())  # the login recorded the session's activity

    def can_delete_email(self, email_address: EmailAddress) -> bool:
        # Everyone keeps a primary address: codes, resets and notifications go there (allauth would let a person
        # who can sign in by username remove their last one). Change it by adding another address instead.
        if email_address.pk and email_address.primary:
            return False
        return bool(super().can_delete_email(email_address))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render allauth's mail from annotations/templates/account/email/ (and mfa/email/) in the recipient's
        language, with Atelier's name and address, and queue it like every other mail."""
        request = context.get("request") or getattr(self, "request", None)
        user = User.objects.filter(email__iexact=email).first()
        ctx = {**context, "email": email, "site_name": "Atelier", "site_url": settings.SITE_URL.rstrip("/")}
        if request is not None:
            ctx["request"] = request
        with translation.override(user.language if user and user.language else settings.LANGUAGE_CODE):
            msg = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, kind in getattr(msg, "alternatives", []) if kind == "text/html"), "")
        mail_queue_rendered(
            to=email,
            subject=str(msg.subject),
            text=str(msg.body),
            html=str(html),
            kind=template_prefix.rsplit("/", 1)[-1],
            key=None,  # each account mail is its own event: a new code, a new link
            user=user,
        )


class HeadlessAdapter(DefaultHeadlessAdapter):  # type: ignore[misc]
    def serialize_user(self, user: AbstractBaseUser) -> dict[str, Any]:
        data: dict[str, Any] = super().serialize_user(user)
        if isinstance(user, User):
            data["role"] = user.role
            data["organization_id"] = user.organization_id
        return data


class SignupForm(forms.Form):
    """The fields allauth's headless sign-up takes beside email and password (ACCOUNT_SIGNUP_FORM_CLASS)."""

    accept_terms = forms.BooleanField(
        required=True, error_messages={"required": gettext_lazy("Accept the contributor terms.")}
    )
    terms_version = forms.CharField(max_length=40, required=True)

    def clean_terms_version(self) -> str:
        version = str(self.cleaned_data["terms_version"])
        if version != settings.CONTRIBUTOR_TERMS_VERSION:
            raise forms.ValidationError(
                gettext("The contributor terms changed: read version %(contributor_terms_version)s and accept it.")
                % {"contributor_terms_version": settings.CONTRIBUTOR_TERMS_VERSION},
                code="terms_changed",
            )
        return version

    def signup(self, request: HttpRequest, user: AbstractBaseUser) -> None:
        """Nothing more: AccountAdapter.save_user recorded the terms."""
