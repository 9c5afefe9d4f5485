"""Content Credentials (C2PA): an approved contribution's file drafts get copies with a C2PA manifest embedded,
signed with the platform's key under a certificate chain it ships; the copies travel in WebDataset shards and the
documented command checks them offline. Media is read back with the C2PA library itself, not with our code."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import time
from pathlib import Path
from typing import Any

import c2pa as lib
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core import signing
from django.core.management import CommandError, call_command
from django.utils import timezone

from annotations.domain import credentials as rules
from annotations.domain import provenance
from annotations.models import (
    ContentCredential,
    Contribution,
    CredentialState,
    Draft,
    FreelancerProfile,
    SigningKey,
)
from annotations.providers import c2pa
from annotations.providers.storage import object_storage
from annotations.selectors.datasets import record_id
from annotations.services.credentials import credentials_embed, credentials_sweep
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from annotations.services.provenance import signing_key
from annotations.services.review import review_decide
from annotations.services.work import (
    DRAFT_UPLOAD_SALT,
    DraftInput,
    WorkState,
    contribution_claim_next,
    contribution_save,
    contribution_submit,
    draft_create,
    draft_upload_request,
)
from tests.conftest import start_worker, worker_database_url
from tests.datasets_support import RUBRIC, SPEC, build_here, tar_members, with_media_bytes
from tests.factories import UserFactory, published_project
from tests.media import mp4, png, wav
from tests.test_provenance import download_version

pytestmark = pytest.mark.django_db

FILES = [("frame.png", "image/png", png(colour=(20, 90, 160))), ("room-tone.wav", "audio/wav", wav())]


@pytest.fixture
def project(org: Any) -> Any:
    return with_media_bytes(published_project(items=4, organization=org, output_spec=SPEC, rubric=RUBRIC))


def file_work(
    project: Any, reviewer: Any, files: list[tuple[str, str, bytes]], *, freelancer: Any = None, approve: bool = True
) -> Contribution:
    """A contribution whose drafts are the given files (then one text draft), submitted and approved."""
    fl: Any = freelancer or UserFactory(role="freelancer")
    c = contribution_claim_next(actor=fl, project=project)
    saved = contribution_save(
        actor=fl,
        contribution_id=c.pk,
        base_version=c.version,
        state=WorkState("Room tone for a cold kitchen at dawn.", [], {"mood": "calm", "quality": 4}),
    )
    for n, (name, content_type, data) in enumerate(files, start=1):
        ticket = draft_upload_request(
            actor=fl, contribution_id=c.pk, name=name, size_bytes=len(data), content_type=content_type
        )
        object_storage().put(signing.loads(ticket.token, salt=DRAFT_UPLOAD_SALT)["k"], data, content_type)
        draft_create(
            actor=fl,
            contribution_id=c.pk,
            draft=DraftInput(
                client_key=f"file-{n}", change_note=f"Take {n}", upload_token=ticket.token, source_type="humanEdits"
            ),
        )
    draft_create(
        actor=fl, contribution_id=c.pk, draft=DraftInput(client_key="text", change_note="Notes", text="Two takes.")
    )
    contribution_submit(
        actor=fl,
        contribution_id=c.pk,
        base_version=saved.version,
        tools=["Reaper"],
        generative_tools_used=False,
        attested=True,
    )
    if approve:
        review_decide(actor=reviewer, contribution_id=c.pk, decision="approve", scores={"craft": 3})
    return Contribution.objects.get(pk=c.pk)


def copy_bytes(row: ContentCredential) -> bytes:
    return b"".join(object_storage().chunks(row.storage_key))


def test_the_platform_issues_one_chain_per_key_for_that_key() -> None:
    private = Ed25519PrivateKey.generate()
    chain, root = rules.issue_chain(private.public_key(), "k1", timezone.now())
    assert chain.count("BEGIN CERTIFICATE") == 2 and chain.endswith(root)
    assert rules.chain_matches(chain, private.public_key())
    assert not rules.chain_matches(chain, Ed25519PrivateKey.generate().public_key())
    assert not rules.chain_matches("not a certificate", private.public_key())
    assert rules.embeddable("image/png") and rules.embeddable("audio/wav") and not rules.embeddable("audio/ogg")


def test_approved_file_drafts_get_trusted_credentials_that_name_their_signed_draft(
    reviewer, project, storage_mode
) -> None:
    fl = UserFactory(role="freelancer")
    FreelancerProfile.objects.update_or_create(
        user=fl, defaults={"training_terms": {"ai_generative_training": "notAllowed"}}
    )
    c = file_work(project, reviewer, [*FILES, ("clip.mp4", "video/mp4", mp4())], freelancer=fl)
    made = credentials_embed(contribution_id=c.pk)

    assert [r.state for r in made] == [CredentialState.EMBEDDED] * 3
    _, key = signing_key()
    key.refresh_from_db()
    manifest = c.manifest.manifest
    for row in made:
        draft = row.draft
        data = copy_bytes(row)
        assert hashlib.sha256(data).hexdigest() == row.sha256 and len(data) == row.size_bytes
        original = b"".join(object_storage().chunks(draft.storage_key))
        assert hashlib.sha256(original).hexdigest() == draft.content_sha256  # the original is untouched
        found = c2pa.read(data, draft.content_type, key.trust_anchor)
        assert found.state == "Trusted", found.problems
        assert found.label == row.manifest_label
        assert found.assertion is not None
        assert found.assertion["original_sha256"] == draft.content_sha256
        assert found.assertion["record_id"] == record_id(c.pk) and found.assertion["draft_sequence"] == draft.sequence
        assert rules.check_embedded(found.assertion, found.state, manifest, draft.sequence, require_trust=True) == []
        # Another draft's number, or no trust anchors, is not enough.
        assert rules.check_embedded(found.assertion, found.state, manifest, draft.sequence + 1, require_trust=True)
        assert c2pa.read(data, draft.content_type).state == "Valid"
    # The creator's training terms are the CAWG assertion's.
    with lib.Reader("image/png", io.BytesIO(copy_bytes(made[0]))) as reader:
        assertions = {a["label"]: a["data"] for a in reader.get_active_manifest()["assertions"]}
    assert assertions["cawg.training-mining"]["entries"]["cawg.ai_generative_training"] == {"use": "notAllowed"}
    assert assertions["cawg.training-mining"]["entries"]["cawg.ai_training"] == {"use": "allowed"}
    action = assertions["c2pa.actions.v2"]["actions"][0]
    assert action["digitalSourceType"] == provenance.IPTC + "humanEdits"

    # Idempotent: a second run (a retried task) finds nothing left to do and writes nothing.
    keys_before = object_storage().list_keys(f"credentials/{c.pk}/", 100)
    assert credentials_embed(contribution_id=c.pk) == []
    assert object_storage().list_keys(f"credentials/{c.pk}/", 100) == keys_before
    assert ContentCredential.objects.filter(draft__contribution=c).count() == 3


def test_a_tampered_copy_fails_validation(reviewer, project) -> None:
    c = file_work(project, reviewer, FILES[:1])
    (row,) = credentials_embed(contribution_id=c.pk)
    data = bytearray(copy_bytes(row))
    data[len(data) - 30] ^= 0x01  # in the image data, which the manifest's hash binds
    key = SigningKey.objects.get(pk=row.key.pk if row.key else 0)
    found = c2pa.read(bytes(data), "image/png", key.trust_anchor)
    assert found.state == "Invalid" and found.problems
    assert rules.check_embedded(found.assertion, found.state, c.manifest.manifest, 1, require_trust=True)


def test_formats_without_c2pa_and_unreadable_files_are_recorded_not_retried(reviewer, project) -> None:
    c = file_work(project, reviewer, FILES[:1], approve=False)
    first = Draft.objects.get(contribution=c, sequence=1)
    # The same bytes declared as a type C2PA cannot carry, and a "PNG" that is not one (rows made directly: the
    # submission checks would refuse such files at upload).
    ogg = Draft.objects.create(
        contribution=c, sequence=10, client_key="ogg", kind="file", storage_key=first.storage_key, name="a.ogg",
        content_type="audio/ogg", size_bytes=first.size_bytes, change_note="x", content_sha256="0" * 64,
        chain_sha256="0" * 64,
    )  # fmt: skip
    object_storage().put("drafts/broken.png", b"\x89PNG\r\n\x1a\n broken", "image/png")
    broken = Draft.objects.create(
        contribution=c, sequence=11, client_key="broken", kind="file", storage_key="drafts/broken.png",
        name="b.png", content_type="image/png", size_bytes=16, change_note="x", content_sha256="0" * 64,
        chain_sha256="0" * 64,
    )  # fmt: skip
    review_decide(actor=reviewer, contribution_id=c.pk, decision="approve", scores={"craft": 3})
    made = {r.draft_id: r for r in credentials_embed(contribution_id=c.pk)}
    assert made[first.pk].state == CredentialState.EMBEDDED
    assert made[ogg.pk].state == CredentialState.UNSUPPORTED and "audio/ogg" in made[ogg.pk].error
    assert made[broken.pk].state == CredentialState.FAILED and made[broken.pk].error
    assert not made[broken.pk].storage_key
    # The sweep does not resend contributions whose drafts all have their row.
    Contribution.objects.filter(pk=c.pk).update(approved_at=timezone.now() - datetime.timedelta(hours=1))
    assert credentials_sweep() == 0


def test_the_sweep_resends_approvals_whose_embedding_was_lost(reviewer, project) -> None:
    c = file_work(project, reviewer, FILES[:1])
    assert credentials_sweep() == 0  # just approved: its task may still be on its way
    Contribution.objects.filter(pk=c.pk).update(approved_at=timezone.now() - datetime.timedelta(hours=1))
    assert credentials_sweep() == 1
    unapproved = file_work(project, reviewer, FILES[:1], approve=False)
    assert credentials_embed(contribution_id=unapproved.pk) == []  # only approved work is credentialed


def test_a_configured_chain_must_be_for_the_signing_key(settings, tmp_path, reviewer, project) -> None:
    from django.core.exceptions import ImproperlyConfigured

    other = Ed25519PrivateKey.generate()
    wrong, _ = rules.issue_chain(other.public_key(), "other", timezone.now())
    (tmp_path / "chain.pem").write_text(wrong)
    settings.C2PA_CERTIFICATE_CHAIN = str(tmp_path / "chain.pem")
    c = file_work(project, reviewer, FILES[:1])
    with pytest.raises(ImproperlyConfigured):
        credentials_embed(contribution_id=c.pk)
    assert not ContentCredential.objects.exists()
    private, key = signing_key()
    right, root = rules.issue_chain(private.public_key(), key.key_id, timezone.now())
    (tmp_path / "chain.pem").write_text(right)
    (row,) = credentials_embed(contribution_id=c.pk)
    assert c2pa.read(copy_bytes(row), "image/png", root).state == "Trusted"
    assert SigningKey.objects.get(pk=key.pk).trust_anchor == root


def test_a_version_carries_the_copies_and_the_command_checks_them(admin, reviewer, project, tmp_path) -> None:
    work = [file_work(project, reviewer, FILES) for _ in range(2)]
    for c in work:
        credentials_embed(contribution_id=c.pk)
    dataset = dataset_create(
        actor=admin,
        fields=DatasetFields(name="Credentialed", project_ids=[project.pk], formats=["webdataset"], compression="none"),
    )
    folder = download_version(build_here(version_build(actor=admin, dataset=dataset)), tmp_path / "v1")
    keys = json.loads((folder / "keys.json").read_text())
    assert keys["c2pa_trust_anchors"] and "BEGIN CERTIFICATE" in keys["c2pa_trust_anchors"][0]
    tar = next((folder / "webdataset").glob("*.tar"))
    names = tar_members(tar)
    target = record_id(work[1].pk)
    assert {f"{target}.c2pa_1.png", f"{target}.c2pa_2.wav", f"{target}.draft_1.png"} <= set(names)
    call_command("verify_dataset", str(folder))  # exit 0, C2PA copies read with the shipped anchors

    # One byte of one record's credentialed image: the command names that record, and only with C2PA checks on.
    data = bytearray(tar.read_bytes())
    at = data.index(f"{target}.c2pa_1.png".encode())
    at = data.index(b"IDAT", at) + 12
    data[at] ^= 0x01
    tar.write_bytes(bytes(data))
    failures = provenance.verify_version(folder, c2pa.version_reader(folder))
    assert list(failures) == [target] and "c2pa_1.png" in failures[target][0]
    assert provenance.verify_version(folder) == {}  # the signed originals still hold
    with pytest.raises(CommandError, match="1 record"):
        call_command("verify_dataset", str(folder))
    call_command("verify_dataset", str(folder), "--skip-c2pa")


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_embeds_after_the_approval_commits(redis_url: str, settings: Any, org: Any) -> None:
    reviewer = UserFactory(role="reviewer", organization=org)
    project = with_media_bytes(published_project(items=2, organization=org, output_spec=SPEC, rubric=RUBRIC))
    worker = start_worker(
        {
            "REDIS_URL": redis_url,
            "DATABASE_URL": worker_database_url(),
            "SECRET_KEY": settings.SECRET_KEY,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "ATELIER_DATA_DIR": str(settings.DATA_DIR),
        }
    )
    try:
        c = file_work(project, reviewer, FILES)
        deadline = time.monotonic() + 60
        while ContentCredential.objects.filter(draft__contribution=c).count() < 2:
            assert time.monotonic() < deadline, "the worker did not embed the credentials"
            time.sleep(0.3)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    rows = list(ContentCredential.objects.filter(draft__contribution=c).select_related("draft", "key"))
    assert {r.state for r in rows} == {CredentialState.EMBEDDED}
    for row in rows:
        assert row.key is not None
        assert c2pa.read(copy_bytes(row), row.draft.content_type, row.key.trust_anchor).state == "Trusted"


def test_a_file_without_credentials_reads_as_none(tmp_path: Path) -> None:
    """A version built before Content Credentials has no anchors in keys.json; a plain file has no manifest."""
    (tmp_path / "keys.json").write_text('{"algorithm": "Ed25519", "keys": {}}')
    read = c2pa.version_reader(tmp_path)
    assert read(png(), "x.png") == (None, None)
