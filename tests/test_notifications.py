"""Notifications and the mail outbox, through the services, with mail delivered over SMTP to the loopback server."""

from __future__ import annotations

import re
import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from annotations.models import AuditEvent, EmailState, Notification, NotificationPreference, OutboundEmail
from annotations.services.mail import (
    mail_queue_rendered,
    outbound_email_send,
    outbound_emails_sweep,
    unsubscribe_read,
    unsubscribe_url,
)
from annotations.services.notifications import notify, preferences_of, project_digests_send
from annotations.services.review import review_decide
from tests.datasets_support import RUBRIC, SPEC, approved_work
from tests.factories import UserFactory, published_project
from tests.smtp import html_of, text_of

pytestmark = pytest.mark.django_db(transaction=True)


def _notify(person: Any, key: str = "contribution:1:review:1") -> None:
    notify(
        recipient=person,
        kind="approved",
        event_key=key,
        title="Approved: Harbour",
        link="/earnings",
        context={"project_title": "Harbour", "pay": "5.00 USD"},
    )


def test_an_event_told_twice_is_one_notification_and_one_mail(mailbox: Any) -> None:
    # given a freelancer with a verified address
    person = UserFactory.create(role="freelancer")
    # when the same event is told twice
    _notify(person)
    _notify(person)
    # then one row in the app and one mail in the mailbox
    assert Notification.objects.filter(recipient=person).count() == 1
    got = mailbox.wait_for(person.email)
    assert len(got) == 1 and OutboundEmail.objects.count() == 1
    message = got[0]
    assert message["Subject"] == "Approved: Harbour"
    assert "Your work on Harbour is approved." in text_of(message)
    assert "5.00 USD is added to your balance." in text_of(message)
    assert "http://localhost:8000/earnings" in text_of(message)
    assert '<a href="http://localhost:8000/earnings"' in html_of(message)
    assert "/settings/notifications" in text_of(message) and "/settings/notifications" in html_of(message)
    # RFC 8058 headers, and the Message-ID we stored
    row = OutboundEmail.objects.get()
    assert row.state == EmailState.SENT and row.attempts == 1 and row.sent_at is not None
    assert str(message["Message-ID"]).strip() == row.message_id
    assert str(message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"\s*<http://localhost:8000/unsubscribe/[^>\s]+>", str(message["List-Unsubscribe"]))
    # a second event is a second notification and mail
    _notify(person, key="contribution:1:review:2")
    assert len(mailbox.wait_for(person.email, count=2)) == 2


def test_mail_goes_in_the_recipients_language_and_only_to_a_verified_address(mailbox: Any) -> None:
    unverified = UserFactory.create(role="freelancer", verified_email=False)
    _notify(unverified)
    assert Notification.objects.filter(recipient=unverified).count() == 1  # the bell still tells them
    assert OutboundEmail.objects.count() == 0


def test_preferences_switch_channels_off(mailbox: Any) -> None:
    person = UserFactory.create(role="freelancer")
    NotificationPreference.objects.create(user=person, kind="approved", channel="email", enabled=False)
    _notify(person)
    assert Notification.objects.filter(recipient=person).count() == 1 and OutboundEmail.objects.count() == 0
    NotificationPreference.objects.create(user=person, kind="approved", channel="in_app", enabled=False)
    _notify(person, key="other")
    assert Notification.objects.filter(recipient=person).count() == 1
    prefs = {(p["kind"], p["channel"]): p["enabled"] for p in preferences_of(person)}
    assert prefs[("approved", "email")] is False and prefs[("rejected", "email")] is True
    assert ("dataset_version_built", "email") not in prefs  # not a freelancer's kind


def test_review_decisions_tell_the_freelancer(mailbox: Any) -> None:
    # given three submissions of one freelancer
    project = published_project(items=4, output_spec=SPEC, rubric=RUBRIC)
    reviewer = UserFactory.create(role="reviewer", organization=project.organization)
    person = UserFactory.create(role="freelancer")
    first = approved_work(project, reviewer, 1, freelancer=person)  # approved by the reviewer
    second = approved_work(project, reviewer, 2, freelancer=person, approve=False)
    review_decide(actor=reviewer, contribution_id=second.pk, decision="reject", reason="Off brief.")
    third = approved_work(project, reviewer, 4, freelancer=person, approve=False)
    review_decide(actor=reviewer, contribution_id=third.pk, decision="revise", reason="Lower the horizon.")
    # then one notification each, with the event in the key
    rows = {n.kind: n for n in Notification.objects.filter(recipient=person)}
    assert set(rows) == {"approved", "rejected", "revision_requested"}
    assert rows["approved"].event_key.startswith(f"contribution:{first.pk}:review:")
    assert rows["rejected"].link == f"/work/{second.pk}" and rows["rejected"].body == "Off brief."
    subjects = sorted(str(m["Subject"]) for m in mailbox.wait_for(person.email, count=3))
    assert subjects == sorted(f"{k}: {project.title}" for k in ("Approved", "Rejected", "Revision requested"))
    revision = next(m for m in mailbox.to(person.email) if "Revision" in str(m["Subject"]))
    assert "Lower the horizon." in text_of(revision)


def test_a_refused_mail_is_failed_at_once_and_a_deferred_one_retried_with_the_same_message_id(mailbox: Any) -> None:
    person = UserFactory.create(role="freelancer")
    # a permanent refusal (5xx): failed, never retried
    mailbox.before_accept = lambda envelope: "550 No such mailbox"
    mail_queue_rendered(to=person.email, subject="Hello", text="Hi", html="", kind="test", key="refused")
    refused = OutboundEmail.objects.get(idempotency_key="refused")
    assert refused.state == EmailState.FAILED and refused.attempts == 1 and "550" in refused.last_error
    # a temporary one (4xx): the row stays pending with the error, and the next attempt sends it
    mailbox.before_accept = lambda envelope: "451 Try again later"
    mail_queue_rendered(to=person.email, subject="Hello", text="Hi", html="<p>Hi</p>", kind="test", key="deferred")
    deferred = OutboundEmail.objects.get(idempotency_key="deferred")
    assert deferred.state == EmailState.PENDING and deferred.attempts == 1 and "451" in deferred.last_error
    mailbox.before_accept = None
    sent = outbound_email_send(email_id=deferred.pk)
    assert sent is not None and sent.state == EmailState.SENT and sent.attempts == 2
    (message,) = mailbox.wait_for(person.email)
    assert str(message["Message-ID"]).strip() == deferred.message_id  # the same on every attempt
    assert outbound_email_send(email_id=deferred.pk) is not None  # a repeat sends nothing
    assert len(mailbox.to(person.email)) == 1


def test_the_last_attempt_marks_a_deferred_mail_failed(mailbox: Any) -> None:
    mailbox.before_accept = lambda envelope: "421 Service not available"
    mail_queue_rendered(to="x@example.test", subject="Hello", text="Hi", html="", kind="test", key="k")
    row = OutboundEmail.objects.get()
    done = outbound_email_send(email_id=row.pk, final_attempt=True)
    assert done is not None and done.state == EmailState.FAILED and "421" in done.last_error


def test_the_sweeper_sends_what_was_left_pending(mailbox: Any, settings: Any) -> None:
    settings.EMAIL_PORT = 9  # nothing listens: the connection is refused, a transient error
    mail_queue_rendered(to="late@example.test", subject="Hello", text="Hi", html="", kind="test", key="late")
    assert OutboundEmail.objects.get().state == EmailState.PENDING
    settings.EMAIL_PORT = mailbox.port
    assert outbound_emails_sweep(older_than=timedelta(minutes=5)) == 0  # too young
    assert outbound_emails_sweep(older_than=timedelta(0)) == 1
    mailbox.wait_for("late@example.test")
    assert OutboundEmail.objects.get().state == EmailState.SENT


def test_connection_errors_are_transient() -> None:
    from annotations.services.mail import PermanentMailError, TransientMailError, _classify

    assert _classify(ConnectionRefusedError()) is TransientMailError
    assert _classify(TimeoutError()) is TransientMailError
    assert _classify(smtplib.SMTPServerDisconnected()) is TransientMailError
    assert _classify(smtplib.SMTPDataError(452, b"full")) is TransientMailError
    assert _classify(smtplib.SMTPDataError(554, b"spam")) is PermanentMailError
    assert _classify(smtplib.SMTPRecipientsRefused({"a@b": (550, b"no")})) is PermanentMailError
    assert _classify(smtplib.SMTPRecipientsRefused({"a@b": (450, b"later")})) is TransientMailError


def test_unsubscribe_get_only_asks_and_the_one_click_post_unsubscribes(mailbox: Any) -> None:
    person = UserFactory.create(role="freelancer")
    _notify(person)
    (message,) = mailbox.wait_for(person.email)
    url = str(message["List-Unsubscribe"]).strip().strip("<>")
    path = url.removeprefix("http://localhost:8000")
    browser = Client()  # no session
    # a GET (a link scanner) changes nothing
    page = browser.get(path)
    assert page.status_code == 200 and b"Unsubscribe from these mails?" in page.content
    assert b'method="post"' in page.content
    assert not NotificationPreference.objects.filter(user=person).exists()
    # the mail client's one-click POST, no CSRF token, no cookie
    done = Client(enforce_csrf_checks=True).post(
        path, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert done.status_code == 200 and b"You are unsubscribed" in done.content
    assert b"/settings/notifications" in done.content
    pref = NotificationPreference.objects.get(user=person)
    assert (pref.kind, pref.channel, pref.enabled) == ("approved", "email", False)
    # it holds: the next approval is in the app only
    _notify(person, key="next")
    assert Notification.objects.filter(recipient=person).count() == 2 and OutboundEmail.objects.count() == 1
    # the same link again is fine; a changed one is refused and changes nothing
    assert Client().post(path).status_code == 200
    assert browser.get(path[:-3] + "xyz").status_code == 400
    assert browser.post(path[:-3] + "xyz").status_code == 400
    # The mail's link names this person and this kind (its signature carries the second it was made, so the link
    # is compared by what it says, not byte for byte).
    assert url.startswith(unsubscribe_url(user_id=person.pk, kind="approved").rsplit("/", 1)[0] + "/")
    assert unsubscribe_read(url.rsplit("/", 1)[1]) == (person.pk, "approved")


def test_the_daily_digest_lists_new_projects_once_a_day(mailbox: Any) -> None:
    project = published_project(items=2)
    AuditEvent.objects.create(action="project.publish", target_type="project", target_id=str(project.pk))
    people = [UserFactory.create(role="freelancer") for _ in range(3)]
    NotificationPreference.objects.create(user=people[2], kind="project_digest", channel="email", enabled=False)
    now = timezone.now()
    # batches of two: the first batch says where to go on
    last = project_digests_send(after_id=0, limit=2, now=now)
    assert last is not None
    assert project_digests_send(after_id=last, limit=2, now=now) is None
    for person in people[:2]:
        (message,) = mailbox.wait_for(person.email)
        assert project.title in text_of(message) and project.title in html_of(message)
    assert mailbox.to(people[2].email) == []
    # again the same day: nothing new
    project_digests_send(after_id=0, limit=10, now=now)
    assert OutboundEmail.objects.count() == 2
    # the next day, no project was published since: no mail
    project_digests_send(after_id=0, limit=10, now=now + timedelta(days=1))
    assert OutboundEmail.objects.count() == 2
