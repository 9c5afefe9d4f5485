"""A freelancer sees a required exam on a project card, fails it once (the retry time shows), passes it after the
delay, and then claims a task of the project."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from annotations.domain.output_spec import parse as parse_spec
from annotations.domain.quality import comparable
from annotations.models import Contribution, ExamAttempt, GoldItem, Project, QualificationExam, User
from annotations.selectors.work import marketplace_for
from annotations.services.exams import ExamFields, exam_create
from annotations.services.quality import gold_item_set

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any, username: str) -> None:
    """Sign in through a Django session cookie (the browser sign-in form is not what these tests are about)."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    host = urlsplit(live_server.url).hostname
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )


def _shoot(page: Any, path: Path) -> None:
    page.set_viewport_size({"width": 1360, "height": 900})
    page.screenshot(path=path.with_name(path.stem + "-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(200)
    page.screenshot(path=path.with_name(path.stem + "-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1360, "height": 900})


def _answer(page: Any, gold: GoldItem, right: bool) -> None:
    for key, value in gold.answers.items():
        label = next(f.label for f in comparable(parse_spec(gold.project.output_spec)) if f.key == key)
        box = page.get_by_test_id("exam-page").get_by_label(label, exact=True).first
        box.wait_for()
        if isinstance(value, int):
            box.fill(str(value if right else (value + 3 if value <= 2 else value - 3)))
        else:
            options = box.locator("option").all_inner_texts()
            wrong = next(o for o in options if o not in ("Choose…", value))
            box.select_option(value if right else wrong)


def test_freelancer_fails_retries_passes_and_claims(
    page: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    admin = User.objects.get(username="admin")
    freelancer = User.objects.get(username="freelancer")
    project = next(
        p
        for p in marketplace_for(freelancer)
        if comparable(parse_spec(p.output_spec)) and p.organization_id == admin.organization_id
    )
    fields = comparable(parse_spec(project.output_spec))
    known = {f.key: (f.options.get("options") or ["x"])[0] if f.type == "choice" else 3 for f in fields[:1]}
    if fields[0].type == "choice" and fields[0].options.get("multiple"):
        known = {fields[0].key: [fields[0].options["options"][0]]}
    gold = gold_item_set(actor=admin, project_id=project.pk, item_id=project.items.order_by("id")[0].pk, answers=known)
    exam = exam_create(
        actor=admin, fields=ExamFields(title="Foley basics", item_ids=[gold.item_id], retry_delay_hours=2)
    )
    Project.objects.filter(pk=project.pk).update(required_exam=exam)
    _sign_in(page, live_server, "freelancer")
    page.goto("/tasks")
    card = page.locator("article", has_text=project.title).first
    notice = card.get_by_test_id("exam-notice")
    notice.get_by_text("Qualification exam required:").wait_for()
    _shoot(page, screenshots / "exam-card.png")
    notice.get_by_role("link", name="Take the exam").click()
    page.get_by_role("button", name="Start the exam").click()
    _answer(page, gold, right=False)
    _shoot(page, screenshots / "exam-page.png")
    page.get_by_role("button", name="Submit the exam").click()
    page.get_by_test_id("exam-result").get_by_text("Not passed").wait_for()
    page.get_by_text("You can retry after").wait_for()
    _shoot(page, screenshots / "exam-failed.png")
    page.goto("/tasks")
    page.locator("article", has_text=project.title).first.get_by_test_id("exam-notice").get_by_text(
        "Retry after"
    ).wait_for()
    ExamAttempt.objects.update(submitted_at=timezone.now() - timedelta(hours=3))
    page.goto(f"/exams/{exam.pk}")
    page.get_by_role("button", name="Start the exam").click()
    _answer(page, gold, right=True)
    page.get_by_role("button", name="Submit the exam").click()
    page.get_by_test_id("exam-result").get_by_text("Passed", exact=True).wait_for()
    _shoot(page, screenshots / "exam-result.png")
    assert ExamAttempt.objects.filter(exam=exam, freelancer=freelancer, passed=True).count() == 1
    page.goto("/profile")
    earned = page.get_by_test_id("earned-qualifications")
    earned.get_by_text("Foley basics").first.wait_for()
    _shoot(page, screenshots / "exam-profile.png")
    page.goto("/tasks")
    card = page.locator("article", has_text=project.title).first
    card.get_by_test_id("exam-notice").get_by_text("Passed").wait_for()
    _shoot(page, screenshots / "exam-card-passed.png")
    card.get_by_role("button", name=re.compile("Start next task|Start the revision")).click()
    page.wait_for_url(re.compile(r"/work/\d+"))
    assert Contribution.objects.filter(freelancer=freelancer, project=project).exists()


def test_admin_builds_an_exam_from_gold_items_and_requires_it(
    page: Any, live_server: Any, demo_data: dict[str, int], screenshots: Path
) -> None:
    admin = User.objects.get(username="admin")
    project = next(
        p
        for p in Project.objects.filter(organization=admin.organization).order_by("id")
        if comparable(parse_spec(p.output_spec)) and p.items.count() >= 2
    )
    Project.objects.filter(pk=project.pk).update(required_exam=None)  # the demo's Foley project requires one
    fields = comparable(parse_spec(project.output_spec))
    f = fields[0]
    value: Any = (f.options.get("options") or ["x"])[0] if f.type == "choice" else 3
    if f.type == "choice" and f.options.get("multiple"):
        value = [value]
    golds = [
        gold_item_set(actor=admin, project_id=project.pk, item_id=item.pk, answers={f.key: value})
        for item in project.items.order_by("id")[:2]
    ]
    _sign_in(page, live_server, "admin")
    page.goto(f"/projects/{project.pk}")
    panel = page.get_by_test_id("exam-panel")
    panel.get_by_text("Require a qualification exam").wait_for()
    panel.get_by_role("button", name="New exam from gold items").click()
    panel.get_by_role("button", name="Create and require").click()
    panel.locator("small.error").first.wait_for()
    assert not QualificationExam.objects.filter(title="Mix basics").exists()
    panel.get_by_label("Exam title").fill("Mix basics")
    panel.get_by_label("Exam instructions").fill("Listen with headphones.")
    for g in golds:
        panel.get_by_label(g.item.external_id).check()
    panel.get_by_label("Pass mark (%)").fill("50")
    panel.get_by_label("Retry delay (hours)").fill("0")
    _shoot(page, screenshots / "exam-panel-form.png")
    panel.get_by_role("button", name="Create and require").click()
    panel.get_by_text("Exam created and required.").wait_for()
    panel.get_by_text("Pass mark").wait_for()
    exam = QualificationExam.objects.get(title="Mix basics")
    assert str(exam.pass_mark) in ("0.5", "0.500", "0.50")
    assert exam.retry_delay_hours == 0
    project.refresh_from_db()
    assert project.required_exam_id == exam.pk
    _shoot(page, screenshots / "exam-panel.png")
    _sign_in(page, live_server, "reviewer")
    page.goto(f"/projects/{project.pk}")
    panel.get_by_text("Mix basics").wait_for()
    assert panel.get_by_role("button", name="Edit").count() == 0
    assert panel.get_by_role("button", name="Stop requiring").count() == 0
    _shoot(page, screenshots / "exam-panel-reviewer.png")
    _sign_in(page, live_server, "admin")
    page.goto(f"/projects/{project.pk}")
    panel.get_by_role("button", name="Stop requiring").click()
    panel.get_by_text("Require a qualification exam").wait_for()
    project.refresh_from_db()
    assert project.required_exam_id is None
