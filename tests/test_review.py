"""Review and money: approve pays once, reject needs a reason and reopens the replica, revision sends the work
back with its drafts, disputes, automatic approval, fair-pay top-ups, earnings and the statement."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotations.domain.money import Money
from annotations.models import Contribution, LedgerEntry, Posting, Slot, User
from annotations.services.ledger import balance, payable
from annotations.services.review import fair_pay_top_up, overdue_reviews_approve
from tests.api.test_auth import error
from tests.factories import OrganizationFactory, UserFactory, published_project

pytestmark = pytest.mark.django_db

SPEC = {"version": 1, "fields": [{"key": "intent", "type": "intent", "label": "Intent", "required": True}]}


@pytest.fixture
def project(org: Any) -> Any:
    return published_project(items=2, replicas=1, organization=org, output_spec=SPEC)


def submitted(client_for: Any, project: Any, active_seconds: int = 900) -> tuple[Any, int]:
    fl = UserFactory(role="freelancer")
    c = client_for(fl)
    cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
    c.put(
        f"/api/v1/contributions/{cid}/work",
        {"version": 1, "intent": "A lonely lighthouse, drawn by hand.", "notes": [], "answers": {}},
        format="json",
    )
    Contribution.objects.filter(pk=cid).update(active_seconds=active_seconds)
    body = {"version": 2, "tools": [], "generative_tools_used": False, "attested": True}
    assert c.post(f"/api/v1/contributions/{cid}/submit", body, format="json").status_code == 200
    return c, cid


def review(c: Any, cid: int, decision: str, reason: str = "") -> Any:
    return c.post(f"/api/v1/contributions/{cid}/review", {"decision": decision, "reason": reason}, format="json")


def entries_balance() -> None:
    for entry in LedgerEntry.objects.prefetch_related("postings"):
        sums: dict[str, int] = {}
        for p in entry.postings.all():
            sums[p.currency] = sums.get(p.currency, 0) + p.amount_minor
        assert set(sums.values()) == {0}, entry


def test_approval_pays_once_and_the_freelancer_sees_it(client_for, reviewer, project) -> None:
    fc, cid = submitted(client_for, project)
    queue = client_for(reviewer).get("/api/v1/review/queue").json()
    assert [q["id"] for q in queue["results"]] == [cid]
    done = review(client_for(reviewer), cid, "approve")
    assert done.status_code == 200 and done.json()["state"] == "approved"
    error(review(client_for(reviewer), cid, "approve"), 409, "not_submitted")  # a retry pays nothing more
    fl = Contribution.objects.get(pk=cid).freelancer
    assert balance(payable(fl.pk), "USD") == 600
    assert Slot.objects.get(contributions=cid).state == "approved"
    entries_balance()
    earnings = fc.get("/api/v1/me/earnings").json()["currencies"]
    assert earnings == [
        {
            "currency": "USD",
            "balance": {"amount": "6.00", "currency": "USD"},
            "paid_out": {"amount": "0.00", "currency": "USD"},
            "pending": {"amount": "0.00", "currency": "USD"},
        }
    ]
    history = fc.get("/api/v1/me/earnings/history").json()["results"]
    assert [(h["kind"], h["amount"]["amount"]) for h in history] == [("earning", "6.00")]
    csv = fc.get("/api/v1/me/earnings/statement.csv")
    assert csv["Content-Type"].startswith("text/csv") and b"earning" in csv.content and b"6.00" in csv.content


def test_reject_needs_a_reason_and_reopens_the_replica(client_for, reviewer, project) -> None:
    fc, cid = submitted(client_for, project)
    assert error(review(client_for(reviewer), cid, "reject"), 400, "invalid")["fields"] == {
        "reason": ["Tell the freelancer why."]
    }
    assert review(client_for(reviewer), cid, "reject", "Traced from a photo.").json()["state"] == "rejected"
    assert Slot.objects.filter(task__project=project, state="open").count() == 2
    assert not LedgerEntry.objects.exists()
    body = fc.get(f"/api/v1/contributions/{cid}").json()
    assert body["reviews"][0]["reason"] == "Traced from a photo."


def test_revision_sends_the_work_back_and_the_resubmission_is_approved(client_for, reviewer, project) -> None:
    fc, cid = submitted(client_for, project)
    fc.post(
        f"/api/v1/contributions/{cid}/drafts",
        {"client_key": "draft-key-0001", "change_note": "x", "text": "v1"},
        format="json",
    )
    back = review(client_for(reviewer), cid, "revise", "Push the contrast in panel 2.").json()
    assert (back["state"], back["revisions"]) == ("in_progress", 1)
    mine = fc.get(f"/api/v1/contributions/{cid}").json()
    assert mine["reviews"][-1]["reason"] == "Push the contrast in panel 2." and mine["lease_expires_at"]
    saved = fc.put(
        f"/api/v1/contributions/{cid}/work",
        {"version": mine["version"], "intent": mine["intent"] + " More contrast.", "notes": [], "answers": {}},
        format="json",
    ).json()
    again = fc.post(
        f"/api/v1/contributions/{cid}/submit",
        {"version": saved["version"], "tools": [], "generative_tools_used": False, "attested": True},
        format="json",
    )
    assert again.status_code == 200
    assert review(client_for(reviewer), cid, "approve").json()["state"] == "approved"
    assert LedgerEntry.objects.filter(kind="earning").count() == 1


def test_a_rejection_can_be_disputed_once_and_an_admin_settles_it(client_for, reviewer, admin, project) -> None:
    fc, cid = submitted(client_for, project)
    review(client_for(reviewer), cid, "reject", "Too thin.")
    assert (
        fc.post(
            f"/api/v1/contributions/{cid}/dispute", {"reason": "Three drafts are attached."}, format="json"
        ).status_code
        == 200
    )
    error(fc.post(f"/api/v1/contributions/{cid}/dispute", {"reason": "Again"}, format="json"), 409, "already_disputed")
    error(
        client_for(reviewer).post(
            f"/api/v1/contributions/{cid}/settle", {"overturn": True, "note": "x"}, format="json"
        ),
        403,  # the reviewer sees the contribution; settling is an admin's: a refusal, not a 404
        "permission_denied",
    )
    settled = client_for(admin).post(
        f"/api/v1/contributions/{cid}/settle", {"overturn": True, "note": "The drafts show the work."}, format="json"
    )
    assert settled.json()["dispute_outcome"] == "overturned" and settled.json()["state"] == "approved"
    assert balance(payable(Contribution.objects.get(pk=cid).freelancer_id), "USD") == 600
    entries_balance()


def test_overdue_submissions_are_approved_automatically(client_for, project) -> None:
    _, cid = submitted(client_for, project)
    assert overdue_reviews_approve() == 0
    Contribution.objects.filter(pk=cid).update(submitted_at=timezone.now() - timedelta(hours=73))
    assert overdue_reviews_approve() == 1
    c = Contribution.objects.get(pk=cid)
    assert c.state == "approved" and c.reviews.get().automatic


def test_measured_time_at_the_minimum_rate_tops_up_the_pay(client_for, reviewer, org) -> None:
    cheap = published_project(items=1, organization=org, output_spec=SPEC, pay_amount_minor=200, estimated_minutes=10)
    fc, cid = submitted(client_for, cheap, active_seconds=30 * 60)  # 30 min measured, counted up to 1.5 x 10 = 15
    review(client_for(reviewer), cid, "approve")
    top_up = LedgerEntry.objects.get(kind="top_up")
    assert top_up.postings.get(account__startswith="freelancer").amount_minor == 175  # 15 min at $15/h = $3.75
    assert "Fair-pay top-up" in top_up.memo
    history = fc.get("/api/v1/me/earnings/history").json()["results"]
    assert sorted(h["amount"]["amount"] for h in history) == ["1.75", "2.00"]
    entries_balance()


def test_fair_pay_top_up_arithmetic() -> None:
    usd = lambda cents: Money(cents, "USD")  # noqa: E731
    assert fair_pay_top_up(pay=usd(600), estimated_minutes=15, active_seconds=15 * 60) == 0  # $24/h
    assert fair_pay_top_up(pay=usd(200), estimated_minutes=10, active_seconds=20 * 60) == 175  # 15 min cap: 3.75 - 2
    assert fair_pay_top_up(pay=usd(200), estimated_minutes=10, active_seconds=61) == 0
    assert fair_pay_top_up(pay=usd(0), estimated_minutes=10, active_seconds=1) == 1  # rounds up, never down


def test_review_access(client_for, freelancer, project) -> None:
    _, cid = submitted(client_for, project)
    error(review(client_for(freelancer), cid, "approve"), 403, "permission_denied")
    stranger = UserFactory(role="reviewer", organization=OrganizationFactory())
    error(review(client_for(stranger), cid, "approve"), 404, "not_found")
    assert client_for(stranger).get("/api/v1/review/queue").json()["count"] == 0
    error(client_for(freelancer).get("/api/v1/review/queue"), 403, "permission_denied")
    assert not Posting.objects.exists()


def test_the_queue_flags_likely_low_effort_and_copied_work(client_for, reviewer, org) -> None:
    project = published_project(items=2, organization=org)  # the default spec asks for drafts
    ids = []
    for _ in range(2):
        fl = UserFactory(role="freelancer")
        c = client_for(fl)
        cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
        body = {
            "version": 1,
            "intent": "A lonely lighthouse, drawn by hand at night.",
            "notes": [{"id": "a", "body": "b"}],
            "answers": {},
        }
        c.put(f"/api/v1/contributions/{cid}/work", body, format="json")
        c.post(
            f"/api/v1/contributions/{cid}/drafts",
            {"client_key": "copied-draft", "change_note": "x", "text": "same words"},
            format="json",
        )
        Contribution.objects.filter(pk=cid).update(active_seconds=600)
        submit = {"version": 2, "tools": [], "generative_tools_used": False, "attested": True}
        assert c.post(f"/api/v1/contributions/{cid}/submit", submit, format="json").status_code == 200
        ids.append(cid)
    rows = client_for(reviewer).get("/api/v1/review/queue").json()["results"]
    assert [r["flags"] for r in rows] == [
        [
            "A draft is byte-for-byte identical to another submission's in this project.",
            "The intent statement is word for word the same as another submission's.",
        ]
    ] * 2
    # A Spanish-speaking reviewer reads the same flags in Spanish.
    rows = client_for(reviewer).get("/api/v1/review/queue", HTTP_ACCEPT_LANGUAGE="es").json()["results"]
    assert rows[0]["flags"][0] == "Un borrador es idéntico, byte por byte, al de otra entrega de este proyecto."


def test_rubric_scores_are_checked_against_the_project(client_for, reviewer, org) -> None:
    project = published_project(
        items=1, organization=org, output_spec=SPEC, rubric=[{"key": "light", "label": "Use of light", "max": 5}]
    )
    _, cid = submitted(client_for, project)
    c = client_for(reviewer)
    bad = c.post(
        f"/api/v1/contributions/{cid}/review", {"decision": "approve", "scores": {"light": 9, "x": 1}}, format="json"
    )
    assert error(bad, 400, "invalid")["fields"] == {
        "scores.light": ["A whole number from 0 to 5."],
        "scores.x": ["The project's rubric has no such criterion."],
    }
    ok = c.post(f"/api/v1/contributions/{cid}/review", {"decision": "approve", "scores": {"light": 4}}, format="json")
    assert ok.json()["reviews"][0]["scores"] == {"light": 4}


def test_reputation_from_reviewed_work_opens_projects_that_ask_for_it(client_for, reviewer, org) -> None:
    from annotations.selectors.work import reputation

    project = published_project(items=4, organization=org, output_spec=SPEC)
    choosy = published_project(items=1, organization=org, qualifications={"min_reputation": 0.6})
    fl = UserFactory.create(role="freelancer")
    c = client_for(fl)
    for n, decision in enumerate(["approve", "approve", "reject"]):
        cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
        body = {"version": 1, "intent": "A lonely lighthouse, drawn by hand.", "notes": [], "answers": {}}
        c.put(f"/api/v1/contributions/{cid}/work", body, format="json")
        submit = {"version": 2, "tools": [], "generative_tools_used": False, "attested": True}
        assert c.post(f"/api/v1/contributions/{cid}/submit", submit, format="json").status_code == 200
        listed = [p["id"] for p in c.get("/api/v1/marketplace").json()["results"]]
        assert choosy.pk not in listed, n  # not enough reviewed work yet
        review(client_for(reviewer), cid, decision, "" if decision == "approve" else "Off brief.")
    assert reputation(fl) == pytest.approx(0.667, abs=0.001)
    assert choosy.pk in [p["id"] for p in c.get("/api/v1/marketplace").json()["results"]]
    assert c.get("/api/v1/me/profile").json()["reputation"] == pytest.approx(0.667, abs=0.001)


def test_agreement_between_replicas_is_krippendorffs_alpha(client_for, reviewer, org) -> None:
    import krippendorff
    import numpy as np

    spec = {
        "version": 1,
        "fields": [
            {"key": "intent", "type": "intent", "label": "Intent", "required": True},
            {"key": "mood", "type": "rating", "label": "Mood", "required": True, "min": 1, "max": 5},
            {"key": "tone", "type": "choice", "label": "Tone", "required": True, "options": ["warm", "cold"]},
        ],
    }
    project = published_project(items=3, replicas=2, organization=org, output_spec=spec)
    url = f"/api/v1/projects/{project.pk}/agreement"
    assert client_for(reviewer).get(url).json()[0]["note"] == "No item has two answers yet."
    given = [[(5, "warm"), (1, "cold"), (3, "warm")], [(5, "warm"), (2, "cold"), (3, "cold")]]  # two freelancers
    for answers in given:
        c = client_for(UserFactory(role="freelancer"))
        for mood, tone in answers:
            cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
            work = {
                "version": 1,
                "intent": "A lonely lighthouse, drawn by hand.",
                "notes": [],
                "answers": {"mood": mood, "tone": tone},
            }
            c.put(f"/api/v1/contributions/{cid}/work", work, format="json")
            submit = {"version": 2, "tools": [], "generative_tools_used": False, "attested": True}
            assert c.post(f"/api/v1/contributions/{cid}/submit", submit, format="json").status_code == 200
    body = client_for(reviewer).get(url).json()
    moods = np.array([[5, 1, 3], [5, 2, 3]], dtype=float)
    tones = np.array([[0, 1, 0], [0, 1, 1]], dtype=float)
    assert [(r["key"], r["items_compared"]) for r in body] == [("mood", 3), ("tone", 3)]
    assert body[0]["alpha"] == round(krippendorff.alpha(reliability_data=moods, level_of_measurement="interval"), 3)
    assert body[1]["alpha"] == round(krippendorff.alpha(reliability_data=tones, level_of_measurement="nominal"), 3)
    assert body[0]["note"] == "reliable" and body[1]["note"] == "low agreement"
    error(client_for(UserFactory(role="freelancer")).get(url), 403, "permission_denied")


def test_a_bonus_on_approved_work_is_paid_once_per_key(client_for, reviewer, admin, project) -> None:
    fc, cid = submitted(client_for, project)
    url = f"/api/v1/contributions/{cid}/bonus"
    body = {
        "amount": {"amount": "2.50", "currency": "USD"},
        "reason": "Beautiful drafts",
        "idempotency_key": "bonus-0001",
    }
    error(client_for(admin).post(url, body, format="json"), 409, "not_approved")
    review(client_for(reviewer), cid, "approve")
    first = client_for(admin).post(url, body, format="json")
    assert first.status_code == 201 and first.json()["amount"] == {"amount": "2.50", "currency": "USD"}
    again = client_for(admin).post(url, body, format="json")  # the admin's browser retried
    assert again.status_code == 200 and again.json()["entry_id"] == first.json()["entry_id"]
    assert balance(payable(Contribution.objects.get(pk=cid).freelancer_id), "USD") == 850
    reviewer_bonus = client_for(reviewer).post(url, {**body, "idempotency_key": "bonus-0002"}, format="json")
    error(reviewer_bonus, 403, "permission_denied")  # the reviewer sees the work; paying a bonus is an admin's
    bad = client_for(admin).post(
        url, {**body, "amount": {"amount": "0", "currency": "USD"}, "idempotency_key": "bonus-0003"}, format="json"
    )
    assert error(bad, 400, "invalid")["fields"] == {"amount": ["A bonus is more than zero."]}
    history = fc.get("/api/v1/me/earnings/history").json()["results"]
    assert history[0]["kind"] == "bonus" and "Beautiful drafts" in history[0]["memo"]
    entries_balance()


def test_the_ledger_speaks_to_the_freelancer_in_their_language(client_for, reviewer, org) -> None:
    """A memo is the freelancer's statement line: written once, in their language, whoever approves and in whatever
    language the reviewer's page is."""
    low = published_project(items=1, organization=org, output_spec=SPEC, pay_amount_minor=10, estimated_minutes=1)
    _, cid = submitted(client_for, low, active_seconds=1800)
    User.objects.filter(pk=Contribution.objects.get(pk=cid).freelancer_id).update(language="es")
    r = client_for(reviewer).post(
        f"/api/v1/contributions/{cid}/review", {"decision": "approve"}, format="json", HTTP_ACCEPT_LANGUAGE="pt-BR"
    )
    assert r.status_code == 200
    memos = dict(LedgerEntry.objects.filter(contribution=cid).values_list("kind", "memo"))
    item = Contribution.objects.get(pk=cid).task.item.external_id
    assert memos["earning"] == f"{low.title}: trabajo aprobado en {item}"
    assert memos["top_up"].startswith("Complemento de pago justo: 30 min de trabajo medido")
