"""The account pages in the browser, against a real SMTP server on loopback: a password reset from the mail, the
settings page (password, email addresses, sessions, an authenticator app with its QR code and recovery codes) and
the login that asks for the second factor. Each page is photographed at desktop and phone width."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session

from annotations.models import User
from tests.allauth_client import totp_code
from tests.e2e.conftest import assert_accessible, login
from tests.e2e.test_journey import new_page, path_of, shoot
from tests.smtp import code_in, link_in, text_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "lanterns over the quay 7"


def test_a_forgotten_password_is_reset_from_the_mail(
    page: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path, mailbox: Any
) -> None:
    fay = User.objects.get(username="freelancer")
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url(re.compile(r"/account/password/reset$"))
    shoot(page, screenshots, "password-reset", "account")
    page.get_by_label("Email").fill(fay.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    shoot(page, screenshots, "password-reset-sent", "account")
    (message,) = mailbox.wait_for(fay.email)
    page.goto(path_of(link_in(message, "/account/password/reset/key/")))
    page.get_by_role("heading", name="Set a new password").wait_for()
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Repeat the new password").fill("short")
    page.get_by_role("button", name=re.compile("Set")).click()
    page.locator(".field-error, small.error, [role=alert]").first.wait_for()
    fay.refresh_from_db()
    assert fay.check_password("atelier-demo")  # a refused password changes nothing
    shoot(page, screenshots, "password-reset-key", "account")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name=re.compile("Set")).click()
    page.wait_for_url(re.compile(r"/login$"))
    page.get_by_text("Your new password is set").wait_for()
    fay.refresh_from_db()
    assert fay.check_password(NEW_PASSWORD)
    login(page, "freelancer", NEW_PASSWORD)
    page.wait_for_url(re.compile(r"/tasks$"))

    page.goto(path_of(link_in(message, "/account/password/reset/key/")))  # the link works once
    page.get_by_text(re.compile("no longer valid|expired|invalid|used", re.I)).first.wait_for()


def test_account_settings_and_a_login_with_two_factor(
    page: Any, browser: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path, mailbox: Any
) -> None:
    fay = User.objects.get(username="freelancer")
    errors: list[str] = []
    other = new_page(browser, live_server, errors)  # the same person in another browser
    login(other, "freelancer")
    other.wait_for_url(re.compile(r"/tasks$"))
    login(page, "freelancer")
    page.wait_for_url(re.compile(r"/tasks$"))

    page.goto("/settings/account")
    page.get_by_role("heading", name="Account", exact=True).wait_for()
    sessions = page.get_by_test_id("session")
    sessions.nth(1).wait_for()
    assert sessions.count() == 2
    shoot(page, screenshots, "settings", "account")

    # --- Sessions: sign out everywhere else -------------------------------------------------------------------------
    page.get_by_role("button", name="Sign out everywhere else").click()
    page.get_by_text("Every other session is signed out.").wait_for()
    assert sessions.count() == 1 and Session.objects.count() == 1
    other.goto("/tasks")
    other.wait_for_url(re.compile(r"/login"))

    # --- Password change: refused with a wrong current password, then done, with a mail -----------------------------
    section = page.locator("#password")
    section.get_by_label("Current password").fill("not my password")
    section.get_by_label("New password").fill(NEW_PASSWORD)
    section.get_by_role("button", name="Change password").click()
    section.locator("#current-password-error").get_by_text(re.compile(".")).first.wait_for()
    fay.refresh_from_db()
    assert fay.check_password("atelier-demo")
    section.get_by_label("Current password").fill("atelier-demo")
    section.get_by_role("button", name="Change password").click()
    section.get_by_text("Your password is changed.").wait_for()
    fay.refresh_from_db()
    assert fay.check_password(NEW_PASSWORD)
    assert "password" in text_of(mailbox.wait_for(fay.email)[0]).lower()

    # --- A new address, which replaces the old one once the code from its mail is entered ---------------------------
    second, first = "fay.studio@example.org", fay.email
    emails = page.locator("#email")
    emails.get_by_label("New email address").fill(second)
    emails.get_by_role("button", name="Change", exact=True).click()
    (message,) = mailbox.wait_for(second)
    emails.get_by_text(first).wait_for()  # the old address stays until the new one is verified
    emails.get_by_label(f"Code sent to {second}").fill(code_in(message))
    emails.get_by_role("button", name="Verify address").click()
    emails.get_by_text(f"Your email address is now {second}.").wait_for()
    addresses = EmailAddress.objects.filter(user=fay).values_list("email", "verified", "primary")
    assert list(addresses) == [(second, True, True)]
    assert emails.get_by_text(first).count() == 0
    shoot(page, screenshots, "emails", "account")

    # --- An authenticator app: QR code, setup key, recovery codes ---------------------------------------------------
    two_factor = page.locator("#two-factor")
    two_factor.get_by_role("button", name="Set up an authenticator app").click()
    qr = two_factor.get_by_role("img", name="QR code for your authenticator app")
    qr.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    secret = two_factor.get_by_test_id("totp-secret").inner_text().strip()
    shoot(page, screenshots, "totp-setup", "account")
    two_factor.get_by_label("Code from the app").fill("000000" if totp_code(secret) != "000000" else "111111")
    two_factor.get_by_role("button", name="Turn on").click()
    two_factor.locator("#totp-code-error").get_by_text(re.compile(".")).first.wait_for()
    assert not Authenticator.objects.filter(user=fay, type="totp").exists()
    two_factor.get_by_label("Code from the app").fill(totp_code(secret))
    two_factor.get_by_role("button", name="Turn on").click()
    # allauth asks for the password again before any change to the second factor, however fresh the login.
    dialog = page.get_by_role("dialog", name="Confirm it is you")
    dialog.get_by_label("Password").fill("atelier-demo")
    dialog.get_by_role("button", name="Confirm").click()
    dialog.locator("[role=alert], .field-error, small.error").first.wait_for()
    assert not Authenticator.objects.filter(user=fay, type="totp").exists()
    shoot(page, screenshots, "reauth", "account")
    dialog.get_by_label("Password").fill(NEW_PASSWORD)
    dialog.get_by_role("button", name="Confirm").click()
    two_factor.get_by_text("Two-factor authentication is on.").wait_for()
    codes = [c.strip() for c in two_factor.get_by_test_id("recovery-codes").locator("code").all_inner_texts()]
    assert len(codes) >= 8
    assert Authenticator.objects.filter(user=fay, type="totp").exists()
    shoot(page, screenshots, "totp-on", "account")

    # --- The next login asks for the second factor; a recovery code works once --------------------------------------
    fresh = new_page(browser, live_server, errors)
    login(fresh, "freelancer", NEW_PASSWORD)
    fresh.wait_for_url(re.compile(r"/login/2fa"))
    fresh.get_by_role("heading", name="Two-factor authentication").wait_for()
    fresh.get_by_label("Authentication code").fill("123456" if totp_code(secret) != "123456" else "654321")
    fresh.get_by_role("button", name="Verify").click()
    fresh.locator("#mfa-code-error").get_by_text(re.compile(".")).first.wait_for()
    shoot(fresh, screenshots, "login-2fa", "account")
    assert_accessible(fresh, "login-2fa")  # with its error shown; the survey cannot reach this step without a device
    fresh.get_by_role("button", name="Lost your device? Use a recovery code").click()
    fresh.get_by_label("Recovery code").fill(codes[0])
    fresh.get_by_role("button", name="Verify").click()
    fresh.wait_for_url(re.compile(r"/tasks$"))
    assert not errors, f"JavaScript errors on the page: {errors}"
