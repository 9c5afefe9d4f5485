"""Signing provenance manifests: each approved contribution gets one, in the approval's transaction.

The private key comes from `PROVENANCE_SIGNING_KEY`, or, when that is empty, from a key file in the data folder
made on first use. Its public half is recorded in `SigningKey` the first time it signs, and kept: manifests name
their key, and dataset versions ship the public keys of the manifests they hold, so rotating the key (setting a
new one) leaves every earlier manifest verifiable. `docs/provenance.md` tells how.
"""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.utils import timezone

from annotations.domain import provenance as rules
from annotations.models import Contribution, FreelancerProfile, MediaFile, MediaStatus, ProvenanceManifest, SigningKey


@cache
def _private_key(configured: str, data_dir: str) -> Ed25519PrivateKey:
    if configured:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(configured))
    path = Path(data_dir) / "provenance-signing-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        seed = Ed25519PrivateKey.generate().private_bytes_raw()
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(base64.b64encode(seed))
        try:  # a hard link appears whole or not at all; of two processes making it at once, the first wins
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(path.read_bytes()))


def signing_key() -> tuple[Ed25519PrivateKey, SigningKey]:
    private = _private_key(settings.PROVENANCE_SIGNING_KEY, str(settings.DATA_DIR))
    public = rules.public_raw(private.public_key())
    row, _ = SigningKey.objects.get_or_create(
        key_id=rules.key_id(public), defaults={"public_key": base64.b64encode(public).decode()}
    )
    return private, row


def _terms(freelancer_id: int) -> dict[str, str]:
    profile = FreelancerProfile.objects.filter(user_id=freelancer_id).first()
    return {**rules.DEFAULT_TRAINING_TERMS, **((profile.training_terms if profile else {}) or {})}


def manifest_sign(c: Contribution, *, record_id: str, automatic: bool) -> ProvenanceManifest:
    """Sign the approved contribution's manifest (once; a second call returns the first)."""
    existing = ProvenanceManifest.objects.filter(contribution=c).first()
    if existing is not None:
        return existing
    private, key = signing_key()
    media = MediaFile.objects.filter(item__task=c.task_id, status=MediaStatus.READY).order_by("id")
    manifest: dict[str, Any] = {
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
        "training_terms": _terms(c.freelancer_id),
        "review": {"outcome": "approved", "automatic": automatic, "score": c.review_score},
        "timestamps": {
            "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
            "approved_at": c.approved_at.isoformat() if c.approved_at else None,
            "signed_at": timezone.now().isoformat(),
        },
        "signer": {"key_id": key.key_id, "algorithm": "Ed25519"},
    }
    return ProvenanceManifest.objects.create(
        contribution=c, manifest=manifest, signature=rules.sign(private, manifest), key=key
    )
