"""Every admin action is in the audit log: each write that an admin, a reviewer or the platform's operator can make
through the API is made here for real (it succeeds), and must leave an audit event naming who did what to which
object, in the same transaction as the change.

The routes come from the authorization matrix, so a new staff write fails here until it has a case below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from annotations.domain.manifest import import_root
from annotations.models import AuditEvent, Contribution, Invitation, Item, Payout, Project, User
from annotations.providers.storage import object_storage
from annotations.services.datasets import version_build
from annotations.services.ledger import Leg, ledger_post, payable
from annotations.services.payouts import payout_request, payout_send, sandbox_settle
from annotations.services.review import contribution_dispute, review_decide
from tests import media
from tests.api.conftest import CALLERS
from tests.api.test_authorization_matrix import MATRIX, OK
from tests.api.test_projects import VALID
from tests.datasets_support import approved_work
from tests.factories import ItemFactory, MediaFileFactory, with_totp
from tests.test_ingestion import post_file

pytestmark = pytest.mark.django_db

STAFF = ("reviewer", "admin", "operator", "token")

# Writes a staff member can make that are not actions on the organization's data, each with the reason.
NOT_ADMIN_ACTIONS = {
    ("post", "/api/v1/uploads/local"): "the bytes behind a signed upload link; the upload is audited on completion",
    ("post", "/api/v1/projects/{project}/uploads"): "a ticket to upload: nothing is added until the upload completes",
    (
        "post",
        "/api/v1/invitations/{invite}/accept",
    ): "the invitee's own acceptance (audited as invitation.accepted)",
    ("post", "/api/v1/notifications/read-all"): "one's own notifications marked read",
    ("put", "/api/v1/me/notification-preferences"): "one's own notification preferences",
    ("patch", "/api/v1/me"): "one's own language, like the notification preferences",
    ("post", "/api/v1/payouts/webhooks/paypal"): "the rail's event, recorded once by its id (RailWebhookEvent)",
    ("post", "/api/v1/payouts/webhooks/stripe"): "the rail's event, recorded once by its id (RailWebhookEvent)",
}


@dataclass
class Case:
    caller: str  # who acts: one of CALLERS
    action: str  # the audit event's action
    target_type: str
    body: Callable[[dict[str, Any]], dict[str, Any] | None] = lambda w: None
    # Puts the world in the state the action needs; returns ids to add to the path's.
    prepare: Callable[[dict[str, Any]], dict[str, Any]] = lambda w: {}
    path: str | None = None  # the path to call, where it differs from the matrix's (another object)


def _user(w: dict[str, Any], who: str) -> User:
    return User.objects.get(pk=w["users"][who])


def _project(w: dict[str, Any]) -> Project:
    return Project.objects.get(pk=w["ids"]["project"])


def _submitted(w: dict[str, Any]) -> Contribution:
    return approved_work(_project(w), _user(w, "reviewer"), 7, freelancer=_user(w, "stranger"), approve=False)


def _for_review(w: dict[str, Any]) -> dict[str, Any]:
    return {"approved": _submitted(w).pk}


def _disputed(w: dict[str, Any]) -> dict[str, Any]:
    c = _submitted(w)
    review_decide(actor=_user(w, "reviewer"), contribution_id=c.pk, decision="reject", reason="Too thin.")
    contribution_dispute(actor=_user(w, "stranger"), contribution_id=c.pk, reason="The drafts show the work.")
    return {"approved": c.pk}


def _deactivated_member(w: dict[str, Any]) -> dict[str, Any]:
    User.objects.filter(pk=w["ids"]["member"]).update(is_active=False)
    return {}


def _invitation_sent_a_while_ago(w: dict[str, Any]) -> dict[str, Any]:
    Invitation.objects.filter(pk=w["ids"]["invitation"]).update(last_sent_at=timezone.now() - timedelta(minutes=5))
    return {}


def _failed_payout(w: dict[str, Any]) -> dict[str, Any]:
    stranger = _user(w, "stranger")
    ledger_post(
        kind="earning",
        key="audit-earning",
        memo="work",
        legs=[Leg(f"project:{w['ids']['project']}:funding", -1013, "USD"), Leg(payable(stranger.pk), 1013, "USD")],
    )
    payout = payout_request(freelancer_id=stranger.pk, currency="USD", minimum_minor=1)
    assert payout is not None
    payout_send(payout_id=payout.pk)
    sandbox_settle(key=payout.idempotency_key)  # the sandbox refuses amounts ending in .13
    assert Payout.objects.get(pk=payout.pk).state == "failed"
    return {"payout": payout.pk}


def _pending_version(w: dict[str, Any]) -> dict[str, Any]:
    from annotations.models import Dataset

    version_build(actor=_user(w, "admin"), dataset=Dataset.objects.get(pk=w["ids"]["dataset"]))
    return {}


def _uploaded(w: dict[str, Any]) -> dict[str, Any]:
    png = media.png()
    client = w["clients"]["admin"]
    announced = client.post(
        f"/api/v1/projects/{w['ids']['project']}/uploads",
        {"files": [{"name": "extra.png", "size_bytes": len(png), "content_type": "image/png", "item": "extra"}]},
        format="json",
    )
    assert announced.status_code == 201, announced.json()
    ticket = announced.json()["uploads"][0]
    assert post_file(ticket, png, "image/png", Client()) in (200, 201, 204)
    return {"file_id": ticket["file_id"]}


def _timed_file(w: dict[str, Any]) -> dict[str, Any]:
    """A sound in an item nobody has started on: its offset can still be set."""
    item: Any = ItemFactory(project_id=w["ids"]["project"], external_id="unstarted")
    sound: Any = MediaFileFactory(item=item, name="room.wav", kind="audio", content_type="audio/wav")
    return {"file": sound.pk}


def _importable(w: dict[str, Any]) -> dict[str, Any]:
    project = _project(w)
    object_storage().put(import_root(project.organization.slug) + "batch/a.png", media.png(), "image/png")
    return {}


def _free_item(w: dict[str, Any]) -> int:
    return Item.objects.filter(project_id=w["ids"]["project"], gold=None).order_by("pk").values_list("pk", flat=True)[0]


CASES: dict[tuple[str, str], Case] = {
    ("post", "/api/v1/tokens"): Case(
        "admin", "token.created", "apitoken", body=lambda w: {"name": "ci", "scopes": ["projects:read"]}
    ),
    ("delete", "/api/v1/tokens/{token}"): Case("admin", "token.revoked", "apitoken"),
    ("post", "/api/v1/webhooks"): Case(
        "admin",
        "webhook.created",
        "webhookendpoint",
        body=lambda w: {"url": "http://127.0.0.1:9/other", "events": ["contribution.approved"]},
    ),
    ("delete", "/api/v1/webhooks/{endpoint}"): Case("admin", "webhook.deleted", "webhookendpoint"),
    ("post", "/api/v1/webhooks/{endpoint}/test"): Case("admin", "webhook.tested", "webhookendpoint"),
    ("post", "/api/v1/webhook-deliveries/{delivery}/redeliver"): Case(
        "admin", "webhook.redelivered", "webhookendpoint"
    ),
    ("post", "/api/v1/datasets"): Case(
        "admin",
        "dataset.created",
        "dataset",
        body=lambda w: {"name": "Another", "project_ids": [w["ids"]["project"]], "formats": ["jsonl"]},
    ),
    ("patch", "/api/v1/datasets/{dataset}"): Case(
        "admin", "dataset.updated", "dataset", body=lambda w: {"formats": ["jsonl", "parquet"]}
    ),
    ("post", "/api/v1/datasets/{dataset}/versions"): Case("admin", "dataset.version_requested", "dataset"),
    ("post", "/api/v1/datasets/{dataset}/versions/1/cancel"): Case(
        "admin",
        "dataset.version_cancelled",
        "dataset",
        prepare=_pending_version,
        path="/api/v1/datasets/{dataset}/versions/2/cancel",
    ),
    ("post", "/api/v1/projects"): Case("token", "project.created", "project", body=lambda w: dict(VALID)),
    ("patch", "/api/v1/projects/{project}"): Case(
        "admin", "project.updated", "project", body=lambda w: {"title": "Harbour studies, second round"}
    ),
    ("post", "/api/v1/projects/{project}/transitions"): Case(
        "admin", "project.pause", "project", body=lambda w: {"action": "pause"}
    ),
    ("post", "/api/v1/projects/{project}/gold"): Case(
        "admin",
        "gold.set",
        "project",
        body=lambda w: {"item_id": _free_item(w), "answers": {"mood": "calm", "quality": 4}},
    ),
    ("delete", "/api/v1/projects/{project}/gold/{gold_item}"): Case("admin", "gold.removed", "project"),
    ("patch", "/api/v1/projects/{project}/files/{file}"): Case(
        "admin", "project.file_offset", "project", prepare=_timed_file, body=lambda w: {"offset_seconds": 0.5}
    ),
    ("post", "/api/v1/projects/{project}/uploads/complete"): Case(
        "admin",
        "project.assets_uploaded",
        "project",
        prepare=_uploaded,
        body=lambda w: {"file_ids": [w["ids"]["file_id"]]},
    ),
    ("post", "/api/v1/projects/{project}/imports"): Case(
        "admin",
        "project.assets_imported",
        "project",
        prepare=_importable,
        body=lambda w: {"manifest": "key,item\nbatch/a.png,scene-9\n", "format": "csv"},
    ),
    ("post", "/api/v1/contributions/{approved}/review"): Case(
        "reviewer",
        "contribution.approve",
        "contribution",
        prepare=_for_review,
        body=lambda w: {"decision": "approve", "scores": {"craft": 3}},
    ),
    ("post", "/api/v1/contributions/{approved}/settle"): Case(
        "admin",
        "contribution.dispute_overturned",
        "contribution",
        prepare=_disputed,
        body=lambda w: {"overturn": True, "note": "The drafts show the work."},
    ),
    ("post", "/api/v1/contributions/{approved}/bonus"): Case(
        "admin",
        "contribution.bonus",
        "contribution",
        body=lambda w: {
            "amount": {"amount": "2.50", "currency": _project(w).pay_currency},
            "reason": "Beautiful drafts",
            "idempotency_key": "bonus-audit",
        },
    ),
    ("post", "/api/v1/payouts/{payout}/retry"): Case("operator", "payout.retried", "payout", prepare=_failed_payout),
    ("post", "/api/v1/payouts/gather"): Case("operator", "payout.gather_started", "payoutround"),
    ("post", "/api/v1/payout-methods/{payout_method}/release"): Case(
        "operator", "payout_method.released", "payoutmethod"
    ),
    ("post", "/api/v1/exams"): Case(
        "admin",
        "exam.created",
        "qualificationexam",
        body=lambda w: {"title": "Second exam", "item_ids": [w["ids"]["gold_item"]], "pass_mark": "0.5"},
    ),
    ("patch", "/api/v1/exams/{exam}"): Case(
        "admin", "exam.updated", "qualificationexam", body=lambda w: {"title": "Matrix exam, revised"}
    ),
    ("patch", "/api/v1/organization"): Case(
        "admin",
        "organization.updated",
        "organization",
        body=lambda w: {"require_two_factor": True},
        prepare=lambda w: {"_": with_totp(_user(w, "admin"))},
    ),
    ("patch", "/api/v1/organization/members/{member}"): Case(
        "admin", "member.role_changed", "user", body=lambda w: {"role": "admin"}
    ),
    ("post", "/api/v1/organization/members/{member}/deactivate"): Case("admin", "member.deactivated", "user"),
    ("post", "/api/v1/organization/members/{member}/reactivate"): Case(
        "admin", "member.reactivated", "user", prepare=_deactivated_member
    ),
    ("post", "/api/v1/organization/invitations"): Case(
        "admin", "invitation.created", "invitation", body=lambda w: {"email": "new@example.test", "role": "reviewer"}
    ),
    ("post", "/api/v1/organization/invitations/{invitation}/resend"): Case(
        "admin", "invitation.resent", "invitation", prepare=_invitation_sent_a_while_ago
    ),
    ("post", "/api/v1/organization/invitations/{invitation}/revoke"): Case("admin", "invitation.revoked", "invitation"),
}


def _staff_writes() -> set[tuple[str, str]]:
    return {
        (method, path)
        for method, path, _body, _scope, expected in MATRIX
        if method != "get" and any(expected[who] == OK for who in STAFF)
    }


def test_every_staff_write_has_a_case() -> None:
    writes = _staff_writes()
    assert writes - set(CASES) - set(NOT_ADMIN_ACTIONS) == set(), "staff writes without an audit case"
    assert set(CASES) <= writes and set(NOT_ADMIN_ACTIONS) <= writes, "a case for a route that is not a staff write"
    assert all(case.caller in CALLERS for case in CASES.values())


@pytest.mark.parametrize("route", sorted(CASES), ids=[f"{m.upper()} {p}" for m, p in sorted(CASES)])
def test_every_admin_action_is_audited(world: dict[str, Any], route: tuple[str, str]) -> None:
    method, matrix_path = route
    case = CASES[route]
    world["ids"].update(case.prepare(world))
    url = (case.path or matrix_path).format(**world["ids"])
    body = case.body(world)
    client = world["clients"][case.caller]
    before = set(AuditEvent.objects.values_list("pk", flat=True))

    response = getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)

    assert 200 <= response.status_code < 300, (response.status_code, response.content[:300])
    new = list(AuditEvent.objects.exclude(pk__in=before).values("actor_id", "action", "target_type", "target_id"))
    actor = world["users"]["admin"] if case.caller == "token" else world["users"][case.caller]
    matching = [e for e in new if e["action"] == case.action]
    assert matching, f"no {case.action!r} event; written: {new}"
    event = matching[0]
    assert (event["actor_id"], event["target_type"]) == (actor, case.target_type), event
    assert event["target_id"], event


def test_a_retried_bonus_is_recorded_once(world: dict[str, Any]) -> None:
    """The admin's browser sends the same bonus twice: one payment, one audit event."""
    route = ("post", "/api/v1/contributions/{approved}/bonus")
    url = route[1].format(**world["ids"])
    body = CASES[route].body(world)
    first = world["clients"]["admin"].post(url, body, format="json")
    again = world["clients"]["admin"].post(url, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert AuditEvent.objects.filter(action="contribution.bonus").count() == 1


def test_admins_read_their_organizations_log_newest_first_and_filtered(world: dict[str, Any]) -> None:
    admin, other = world["clients"]["admin"], world["clients"]["other_admin"]
    admin.post("/api/v1/webhooks/{endpoint}/test".format(**world["ids"]))
    page = admin.get("/api/v1/audit?page_size=100").json()
    actions = [e["action"] for e in page["results"]]
    assert page["count"] == len(actions) and actions[0] == "webhook.tested"  # newest first
    # The world's setup: the owner's claim (under the project's organization), the admin's dataset, webhook and gold.
    assert {"contribution.claimed", "dataset.created", "webhook.created", "gold.set"} <= set(actions)
    assert "portfolio.public" not in actions  # a freelancer's own setting is no organization's business
    assert all(e["action"].startswith("webhook.") for e in admin.get("/api/v1/audit?kind=webhook").json()["results"])
    by_owner = admin.get(f"/api/v1/audit?actor={world['users']['owner']}").json()["results"]
    assert by_owner and {e["actor"]["id"] for e in by_owner} == {world["users"]["owner"]}
    theirs = other.get("/api/v1/audit").json()
    assert theirs["count"] == 0  # another organization sees none of ours


@pytest.mark.parametrize(
    ("query", "field"), [("kind=everything", "kind"), ("actor=me", "actor"), ("kind=project&actor=-1", "actor")]
)
def test_bad_filters_are_refused(world: dict[str, Any], query: str, field: str) -> None:
    response = world["clients"]["admin"].get(f"/api/v1/audit?{query}")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_each_object_is_named_in_a_fixed_number_of_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    admin = world["clients"]["admin"]
    with django_assert_max_num_queries(12):  # session, user, count, page, and one per kind of object on it
        events = admin.get("/api/v1/audit?page_size=100").json()["results"]
    named = {(e["target_type"], e["target_label"]) for e in events}
    project = Project.objects.get(pk=world["ids"]["project"])
    assert ("project", project.title) in named  # the gold item the world set
    assert ("dataset", "Matrix") in named and ("webhookendpoint", "http://127.0.0.1:9/hook") in named
    claimed = next(e for e in events if e["action"] == "contribution.claimed" and e["target_label"])
    assert claimed["target_label"].startswith(project.title + " · ")
