"""Contributor credit: the portfolio of accepted work and the versions that hold it, credit by a chosen name in
later data cards (pseudonymous by default), and a public link the freelancer turns on and off."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.services.datasets import DatasetFields, dataset_create, version_build
from tests.api.test_auth import error
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, with_media_bytes
from tests.factories import UserFactory, published_project

pytestmark = pytest.mark.django_db


def test_portfolio_credit_and_public_link(client_for, admin, reviewer, org) -> None:
    project = with_media_bytes(published_project(items=3, organization=org, output_spec=SPEC, rubric=RUBRIC))
    fay: Any = UserFactory(role="freelancer", display_name="Fay")
    other: Any = UserFactory(role="freelancer")
    mine = approved_work(project, reviewer, 1, freelancer=fay)
    approved_work(project, reviewer, 2, freelancer=other)
    dataset = dataset_create(actor=admin, fields=DatasetFields(name="Harbour", project_ids=[project.pk]))
    v1 = build_here(version_build(actor=admin, dataset=dataset))
    assert v1.card["credits"] == [] and "chose to stay pseudonymous" in v1.card_markdown

    c = client_for(fay)
    portfolio = c.get("/api/v1/me/portfolio").json()
    assert [w["id"] for w in portfolio["contributions"]] == [mine.pk]
    work = portfolio["contributions"][0]
    assert [d["sequence"] for d in work["drafts"]] == [1, 2] and work["intent"] == mine.intent
    assert work["in_datasets"] == [{"dataset_id": dataset.pk, "name": "Harbour", "version": 1}]
    assert portfolio["datasets"] == [{"id": dataset.pk, "name": "Harbour", "credit_name": None}]
    assert portfolio["public_token"] is None

    error(c.put("/api/v1/me/credits/999999", {"name": "Fay F."}, format="json"), 404, "not_found")
    error(c.put(f"/api/v1/me/credits/{dataset.pk}", {"name": "   "}, format="json"), 400, "invalid")
    named = c.put(f"/api/v1/me/credits/{dataset.pk}", {"name": "Fay  Fontaine"}, format="json").json()
    assert named["datasets"][0]["credit_name"] == "Fay Fontaine"
    v2 = build_here(version_build(actor=admin, dataset=dataset))
    assert v2.card["credits"] == ["Fay Fontaine"] and "Made by Fay Fontaine" in v2.card_markdown

    anonymous = APIClient()
    token = c.post("/api/v1/me/portfolio/public", {"public": True}, format="json").json()["public_token"]
    shown = anonymous.get(f"/api/v1/portfolios/{token}")
    assert shown.status_code == 200 and [w["id"] for w in shown.json()["contributions"]] == [mine.pk]
    assert shown.json()["datasets"] == [] and "email" not in str(shown.json())
    c.post("/api/v1/me/portfolio/public", {"public": False}, format="json")
    error(anonymous.get(f"/api/v1/portfolios/{token}"), 404, "not_found")
    error(
        client_for(reviewer).post("/api/v1/me/portfolio/public", {"public": True}, format="json"),
        403,
        "permission_denied",
    )
