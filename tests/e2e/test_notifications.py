"""A reviewer approves work: the freelancer's bell shows it, the list and the preferences read it; the mailed
unsubscribe link asks on GET and unsubscribes on the click."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from annotations.models import NotificationPreference, User
from annotations.services.review import review_decide
from tests.datasets_support import RUBRIC, SPEC, approved_work
from tests.factories import published_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_bell_the_list_the_preferences_and_unsubscribe(
    page: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path, mailbox: Any
) -> None:
    reviewer = User.objects.get(username="reviewer")
    freelancer = User.objects.get(username="freelancer")
    project = published_project(items=2, output_spec=SPEC, rubric=RUBRIC, organization=reviewer.organization)
    work = approved_work(project, reviewer, 1, freelancer=freelancer, approve=False)
    review_decide(actor=reviewer, contribution_id=work.pk, decision="approve", scores={"craft": 4})

    # Signed in with a session cookie (the login page belongs to the accounts work).
    client = Client()
    client.force_login(freelancer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    page.goto("/tasks")
    bell = page.get_by_role("button", name=re.compile(r"^Notifications, \d+ unread$"))
    bell.wait_for()
    bell.click()
    page.get_by_role("menu").get_by_text(f"Approved: {project.title}").first.wait_for()
    page.screenshot(path=screenshots / "notifications-bell.png")
    page.get_by_role("link", name="See all").click()
    page.get_by_role("heading", name="Notifications").wait_for()
    page.get_by_role("button", name="Mark read").first.wait_for()
    page.screenshot(path=screenshots / "notifications-list.png", full_page=True)
    page.get_by_role("button", name="Mark all read").click()
    page.get_by_role("button", name="Notifications", exact=True).wait_for()
    page.goto("/settings/notifications")
    page.get_by_label("Your work is approved: email").wait_for()
    page.screenshot(path=screenshots / "notifications-preferences.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "notifications-preferences-phone.png", full_page=True)
    page.goto("/notifications")
    page.get_by_role("heading", name="Notifications").wait_for()
    page.screenshot(path=screenshots / "notifications-list-phone.png", full_page=True)
    page.set_viewport_size({"width": 1360, "height": 900})

    (message,) = mailbox.wait_for(freelancer.email, subject="Approved")
    link = str(message["List-Unsubscribe"]).strip().strip("<>").replace("http://localhost:8000", "")
    page.goto(link)
    page.get_by_role("heading", name="Unsubscribe from these mails?").wait_for()
    assert not NotificationPreference.objects.filter(user=freelancer).exists()  # the GET changed nothing
    page.screenshot(path=screenshots / "unsubscribe-confirm.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "unsubscribe-confirm-phone.png")
    page.get_by_role("button", name="Unsubscribe").click()
    page.get_by_role("heading", name="You are unsubscribed").wait_for()
    page.screenshot(path=screenshots / "unsubscribe-done-phone.png")
    page.set_viewport_size({"width": 1360, "height": 900})
    page.screenshot(path=screenshots / "unsubscribe-done.png")
    pref = NotificationPreference.objects.get(user=freelancer)
    assert (pref.kind, pref.channel, pref.enabled) == ("approved", "email", False)
