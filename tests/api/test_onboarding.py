"""Onboarding: the short profile a new freelancer completes, and the gate it opens (marketplace and claims)."""

from __future__ import annotations

from typing import Any

import pytest

from annotations.models import AuditEvent, Contribution, FreelancerProfile, User
from tests.api.test_auth import error
from tests.factories import UserFactory, published_project

pytestmark = pytest.mark.django_db

EVERYTHING = ["display_name", "languages", "skills", "modalities", "country", "time_zone", "training_terms"]
TERMS = {
    "ai_training": "allowed",
    "ai_generative_training": "notAllowed",
    "data_mining": "constrained",
    "ai_inference": "notAllowed",
}
COMPLETE: dict[str, Any] = {
    "display_name": "Nia Newcomer",
    "languages": ["en", "pt-br"],
    "skills": ["illustration", " ink "],
    "modalities": ["image", "text"],
    "country": "pt",
    "time_zone": "Europe/Lisbon",
    "training_terms": TERMS,
}


@pytest.fixture
def newcomer() -> Any:
    """As sign-up makes one: a freelancer with an empty profile that has not completed onboarding."""
    return UserFactory(role="freelancer", onboarded=False)


def _profile_row(user: Any) -> dict[str, Any]:
    p = FreelancerProfile.objects.get(user=user)
    return {
        "display_name": User.objects.get(pk=user.pk).display_name,
        "languages": p.languages,
        "skills": p.skills,
        "modalities": p.modalities,
        "country": p.country,
        "time_zone": p.time_zone,
        "training_terms": p.training_terms,
        "onboarded_at": p.onboarded_at,
    }


def test_a_newcomer_sees_everything_missing_on_me_session_and_profile(client_for, newcomer) -> None:
    c = client_for(newcomer)
    assert c.get("/api/v1/me").json()["onboarding_missing"] == EVERYTHING
    assert c.get("/api/v1/auth/session").json()["user"]["onboarding_missing"] == EVERYTHING
    assert c.get("/api/v1/me/profile").json()["onboarding"] == {
        "complete": False,
        "missing": EVERYTHING,
        "completed_at": None,
    }


def test_onboarded_freelancers_and_staff_have_nothing_missing(request, client_for, freelancer) -> None:
    for user in (freelancer, request.getfixturevalue("admin"), request.getfixturevalue("reviewer")):
        assert client_for(user).get("/api/v1/me").json()["onboarding_missing"] == []


def test_onboarding_missing_costs_at_most_one_query(newcomer, freelancer, django_assert_max_num_queries) -> None:
    from annotations.selectors.accounts import onboarding_missing

    for user in (newcomer, freelancer):
        fresh = User.objects.get(pk=user.pk)
        with django_assert_max_num_queries(1):
            onboarding_missing(fresh)


def test_an_empty_body_lists_every_field_in_one_error_and_saves_nothing(client_for, newcomer) -> None:
    before = _profile_row(newcomer)
    err = error(client_for(newcomer).post("/api/v1/me/onboarding", {}, format="json"), 400, "invalid")
    assert sorted({name.split(".")[0] for name in err["fields"]}) == sorted(EVERYTHING)
    assert set(err["fields"]) >= {f"training_terms.{use}" for use in TERMS}
    assert err["message"] == f"Missing or invalid: {', '.join(EVERYTHING)}."
    assert _profile_row(newcomer) == before


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, ["time_zone"]),
        ({"time_zone": "europe/lisbon"}, ["time_zone"]),
        ({"country": "XX"}, ["country"]),
        ({"country": "P1"}, ["country"]),
        ({"languages": ["english"]}, ["languages"]),
        ({"languages": ["xx"]}, ["languages"]),
        ({"languages": ["en-QQ"]}, ["languages"]),
        ({"languages": []}, ["languages"]),
        ({"skills": [" "]}, ["skills.0"]),
        ({"modalities": []}, ["modalities"]),
        ({"display_name": "  "}, ["display_name"]),
        # Keeping the defaults is not a choice: every use must be chosen.
        ({"training_terms": {"ai_training": "allowed"}}, [f"training_terms.{u}" for u in list(TERMS)[1:]]),
        ({"training_terms": {**TERMS, "ai_training": "maybe"}}, ["training_terms.ai_training"]),
        ({"training_terms": {**TERMS, "resale": "allowed"}}, ["training_terms.resale"]),
        (
            {"time_zone": "Nowhere/Else", "country": "ZZ", "languages": ["??"]},
            ["country", "languages", "time_zone"],
        ),
    ],
)
def test_invalid_answers_are_each_named_and_nothing_is_saved(client_for, newcomer, change, fields) -> None:
    before = _profile_row(newcomer)
    response = client_for(newcomer).post("/api/v1/me/onboarding", {**COMPLETE, **change}, format="json")
    err = error(response, 400, "invalid")
    assert sorted(err["fields"]) == sorted(fields)
    assert _profile_row(newcomer) == before
    assert not AuditEvent.objects.filter(action="freelancer.onboarded").exists()


def test_unknown_fields_are_refused(client_for, newcomer) -> None:
    error(
        client_for(newcomer).post("/api/v1/me/onboarding", {**COMPLETE, "age": 30}, format="json"),
        400,
        "unknown_fields",
    )
    assert FreelancerProfile.objects.get(user=newcomer).onboarded_at is None


def test_the_gate_holds_until_onboarding_is_complete_then_opens(client_for, newcomer, org) -> None:
    project = published_project(organization=org)
    c = client_for(newcomer)
    for response in (c.get("/api/v1/marketplace"), c.post(f"/api/v1/projects/{project.pk}/claim")):
        err = error(response, 403, "onboarding_incomplete")
        assert list(err["fields"]) == EVERYTHING
        assert "display_name, languages, skills, modalities, country, time_zone, training_terms" in err["message"]
    assert not Contribution.objects.filter(freelancer=newcomer).exists()

    done = c.post("/api/v1/me/onboarding", COMPLETE, format="json")
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["onboarding"]["complete"] is True and body["onboarding"]["missing"] == []
    assert body["onboarding"]["completed_at"] is not None
    assert (body["display_name"], body["languages"], body["skills"]) == (
        "Nia Newcomer",
        ["en", "pt-BR"],
        ["illustration", "ink"],
    )
    assert (body["country"], body["time_zone"], body["training_terms"]) == ("PT", "Europe/Lisbon", TERMS)
    assert c.get("/api/v1/me").json()["onboarding_missing"] == []
    assert [p["id"] for p in c.get("/api/v1/marketplace").json()["results"]] == [project.pk]
    assert c.post(f"/api/v1/projects/{project.pk}/claim").status_code == 201
    assert AuditEvent.objects.filter(action="freelancer.onboarded", actor=newcomer).count() == 1


def test_a_partly_filled_profile_names_only_what_is_left(client_for, newcomer) -> None:
    c = client_for(newcomer)
    assert c.patch("/api/v1/me/profile", {"display_name": "Nia", "country": "BR"}, format="json").status_code == 200
    expected = ["languages", "skills", "modalities", "time_zone", "training_terms"]
    assert c.get("/api/v1/me").json()["onboarding_missing"] == expected
    err = error(c.get("/api/v1/marketplace"), 403, "onboarding_incomplete")
    assert list(err["fields"]) == expected


def test_filling_the_profile_form_completely_also_completes_onboarding(client_for, newcomer) -> None:
    c = client_for(newcomer)
    response = c.patch("/api/v1/me/profile", COMPLETE, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["onboarding"]["complete"] is True
    assert c.get("/api/v1/marketplace").status_code == 200


def test_sending_onboarding_again_changes_answers_and_keeps_the_completion_time(client_for, newcomer) -> None:
    c = client_for(newcomer)
    first = c.post("/api/v1/me/onboarding", COMPLETE, format="json").json()["onboarding"]["completed_at"]
    again = c.post("/api/v1/me/onboarding", {**COMPLETE, "time_zone": "America/Sao_Paulo"}, format="json").json()
    assert again["time_zone"] == "America/Sao_Paulo" and again["onboarding"]["completed_at"] == first


@pytest.mark.parametrize(
    ("field", "empty"),
    [
        ("display_name", ""),
        ("languages", []),
        ("skills", []),
        ("modalities", []),
        ("country", ""),
        ("time_zone", ""),
    ],
)
def test_once_onboarded_a_required_field_cannot_be_emptied(client_for, newcomer, field, empty) -> None:
    c = client_for(newcomer)
    c.post("/api/v1/me/onboarding", COMPLETE, format="json")
    before = _profile_row(newcomer)
    err = error(c.patch("/api/v1/me/profile", {field: empty}, format="json"), 400, "invalid")
    assert list(err["fields"]) == [field]
    assert _profile_row(newcomer) == before
    changed = c.patch("/api/v1/me/profile", {"languages": ["fr"], "time_zone": "Asia/Tokyo"}, format="json")
    assert (changed.json()["languages"], changed.json()["time_zone"]) == (["fr"], "Asia/Tokyo")


def test_profile_edits_validate_languages_and_time_zone(client_for, freelancer) -> None:
    c = client_for(freelancer)
    body = {"languages": ["en", "nope!"], "time_zone": "UTC+1"}
    err = error(c.patch("/api/v1/me/profile", body, format="json"), 400, "invalid")
    assert sorted(err["fields"]) == ["languages", "time_zone"]
    assert FreelancerProfile.objects.get(user=freelancer).languages == []


def test_a_freelancer_without_any_profile_row_is_gated_too(client_for) -> None:
    """Made outside sign-up and the factories (a shell, a script): no row is not onboarded."""
    bare: Any = UserFactory(role="freelancer", onboarded=False)
    FreelancerProfile.objects.filter(user=bare).delete()
    bare = User.objects.get(pk=bare.pk)
    c = client_for(bare)
    assert c.get("/api/v1/me").json()["onboarding_missing"] == EVERYTHING
    error(c.get("/api/v1/marketplace"), 403, "onboarding_incomplete")
    assert c.post("/api/v1/me/onboarding", COMPLETE, format="json").status_code == 200
    assert c.get("/api/v1/marketplace").status_code == 200


@pytest.mark.parametrize("who", ["admin", "reviewer"])
def test_staff_are_not_onboarded_and_cannot_send_onboarding(request, client_for, who) -> None:
    staff = request.getfixturevalue(who)
    c = client_for(staff)
    error(c.post("/api/v1/me/onboarding", COMPLETE, format="json"), 403, "permission_denied")
    assert not FreelancerProfile.objects.filter(user=staff).exists()
    # The marketplace was never theirs: the same refusal as before onboarding existed.
    error(c.get("/api/v1/marketplace"), 403, "permission_denied")


def test_sign_up_makes_a_gated_freelancer(client) -> None:
    """Open sign-up (allauth) gives an empty profile that has not completed onboarding."""
    from annotations.services.accounts import freelancer_signed_up

    user: Any = UserFactory(role="freelancer", onboarded=False)
    FreelancerProfile.objects.filter(user=user).delete()
    freelancer_signed_up(user=user, terms_version="2026-01", client_ip=None)
    assert FreelancerProfile.objects.get(user=user).onboarded_at is None
