"""Process evidence per draft: active time and editing sessions measured by the server, typed and pasted character
counts reported by the workspace (counts only); shown to the creator, signed and exported."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotations.models import Contribution, Draft, ProvenanceManifest
from tests.api.test_auth import error
from tests.factories import published_project

pytestmark = pytest.mark.django_db


def test_each_draft_records_its_active_time_sessions_and_typing(client_for, freelancer, reviewer, org) -> None:
    project = published_project(items=1, organization=org)
    c = client_for(freelancer)
    cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
    url = f"/api/v1/contributions/{cid}/drafts"
    bad = c.post(url, {"client_key": "evidence-0", "change_note": "x", "text": "y", "typed_chars": -1}, format="json")
    assert "typed_chars" in error(bad, 400, "invalid")["fields"]
    first = c.post(
        url,
        {"client_key": "evidence-1", "change_note": "Rough", "text": "A grey sea.", "typed_chars": 11},
        format="json",
    ).json()
    # Eleven idle minutes later the freelancer comes back: a second session, and the idle time is not counted.
    Contribution.objects.filter(pk=cid).update(last_activity_at=timezone.now() - timedelta(minutes=11))
    c.post(f"/api/v1/contributions/{cid}/activity")
    Contribution.objects.filter(pk=cid).update(last_activity_at=timezone.now() - timedelta(seconds=90))
    second = c.post(
        url,
        {
            "client_key": "evidence-2",
            "change_note": "Quote",
            "text": "A grey sea, the letter.",
            "typed_chars": 5,
            "pasted_chars": 40,
        },
        format="json",
    ).json()
    assert (first["sessions"], first["typed_chars"], first["pasted_chars"]) == (1, 11, 0)
    assert second["sessions"] == 1 and 89 <= second["active_seconds"] <= 95
    assert (second["typed_chars"], second["pasted_chars"]) == (5, 40)
    shown = c.get(f"/api/v1/contributions/{cid}").json()["drafts"]
    assert [d["typed_chars"] for d in shown] == [11, 5]  # the creator sees their own evidence
    assert Contribution.objects.get(pk=cid).sessions == 2
    assert set(Draft.objects.values_list("typed_chars", flat=True)) == {11, 5}


def test_the_evidence_is_signed_with_the_manifest(client_for, reviewer, org) -> None:
    from tests.datasets_support import RUBRIC, SPEC, approved_work

    project = published_project(items=1, organization=org, output_spec=SPEC, rubric=RUBRIC)
    work: Any = approved_work(project, reviewer, 1)
    drafts = ProvenanceManifest.objects.get(contribution=work).manifest["drafts"]
    assert [set(d["evidence"]) for d in drafts] == [{"active_seconds", "sessions", "typed_chars", "pasted_chars"}] * 2
