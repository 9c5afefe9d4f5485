"""A freelancer's own profile."""

from __future__ import annotations

from unittest.mock import ANY

import pytest

from annotations.models import FreelancerProfile
from tests.api.test_auth import error

pytestmark = pytest.mark.django_db

TERMS = {
    "ai_training": "allowed",
    "ai_generative_training": "allowed",
    "data_mining": "allowed",
    "ai_inference": "allowed",
}
MISSING = ["display_name", "languages", "skills", "modalities", "country", "time_zone", "training_terms"]
NEW = {"approval_rate": None, "review_score": None, "gold_accuracy": None, "reviewed": 0, "gold_checked": 0}


def test_freelancer_reads_and_changes_their_profile(client_for, freelancer) -> None:
    c = client_for(freelancer)
    assert c.get("/api/v1/me/profile").json() == {
        "display_name": "",
        "skills": [],
        "modalities": [],
        "country": "",
        "languages": [],
        "time_zone": "",
        "onboarding": {"complete": True, "missing": MISSING, "completed_at": ANY},
        "payout_currency": "USD",
        "training_terms": TERMS,
        "reputation": 0.0,
        "reputation_detail": NEW,
        "earned_qualifications": [],
    }
    resp = c.patch(
        "/api/v1/me/profile",
        {
            "display_name": "Fay",
            "skills": ["ink", " foley "],
            "modalities": ["image"],
            "country": "pt",
            "payout_currency": "eur",
        },
    )
    assert resp.status_code == 200, resp.json()
    assert resp.json() == {
        "display_name": "Fay",
        "skills": ["foley", "ink"],
        "modalities": ["image"],
        "country": "PT",
        "languages": [],
        "time_zone": "",
        "onboarding": {"complete": True, "missing": ["languages", "time_zone", "training_terms"], "completed_at": ANY},
        "payout_currency": "EUR",
        "training_terms": TERMS,
        "reputation": 0.0,
        "reputation_detail": NEW,
        "earned_qualifications": [],
    }
    assert c.get("/api/v1/me").json()["display_name"] == "Fay"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"country": "Portugal"}, "country"),
        ({"payout_currency": "BTC"}, "payout_currency"),
        ({"skills": [" "]}, "skills.0"),
    ],
)
def test_bad_profile_changes_nothing(client_for, freelancer, body, field) -> None:
    err = error(client_for(freelancer).patch("/api/v1/me/profile", body), 400, "invalid")
    assert list(err["fields"]) == [field]
    assert not FreelancerProfile.objects.filter(user=freelancer).exclude(country="").exists()


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_staff_have_no_freelancer_profile(request, client_for, who) -> None:
    error(client_for(request.getfixturevalue(who)).get("/api/v1/me/profile"), 403, "permission_denied")
