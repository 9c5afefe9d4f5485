"""A new freelancer whose browser speaks Spanish, on a 390x844 phone: signs up, reads the code in a Spanish mail,
fills in the profile, completes a task and sees the approved pay in the earnings, in Spanish with Spanish number
formats. Labels are read from the shipped Spanish catalogues, so the test fails if a page shows English (or
anything but the catalogue's words) where Spanish belongs. Every page on the way is photographed and checked with
axe."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import translation

from annotations.models import Contribution, FreelancerProfile, User
from annotations.services.review import review_decide
from tests.conftest import ROOT
from tests.datasets_support import with_media_bytes
from tests.e2e import test_journey as journey
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_journey import PHONE
from tests.factories import published_project
from tests.smtp import code_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "lucia.fernandez@example.org"
PASSWORD = "colibríes sobre el mercado 7"
FIELDS = cast(list[dict[str, Any]], journey.SPEC["fields"])
SPEC = {**journey.SPEC, "fields": [f for f in FIELDS if f["key"] != "mood"]}  # intent, notes and drafts


@cache
def catalogue(ns: str) -> dict[str, str]:
    data: dict[str, str] = json.loads((ROOT / "frontend/src/i18n/locales/es" / f"{ns}.json").read_text())
    return data


def es(ns: str, key: str, **values: str) -> str:
    """The Spanish message, its placeholders filled and its tags (<a>…</a>) reduced to their text."""
    message = catalogue(ns)[key]
    for name, value in values.items():
        message = message.replace("{" + name + "}", value)
    return re.sub(r"</?\w+>", "", message)


def shoot(page: Any, screenshots: Path, name: str) -> None:
    """The page as it is now: photographed, fitting the phone, and free of WCAG A/AA violations in Spanish too."""
    page.wait_for_timeout(150)
    assert_accessible(page, f"es-{name}")
    page.screenshot(path=screenshots / f"es-{name}-phone.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways on a phone: {width}px"


def test_a_spanish_speaker_on_a_phone_signs_up_works_and_sees_the_pay(
    browser: Any, live_server: Any, built_frontend: Path, demo_data: dict[str, int], screenshots: Path, mailbox: Any
) -> None:
    admin = User.objects.get(username="admin")
    project = with_media_bytes(
        published_project(
            items=2,
            organization=admin.organization,
            output_spec=SPEC,
            title="Puerto al anochecer",
            pay_amount_minor=650,
            pay_currency="USD",
        )
    )
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, locale="es-MX", is_mobile=True, has_touch=True
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # --- Sign up in Spanish; the verification mail comes in Spanish -------------------------------------------
    page.goto("/signup")
    page.get_by_role("heading", name=es("account", "signup.title")).wait_for()
    assert page.evaluate("document.documentElement.lang") == "es"
    shoot(page, screenshots, "signup")
    page.get_by_label(es("account", "email.label")).fill(EMAIL)
    page.get_by_label(es("account", "signup.password"), exact=True).fill(PASSWORD)
    page.get_by_role("checkbox", name=es("account", "signup.accept")).check()
    page.get_by_role("button", name=es("account", "signup.submit")).click()
    page.wait_for_url(re.compile(r"/verify-email"))
    shoot(page, screenshots, "verify-email")
    (message,) = mailbox.wait_for(EMAIL)
    with translation.override("es"):
        subject = translation.gettext("Your verification code")
    assert subject != "Your verification code" and subject in message["Subject"], message["Subject"]
    page.get_by_label(es("account", "verify.code")).fill(code_in(message))
    page.get_by_role("button", name=es("account", "code.verify")).click()

    # --- The profile ------------------------------------------------------------------------------------------
    page.wait_for_url(re.compile(r"/onboarding$"))
    lucia = User.objects.get(email__iexact=EMAIL)
    assert lucia.language == "es"  # the language of the sign-up: later mail follows it
    shoot(page, screenshots, "onboarding")
    form = page.get_by_role("form", name=es("account", "onboarding.form"))
    form.get_by_label(es("account", "onboarding.displayName")).fill("Lucía Fernández")
    languages = form.get_by_role("combobox", name=es("account", "onboarding.languages.label"))
    languages.fill("es")
    languages.press("Enter")
    form.get_by_role("button", name=es("account", "onboarding.next")).click()
    form.get_by_role("textbox", name=es("account", "onboarding.skills.label"), exact=True).fill("ilustración, color")
    form.get_by_role("checkbox", name=es("account", "modality.image")).check()
    form.get_by_role("button", name=es("account", "onboarding.next")).click()
    form.get_by_label(es("account", "onboarding.country.label")).select_option("MX")
    form.get_by_label(es("account", "onboarding.zone.label")).select_option("America/Mexico_City")
    form.get_by_role("button", name=es("account", "onboarding.next")).click()
    for use in ("ai_training", "ai_generative_training", "data_mining", "ai_inference"):
        group = form.get_by_role("group", name=es("account", f"onboarding.use.{use}.title"))
        group.get_by_role("radio", name=es("account", "onboarding.choice.allowed"), exact=True).check()
    page.get_by_role("status").filter(has_text=es("account", "onboarding.missing.none")).wait_for()
    form.get_by_role("button", name=es("account", "onboarding.submit")).click()
    page.wait_for_url(re.compile(r"/tasks$"))
    assert FreelancerProfile.objects.get(user=lucia).onboarded_at is not None

    # --- A task, from the marketplace to submission -----------------------------------------------------------
    card = page.locator("article", has_text=project.title).first
    card.wait_for()
    shoot(page, screenshots, "tasks")
    card.get_by_role("button", name=es("freelancer", "tasks.card.startNext")).click()
    page.wait_for_url(re.compile(r"/work/\d+$"))
    work = Contribution.objects.get(pk=int(page.url.rsplit("/", 1)[1]))
    page.get_by_label(re.compile("^" + re.escape(es("work", "workspace.intent")[:10]))).fill(
        "Un puerto tranquilo, no vacío: la última barca que vuelve."
    )
    page.get_by_label(es("work", "notes.new")).fill("Las lámparas cálidas contra la hora azul evitan la tristeza.")
    page.get_by_role("button", name=es("work", "notes.add")).click()
    page.get_by_label(es("work", "drafts.form.text")).fill("Barca a la izquierda, lámparas encendidas, agua quieta.")
    page.get_by_label(es("work", "drafts.form.changed")).fill("Primera composición")
    page.get_by_role("button", name=re.compile("^" + re.escape(es("work", "drafts.form.save")))).click()
    page.locator(".draft-timeline li", has_text="Primera composición").wait_for()
    page.get_by_test_id("save-state").filter(has_text=es("work", "save.saved")).wait_for(timeout=20_000)
    shoot(page, screenshots, "workspace")
    page.get_by_label(re.compile("^" + re.escape(es("work", "submit.attest")[:20]))).check()
    page.get_by_role("button", name=es("work", "submit.button")).click()
    page.locator(".badge", has_text=es("common", "status.submitted")).first.wait_for()
    assert Contribution.objects.get(pk=work.pk).state == "submitted"
    shoot(page, screenshots, "submitted")

    # --- Approved: the pay shows in the earnings, the Spanish way ----------------------------------------------
    review_decide(actor=User.objects.get(username="reviewer"), contribution_id=work.pk, decision="approve")
    page.goto("/earnings")
    page.get_by_role("heading", name=es("freelancer", "earnings.title")).wait_for()
    page.get_by_text("6,50\u00a0US$").first.wait_for()
    with translation.override("es"):
        memo = translation.gettext("%(project)s: approved work on %(item)s") % {
            "project": project.title,
            "item": work.task.item.external_id,
        }
    assert memo.startswith(f"{project.title}: trabajo"), memo
    page.get_by_text(memo).first.wait_for()
    shoot(page, screenshots, "earnings")
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"
