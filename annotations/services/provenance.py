"""Signing provenance manifests: each approved contribution gets one, in the approval's transaction.

The private key comes from `PROVENANCE_SIGNING_KEY`, or, when that is empty, from a key file in the data folder
made on first use. Its public half is recorded in `SigningKey` the first time it signs, and kept: manifests name
their key, and dataset versions ship the public keys of the manifests they hold, so rotating the key (setting a
new one) leaves every earlier manifest verifiable. `docs/provenance.md` tells how.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import connection
from django.utils import timezone

from annotations.domain import provenance as rules
from annotations.models import (
    Contribution,
    Draft,
    FreelancerProfile,
    MediaFile,
    MediaStatus,
    ProvenanceManifest,
    SigningKey,
    Task,
)


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


@cache
def _platform_key(configured: str, data_dir: str) -> tuple[Ed25519PrivateKey, str, str]:
    """The private key, its key id and its public half (base64), worked out once per process and key."""
    private = _private_key(configured, data_dir)
    public = rules.public_raw(private.public_key())
    return private, rules.key_id(public), base64.b64encode(public).decode()


def signing_key() -> tuple[Ed25519PrivateKey, SigningKey]:
    private, key_id, public = _platform_key(settings.PROVENANCE_SIGNING_KEY, str(settings.DATA_DIR))
    row, _ = SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key": public})
    return private, row


def _context(c: Contribution, key_id: str) -> tuple[int | None, int | None, dict[str, str]]:
    """In one query: the signing key's row (None before it first signs), the contribution's manifest if it has
    one already, and its freelancer's training terms over the defaults."""
    keys, manifests, profiles = (m._meta.db_table for m in (SigningKey, ProvenanceManifest, FreelancerProfile))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT id FROM {keys} WHERE key_id = %s), "  # noqa: S608 (table names are ours)
            f"(SELECT id FROM {manifests} WHERE contribution_id = %s), "
            f"(SELECT training_terms FROM {profiles} WHERE user_id = %s)",
            [key_id, c.pk, c.freelancer_id],
        )
        key_pk, existing, terms = cursor.fetchone() or (None, None, None)
    return key_pk, existing, {**rules.DEFAULT_TRAINING_TERMS, **(_json(terms) or {})}


def _json(value: Any) -> Any:
    """A JSON column as a raw cursor gives it: text (PostgreSQL's jsonb as Django reads it, SQLite) or None."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def _aware(value: Any) -> datetime:
    """A datetime column as a raw cursor gives it: aware (PostgreSQL), or naive or ISO text in UTC (SQLite)."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _parts(c: Contribution) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The manifest's drafts (in sequence) and the item's ready media (by id), in one query."""
    drafts_t, media_t, tasks_t = (m._meta.db_table for m in (Draft, MediaFile, Task))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 0, sequence, content_sha256, chain_sha256, created_at, source_type, tools, active_seconds, "  # noqa: S608
            f"sessions, typed_chars, pasted_chars FROM {drafts_t} WHERE contribution_id = %s "
            "UNION ALL SELECT 1, id, name, sha256, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
            f"FROM {media_t} WHERE status = %s AND item_id = (SELECT item_id FROM {tasks_t} WHERE id = %s) "
            "ORDER BY 1, 2",
            [c.pk, MediaStatus.READY.value, c.task_id],
        )
        rows = cursor.fetchall()
    drafts = [
        {
            "sequence": r[1],
            "content_sha256": r[2],
            "chain_sha256": r[3],
            "created_at": _aware(r[4]).isoformat(),
            "source_type": rules.IPTC + r[5],
            "tools": _json(r[6]),
            "evidence": {"active_seconds": r[7], "sessions": r[8], "typed_chars": r[9], "pasted_chars": r[10]},
        }
        for r in rows
        if r[0] == 0
    ]
    return drafts, [{"name": r[2], "sha256": r[3]} for r in rows if r[0] == 1]


def manifest_sign(c: Contribution, *, record_id: str, automatic: bool) -> ProvenanceManifest:
    """Sign the approved contribution's manifest (once; a second call returns the first).

    Three queries: the key's row, an earlier manifest and the training terms; the drafts and the media; the
    insert. The key is read and derived once per process. The manifest is the same document, key for key, as
    when each part was read through the ORM (tests/test_provenance.py holds it so)."""
    private, key_id, public = _platform_key(settings.PROVENANCE_SIGNING_KEY, str(settings.DATA_DIR))
    key_pk, existing, terms = _context(c, key_id)
    if existing is not None:
        return ProvenanceManifest.objects.get(pk=existing)
    if key_pk is None:  # the first manifest this key signs records its public half
        key_pk = SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key": public})[0].pk
    drafts, media = _parts(c)
    manifest: dict[str, Any] = {
        "spec": rules.SPEC,
        "record_id": record_id,
        "content_sha256": c.content_sha256,
        "chain_sha256": c.chain_sha256,
        "drafts": drafts,
        "media": media,
        "declared_tools": c.tools,
        "generative_tools_used": c.generative_tools_used,
        "attested": c.attested,
        "training_terms": terms,
        "review": {"outcome": "approved", "automatic": automatic, "score": c.review_score},
        "timestamps": {
            "submitted_at": c.submitted_at.isoformat() if c.submitted_at else None,
            "approved_at": c.approved_at.isoformat() if c.approved_at else None,
            "signed_at": timezone.now().isoformat(),
        },
        "signer": {"key_id": key_id, "algorithm": "Ed25519"},
    }
    return ProvenanceManifest.objects.create(
        contribution=c, manifest=manifest, signature=rules.sign(private, manifest), key_id=key_pk
    )
