"""Signed provenance: every approval signs a manifest; a downloaded version verifies offline with the documented
command; one flipped byte in one record's media or manifest names exactly that record; key rotation keeps old
versions verifiable."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import CommandError, call_command

from annotations.domain import provenance as rules
from annotations.models import ProvenanceManifest, SigningKey
from annotations.providers.c2pa import version_reader
from annotations.providers.storage import object_storage
from annotations.selectors.datasets import record_id, version_prefix
from annotations.services.datasets import DatasetFields, dataset_create, version_build
from tests.datasets_support import RUBRIC, SPEC, approved_work, build_here, tar_members, with_media_bytes
from tests.factories import published_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(org: Any) -> Any:
    made = published_project(items=5, organization=org, output_spec=SPEC, rubric=RUBRIC, generative_tools_allowed=True)
    return with_media_bytes(made)


def download_version(version: Any, to: Path) -> Path:
    prefix = version_prefix(version)
    storage = object_storage()
    for key, _size in storage.list_keys(prefix, 10_000):
        target = to / key.removeprefix(prefix)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"".join(storage.chunks(key)))
    return to


def build(admin: Any, project: Any, name: str = "Signed") -> Any:
    dataset = dataset_create(
        actor=admin,
        fields=DatasetFields(name=name, project_ids=[project.pk], formats=["jsonl", "webdataset"], compression="none"),
    )
    return build_here(version_build(actor=admin, dataset=dataset))


def test_every_approval_signs_a_manifest(admin, reviewer, project) -> None:
    c = approved_work(project, reviewer, 1)
    signed = ProvenanceManifest.objects.get(contribution=c)
    m = signed.manifest
    assert m["spec"] == rules.SPEC and m["record_id"] == record_id(c.pk)
    assert m["content_sha256"] == c.content_sha256 and m["chain_sha256"] == c.chain_sha256
    assert [d["source_type"] for d in m["drafts"]] == [rules.IPTC + "digitalCreation"] * 2
    assert m["training_terms"] == rules.DEFAULT_TRAINING_TERMS and m["review"]["outcome"] == "approved"
    keys = {k.key_id: k.public_key for k in SigningKey.objects.all()}
    assert rules.signature_valid(m, signed.signature, keys)
    assert not rules.signature_valid({**m, "attested": False}, signed.signature, keys)


def test_a_version_verifies_offline_and_a_flipped_byte_names_its_record(admin, reviewer, project, tmp_path) -> None:
    work = [approved_work(project, reviewer, n) for n in range(3)]
    folder = download_version(build(admin, project), tmp_path / "v1")
    assert rules.verify_version(folder) == {}
    call_command("verify_dataset", str(folder))  # the documented command: exit 0

    # One byte of one record's media in the WebDataset shard.
    tar = next((folder / "webdataset").glob("*.tar"))
    data = bytearray(tar.read_bytes())
    target = record_id(work[1].pk)
    at = data.index(f"{target}.media_0.png".encode())
    at = data.index(b"\x89PNG", at) + 40  # inside that member's bytes
    data[at] ^= 0x01
    tar.write_bytes(bytes(data))
    failures = rules.verify_version(folder)
    assert list(failures) == [target] and "media_0.png does not match" in failures[target][0]
    tar.write_bytes(bytes(data[:at]) + bytes([data[at] ^ 0x01]) + bytes(data[at + 1 :]))
    assert rules.verify_version(folder) == {}

    # One byte of another record's manifest in the JSONL shard.
    jsonl = next((folder / "jsonl").glob("*.jsonl"))
    other = record_id(work[2].pk)
    lines = jsonl.read_bytes().splitlines()
    n = next(i for i, line in enumerate(lines) if json.loads(line)["record_id"] == other)
    record = json.loads(lines[n])
    signed_at = record["provenance"]["manifest"]["timestamps"]["signed_at"]  # only the manifest holds it
    flipped = signed_at[:-7] + ("1" if signed_at[-7] != "1" else "2") + signed_at[-6:]
    lines[n] = lines[n].replace(f'"signed_at":"{signed_at}"'.encode(), f'"signed_at":"{flipped}"'.encode(), 1)
    jsonl.write_bytes(b"\n".join(lines) + b"\n")
    failures = rules.verify_version(folder)
    assert failures == {other: ["the manifest's signature does not verify"]}
    with pytest.raises(CommandError, match="1 record"):
        call_command("verify_dataset", str(folder))


def test_old_versions_stay_verifiable_after_the_key_rotates(admin, reviewer, project, settings, tmp_path) -> None:
    approved_work(project, reviewer, 1)
    v1 = download_version(build(admin, project, "Before"), tmp_path / "v1")
    settings.PROVENANCE_SIGNING_KEY = base64.b64encode(Ed25519PrivateKey.generate().private_bytes_raw()).decode()
    approved_work(project, reviewer, 2)
    v2 = download_version(build(admin, project, "After"), tmp_path / "v2")
    assert SigningKey.objects.count() == 2
    assert rules.verify_version(v1) == {} and rules.verify_version(v2) == {}
    used = {
        json.loads(line)["provenance"]["manifest"]["signer"]["key_id"]
        for line in next((v2 / "jsonl").glob("*.jsonl")).read_bytes().splitlines()
    }
    assert len(used) == 2  # the new version holds work signed with the old key and with the new one


def test_creators_declare_training_terms_and_draft_source_types(client_for, freelancer, org) -> None:
    from tests.api.test_auth import error

    c = client_for(freelancer)
    bad = c.patch("/api/v1/me/profile", {"training_terms": {"ai_training": "maybe"}}, format="json")
    assert "training_terms" in error(bad, 400, "invalid")["fields"]
    ok = c.patch("/api/v1/me/profile", {"training_terms": {"ai_generative_training": "notAllowed"}}, format="json")
    assert ok.status_code == 200 and ok.json()["training_terms"] == {
        **rules.DEFAULT_TRAINING_TERMS,
        "ai_generative_training": "notAllowed",
    }
    project = published_project(items=1, organization=org)  # generative tools not allowed here
    cid = c.post(f"/api/v1/projects/{project.pk}/claim").json()["id"]
    url = f"/api/v1/contributions/{cid}/drafts"
    body = {"client_key": "draft-source-1", "change_note": "First", "text": "Grey sea."}
    error(c.post(url, {**body, "source_type": "madeUp"}, format="json"), 400, "invalid")
    refused = c.post(url, {**body, "source_type": "trainedAlgorithmicMedia"}, format="json")
    assert error(refused, 400, "generative_not_allowed")
    made = c.post(url, {**body, "source_type": "humanEdits"}, format="json")
    assert made.status_code == 201 and made.json()["source_type"] == "humanEdits"


def test_a_version_of_the_demo_data_verifies_clean(demo_data, tmp_path) -> None:
    from annotations.models import Contribution, Dataset, User
    from annotations.services.credentials import credentials_embed

    for cid in Contribution.objects.filter(state="approved").values_list("pk", flat=True):
        credentials_embed(contribution_id=cid)  # the worker's part, after each approval commits
    dataset = Dataset.objects.get(name="Foley process notes")
    admin = User.objects.get(username="admin")
    version = build_here(version_build(actor=admin, dataset=dataset))
    assert version.record_count == 6
    folder = download_version(version, tmp_path / "demo")
    assert sorted(p.name for p in folder.iterdir()) == [
        "card.json",
        "card.md",
        "hf",
        "jsonl",
        "keys.json",
        "manifest.json",
        "webdataset",
    ]
    members = [n for tar in (folder / "webdataset").glob("*.tar") for n in tar_members(tar)]
    assert len([n for n in members if ".c2pa_" in n]) == 3  # the demo's recorded takes, with Content Credentials
    call_command("verify_dataset", str(folder))
    assert rules.verify_version(folder, version_reader(folder)) == {}
