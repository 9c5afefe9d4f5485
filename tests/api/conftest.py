"""The world the authorization matrix and the audit test meet: one organization's published project with approved
and claimed work, a built dataset, a webhook endpoint and a delivery, a gold item, a public portfolio, a payout, and
API tokens with every scope and lacking each one."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import MediaFile, Notification, PayoutMethod
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from annotations.services.exams import ExamFields, exam_attempt_start, exam_create
from annotations.services.invitations import invitation_create
from annotations.services.payouts import payout_request
from annotations.services.portfolio import portfolio_publish
from annotations.services.quality import gold_item_set
from annotations.services.tokens import api_token_create
from annotations.services.webhooks import endpoint_create, webhook_test
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import OrganizationFactory, UserFactory, published_project

CALLERS = ("anonymous", "owner", "stranger", "reviewer", "admin", "other_admin", "operator", "token", "token_without")
SCOPES = ("projects:read", "projects:write", "export:read")


@pytest.fixture
def world(org: Any, settings: Any) -> dict[str, Any]:
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    admin: Any = UserFactory(role="admin", organization=org)
    reviewer: Any = UserFactory(role="reviewer", organization=org)
    owner: Any = UserFactory(role="freelancer")
    people = {
        "owner": owner,
        "stranger": UserFactory(role="freelancer"),
        "reviewer": reviewer,
        "admin": admin,
        "other_admin": UserFactory(role="admin", organization=OrganizationFactory()),
        "operator": UserFactory(role="admin", organization=OrganizationFactory(), is_staff=True),
    }
    project = with_media_bytes(
        published_project(items=4, replicas=2, organization=org, output_spec=SPEC, rubric=RUBRIC)
    )
    approved = approved_work(project, reviewer, 1, freelancer=owner)
    clients = {name: APIClient() for name in CALLERS}
    for name, user in people.items():
        clients[name].force_login(user)
    claimed = clients["owner"].post(f"/api/v1/projects/{project.pk}/claim")
    assert claimed.status_code == 201, claimed.json()
    dataset = dataset_create(
        actor=admin, fields=DatasetFields(name="Matrix", project_ids=[project.pk], formats=["jsonl"])
    )
    build_here(version_build(actor=admin, dataset=dataset))
    endpoint = endpoint_create(actor=admin, url="http://127.0.0.1:9/hook", events=["contribution.approved"])
    delivery = webhook_test(actor=admin, endpoint_id=endpoint.pk)
    gold = gold_item_set(actor=admin, project_id=project.pk, contribution_id=approved.pk)
    exam = exam_create(actor=admin, fields=ExamFields(title="Matrix exam", item_ids=[gold.item_id]))
    published_project(items=1, organization=org, required_exam=exam)  # freelancers see exams published work needs
    attempt, _ = exam_attempt_start(actor=owner, exam_id=exam.pk)
    portfolio_publish(actor=owner, public=True)
    payout = payout_request(freelancer_id=owner.pk, currency=project.pay_currency, minimum_minor=1)
    assert payout is not None
    method = PayoutMethod.objects.create(
        freelancer=owner,
        rail="sandbox",
        receiver="owner.pay@example.org",
        account_name=owner.shown_name,
        country="PT",
        currency="EUR",
        review="held",
        hold_until=timezone.now(),
    )
    full = api_token_create(user=admin, name="all", scopes=list(SCOPES), expires_in_days=1)
    clients["token"].credentials(HTTP_AUTHORIZATION=f"Bearer {full.raw}")
    lacking = {
        scope: api_token_create(
            user=admin, name=f"no {scope}", scopes=[s for s in SCOPES if s != scope], expires_in_days=1
        ).raw
        for scope in SCOPES
    }
    invitation = invitation_create(actor=admin, email="invitee@example.test", role="reviewer")
    ids = {
        "project": project.pk,
        "contribution": claimed.json()["id"],
        "approved": approved.pk,
        "draft": approved.drafts.order_by("sequence").values_list("pk", flat=True)[0],
        "dataset": dataset.pk,
        "endpoint": endpoint.pk,
        "delivery": delivery.pk,
        "gold_item": gold.item_id,
        "file": MediaFile.objects.filter(project=project).values_list("pk", flat=True)[0],
        "portfolio": owner.freelancer_profile.portfolio_token,
        "payout": payout.pk,
        "payout_method": method.pk,
        "token": full.token.pk,
        "media": "not-a-signed-link",
        "invitation": invitation.invitation.pk,
        "invite": invitation.token,
        "member": reviewer.pk,
        "notification": Notification.objects.filter(recipient=owner).values_list("pk", flat=True)[0],
        "exam": exam.pk,
        "attempt": attempt.pk,
    }
    users = {name: user.pk for name, user in people.items()}
    return {"clients": clients, "ids": ids, "lacking": lacking, "users": users}
