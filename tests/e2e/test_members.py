"""An admin invites a reviewer on the members page; the mail arrives, its link opens the acceptance page, the new
reviewer sets a password and lands in the review queue. The admin requires two-factor authentication, is refused
demoting the last admin, changes a role and deactivates someone; a used link then says so."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from annotations.models import Invitation, Organization, User
from tests.factories import with_totp
from tests.smtp import link_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1360, "height": 900}


def sign_in(page: Any, live_server: Any, user: User) -> None:
    """A session cookie: the login page belongs to the accounts work."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def test_invite_accept_change_role_and_deactivate(
    page: Any, browser: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path, mailbox: Any
) -> None:
    admin = User.objects.get(username="admin")
    sign_in(page, live_server, admin)
    page.goto("/projects")
    page.get_by_role("link", name="Members").click()
    page.get_by_role("heading", name="Members", exact=True).wait_for()
    page.get_by_role("row", name="Member Rui Reviewer").wait_for()

    # Invite: the row appears and the page says the mail went out.
    invite = page.get_by_role("form", name="Invite someone")
    invite.get_by_label("Email").fill("nora@example.com")
    invite.get_by_label("Role").select_option("reviewer")
    invite.get_by_role("button", name="Send invitation").click()
    invite.get_by_text("Invitation sent to nora@example.com").wait_for()
    row = page.get_by_role("row", name="Invitation nora@example.com")
    row.wait_for()
    # At once again: refused, and the page says when it may be resent.
    row.get_by_role("button", name="Resend").click()
    row.get_by_text(re.compile(r"you can resend it in \d+ s")).wait_for()

    # The last admin cannot be demoted: the error shows in the row.
    me = page.get_by_role("row", name="Member Ada Admin")
    me.get_by_label("Role of Ada Admin").select_option("reviewer")
    me.get_by_role("alert").wait_for()
    assert "admin" in me.get_by_role("alert").inner_text().lower()
    assert User.objects.get(pk=admin.pk).role == "admin"

    # A role change, then a deactivation through the confirm dialog.
    rui = page.get_by_role("row", name="Member Rui Reviewer")
    rui.get_by_label("Role of Rui Reviewer").select_option("admin")
    page.get_by_text("Rui Reviewer is now an admin.").wait_for()
    assert User.objects.get(username="reviewer").role == "admin"
    rui.get_by_role("button", name="Deactivate").click()
    dialog = page.get_by_role("dialog", name="Deactivate Rui Reviewer?")
    dialog.get_by_role("button", name="Cancel").click()
    assert User.objects.get(username="reviewer").is_active
    rui.get_by_role("button", name="Deactivate").click()
    dialog.get_by_role("button", name="Deactivate").click()
    page.get_by_text("Rui Reviewer is deactivated.").wait_for()
    rui.get_by_text("deactivated", exact=True).wait_for()
    rui.get_by_role("button", name="Reactivate").wait_for()
    assert not User.objects.get(username="reviewer").is_active

    page.screenshot(path=screenshots / "members.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "members-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    # The mail: its link opens the acceptance page in another browser.
    (message,) = mailbox.wait_for("nora@example.com")
    link = link_in(message, "/invite/")
    path = link[link.index("/invite/") :]
    context = browser.new_context(viewport=DESKTOP, base_url=live_server.url)
    context.set_default_timeout(15_000)
    guest = context.new_page()
    errors: list[str] = []
    guest.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        guest.goto(path)
        guest.get_by_role("heading", name="Join").wait_for()
        guest.get_by_text("Ada Admin").wait_for()
        guest.screenshot(path=screenshots / "invitation-accept.png", full_page=True)
        guest.set_viewport_size(PHONE)
        guest.screenshot(path=screenshots / "invitation-accept-phone.png", full_page=True)
        guest.set_viewport_size(DESKTOP)

        form = guest.get_by_role("form", name="Create your account")
        form.get_by_label("Display name").fill("Nora Nilsen")
        form.get_by_label("Password", exact=True).fill("a long quiet harbour 7")
        form.get_by_label("Confirm password").fill("a long quiet harbour")
        form.get_by_text("The two passwords differ.").wait_for()
        form.get_by_label("Confirm password").fill("a long quiet harbour 7")
        form.get_by_role("button", name=re.compile("^Join")).click()
        guest.wait_for_url(re.compile(r"/review$"))
        guest.get_by_text("Nora Nilsen").first.wait_for()
        nora = User.objects.get(email__iexact="nora@example.com")
        assert nora.role == "reviewer" and nora.organization_id == admin.organization_id
        assert Invitation.objects.get(email__iexact="nora@example.com").accepted_at is not None

        # A reviewer reads the members, changes nothing.
        guest.goto("/settings/members")
        guest.get_by_role("row", name="Member Nora Nilsen").wait_for()
        assert guest.get_by_label("Role of Ada Admin").count() == 0
        assert guest.get_by_role("button", name="Deactivate").count() == 0

        # The used link says what happened.
        guest.goto(path)
        guest.get_by_role("heading", name="This invitation has been accepted").wait_for()
        guest.set_viewport_size(PHONE)
        guest.screenshot(path=screenshots / "invitation-used-phone.png", full_page=True)
        guest.goto("/invite/not-a-real-token")
        guest.get_by_role("heading", name="This invitation link is not valid").wait_for()
    finally:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"

    # Last, the organisation's two-factor setting: refused until the admin has it, then saved with a message.
    page.goto("/settings/members")
    org_box = page.get_by_role("form", name="Organisation")
    org_box.get_by_label("Require two-factor authentication for staff").check()
    org_box.get_by_role("button", name="Save").click()
    org_box.get_by_text(re.compile("Set up two-factor authentication for yourself first")).wait_for()
    assert not Organization.objects.get(members=admin).require_two_factor
    with_totp(admin)
    org_box.get_by_role("button", name="Save").click()
    org_box.get_by_text("Saved. Admins and reviewers must now use two-factor authentication.").wait_for()
    assert Organization.objects.get(members=admin).require_two_factor


def test_an_existing_account_logs_in_first_and_a_freelancer_is_refused(
    page: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    from annotations.services.invitations import invitation_create

    admin = User.objects.get(username="admin")
    freelancer = User.objects.get(username="freelancer")
    sent = invitation_create(actor=admin, email=freelancer.email, role="reviewer")
    path = f"/invite/{sent.token}"

    page.goto(path)
    page.get_by_role("heading", name="Join").wait_for()
    login_link = page.get_by_role("link", name="Log in to accept")
    assert login_link.get_attribute("href") == f"/login?next={path.replace('/', '%2F').replace(':', '%3A')}"
    page.set_viewport_size(PHONE)
    page.screenshot(path=screenshots / "invitation-sign-in-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)

    sign_in(page, live_server, freelancer)
    page.goto(path)
    page.get_by_role("button", name=f"Accept as {freelancer.shown_name}").click()
    page.get_by_role("alert").get_by_text(re.compile("freelancer account")).wait_for()
    page.get_by_role("link", name="Go to Atelier").wait_for()
    page.screenshot(path=screenshots / "invitation-freelancer-refused.png", full_page=True)
    assert User.objects.get(pk=freelancer.pk).role == "freelancer"
    assert Invitation.objects.get(pk=sent.invitation.pk).accepted_at is None
