"""Signing at approval: `manifest_sign` makes three queries, the key is derived once per process, and the manifest
is the same document, key for key, as the one read part by part through the ORM."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from annotations.domain import provenance as rules
from annotations.models import Contribution, Draft, FreelancerProfile, MediaFile, MediaStatus, ProvenanceManifest
from annotations.selectors.datasets import record_id
from annotations.services.provenance import manifest_sign, signing_key
from tests.datasets_support import RUBRIC, SPEC, approved_work, with_media_bytes
from tests.factories import published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org: Any) -> Any:
    made = published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True)
    return with_media_bytes(made)


def reference_manifest(c: Contribution, *, record_id: str, automatic: bool, key_id: str) -> dict[str, Any]:
    """The manifest as `manifest_sign` built it through the ORM, part by part (before it read them in two queries)."""
    media = MediaFile.objects.filter(item__task=c.task_id, status=MediaStatus.READY).order_by("id")
    profile = FreelancerProfile.objects.filter(user_id=c.freelancer_id).first()
    return {
        "spec": rules.SPEC,
        "record_id": record_id,
        "content_sha256": c.content_sha256,
        "chain_sha256": c.chain_sha256,
        "drafts": [
            {
                "sequence": d.sequence,
                "content_sha256": d.content_sha256,
                "chain_sha256": d.chain_sha256,
                "created_at": d.created_at.isoformat(),
                "source_type": rules.IPTC + d.source_type,
                "tools": d.tools,
                "evidence": {
                    "active_seconds": d.active_seconds,
                    "sessions": d.sessions,
                    "typed_chars": d.typed_chars,
                    "pasted_chars": d.pasted_chars,
                },
            }
            for d in c.drafts.order_by("sequence")
        ],
        "media": [{"name": m.name, "sha256": m.sha256} for m in media],
        "declared_tools": c.tools,
        "generative_tools_used": c.generative_tools_used,
        "attested": c.attested,
        "training_terms": {**rules.DEFAULT_TRAINING_TERMS, **((profile.training_terms if profile else {}) or {})},
        "review": {"outcome": "approved", "automatic": automatic, "score": c.review_score},
        "timestamps": {
            "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
            "approved_at": c.approved_at.isoformat() if c.approved_at else None,
            "signed_at": None,
        },
        "signer": {"key_id": key_id, "algorithm": "Ed25519"},
    }


@pytest.mark.parametrize("terms", [None, {"ai_training": "notAllowed", "data_mining": "constrained"}])
def test_manifest_sign_makes_three_queries_and_the_same_manifest(
    reviewer, project, terms, django_assert_max_num_queries
) -> None:
    c = approved_work(project, reviewer, 1)
    if terms is not None:
        FreelancerProfile.objects.update_or_create(user_id=c.freelancer_id, defaults={"training_terms": terms})
    Draft.objects.filter(contribution=c, sequence=1).update(created_at=datetime(2026, 11, 20, 9, 30, tzinfo=UTC))
    ProvenanceManifest.objects.filter(contribution=c).delete()
    c = Contribution.objects.get(pk=c.pk)
    signing_key()  # the key's row exists once anything was signed
    with django_assert_max_num_queries(3):
        signed = manifest_sign(c, record_id=record_id(c.pk), automatic=False)
    _, key = signing_key()
    expected = reference_manifest(c, record_id=record_id(c.pk), automatic=False, key_id=key.key_id)
    stored = ProvenanceManifest.objects.get(pk=signed.pk)
    assert signed.key_id == key.pk and stored.key_id == key.pk and stored.manifest == signed.manifest
    got = {**signed.manifest, "timestamps": {**signed.manifest["timestamps"], "signed_at": None}}
    assert orjson.dumps(got) == orjson.dumps(expected)  # the same document, key for key, in the same order
    assert got["media"] and got["drafts"][0]["created_at"] == "2026-11-20T09:30:00+00:00"
    assert rules.signature_valid(stored.manifest, stored.signature, {key.key_id: key.public_key})
    with django_assert_max_num_queries(2):  # signed already: the first manifest comes back
        assert manifest_sign(c, record_id=record_id(c.pk), automatic=True).pk == signed.pk
