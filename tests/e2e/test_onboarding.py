"""A new freelancer (empty profile, not onboarded) logs in, is sent to the onboarding form, sees what is missing,
completes it step by step and lands on the marketplace with work listed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from annotations.models import FreelancerProfile
from tests.factories import PASSWORD, UserFactory, published_project

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, username: str) -> None:
    """Through allauth's headless browser API, in the page's own cookie jar (the console's login form does this)."""
    token = page.request.get("/api/v1/auth/csrf").json()["csrf_token"]
    answer = page.request.post(
        "/_allauth/browser/v1/auth/login",
        data={"username": username, "password": PASSWORD},
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert answer.status == 200, answer.text()


def test_a_new_freelancer_completes_onboarding_and_reaches_the_marketplace(page: Any, screenshots: Path) -> None:
    newcomer: Any = UserFactory(username="newcomer", role="freelancer", onboarded=False)
    project = published_project(title="Storyboard frames")
    sign_in(page, "newcomer")

    page.goto("/tasks")
    page.wait_for_url(re.compile(r"/onboarding$"))
    missing = page.get_by_test_id("missing-list")
    for label in ("Your name", "At least one language", "At least one skill", "Your country"):
        missing.get_by_role("button", name=label).wait_for()

    form = page.get_by_role("form", name="Your profile")
    form.get_by_label("Display name").fill("Nia Newcomer")
    languages = form.get_by_role("combobox", name="Languages you work in")
    languages.fill("Portu")
    page.get_by_role("option", name=re.compile("^Portuguese pt$")).click()
    languages.fill("en-gb")
    languages.press("Enter")
    form.get_by_role("button", name="Remove Portuguese").wait_for()
    assert missing.get_by_role("button", name="Your name").count() == 0
    page.screenshot(path=screenshots / "onboarding-step1.png", full_page=True)
    form.get_by_role("button", name="Next").click()

    form.get_by_role("textbox", name="Skills", exact=True).fill("illustration, storyboards")
    form.get_by_role("button", name="Remove storyboards").wait_for()
    form.get_by_role("checkbox", name="Images").check()
    form.get_by_role("button", name="Next").click()

    form.get_by_label("Country").select_option("PT")
    form.get_by_label("Time zone").select_option("Europe/Lisbon")
    form.get_by_role("button", name="Next").click()

    for use, choice in (
        ("Training AI models", "Allowed"),
        ("Training generative AI", "Not allowed"),
        ("Text and data mining", "Only under the project's licence conditions"),
        ("Input to AI while it works", "Not allowed"),
    ):
        group = form.get_by_role("group", name=use)
        assert group.get_by_role("radio", checked=True).count() == 0  # nothing is preselected
        group.get_by_role("radio", name=choice, exact=True).check()
    page.get_by_role("status").filter(has_text="you are ready").wait_for()
    page.screenshot(path=screenshots / "onboarding-terms.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=screenshots / "onboarding-terms-phone.png", full_page=True)
    page.set_viewport_size({"width": 1360, "height": 900})

    form.get_by_role("button", name="Open the marketplace").click()
    page.wait_for_url(re.compile(r"/tasks$"))
    page.get_by_role("heading", name=project.title).wait_for()
    page.screenshot(path=screenshots / "onboarding-marketplace.png", full_page=True)

    profile = FreelancerProfile.objects.get(user=newcomer)
    assert profile.onboarded_at is not None
    assert (profile.languages, profile.country, profile.time_zone) == (["pt", "en-GB"], "PT", "Europe/Lisbon")
    assert profile.skills == ["illustration", "storyboards"] and profile.modalities == ["image"]
    assert profile.training_terms == {
        "ai_training": "allowed",
        "ai_generative_training": "notAllowed",
        "data_mining": "constrained",
        "ai_inference": "notAllowed",
    }


def test_a_new_freelancer_on_a_phone_sees_the_missing_list_first(page: Any, screenshots: Path) -> None:
    UserFactory(username="phone", role="freelancer", onboarded=False)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "phone")
    page.goto("/earnings")
    page.wait_for_url(re.compile(r"/onboarding$"))
    page.get_by_test_id("missing-list").wait_for()
    page.screenshot(path=screenshots / "onboarding-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width}px"

    # The profile stays reachable before onboarding, with the new fields.
    page.goto("/profile")
    page.get_by_label("Time zone").wait_for()
    page.get_by_label("Languages (language tags, comma separated)").fill("en, pt-br")
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Saved.").wait_for()
    assert FreelancerProfile.objects.get(user__username="phone").languages == ["en", "pt-BR"]
    page.screenshot(path=screenshots / "profile-phone.png", full_page=True)
    page.set_viewport_size({"width": 1360, "height": 900})
    page.screenshot(path=screenshots / "profile.png", full_page=True)
