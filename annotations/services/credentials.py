"""Content Credentials: after an approval commits, each of the contribution's file drafts whose format can carry
C2PA gets a credentialed copy beside the original, signed with the platform's key (`domain/credentials.py` says
what the embedded manifest holds). The original is never rewritten: its hash is in the signed chain.

One Celery task per approved contribution, idempotent: a draft that already has its row is skipped, the copy's
storage key is fixed by the draft, and the row is written after the upload, so a retry after a crash redoes at
most one upload. A beat sweep resends the work of approvals whose task was lost.
"""

from __future__ import annotations

import datetime
import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Exists, OuterRef
from django.utils import timezone

from annotations.domain import credentials as rules
from annotations.domain.formats import media_extension
from annotations.domain.provenance import canonical
from annotations.models import (
    ContentCredential,
    Contribution,
    ContributionState,
    CredentialState,
    Draft,
    DraftKind,
    ProvenanceManifest,
    SigningKey,
)
from annotations.providers import c2pa
from annotations.providers.storage import object_storage
from annotations.services.jobs import enqueue_on_commit
from annotations.services.provenance import signing_key

EMBED_TASK = "workers.embed_content_credentials"
SWEEP_AFTER = datetime.timedelta(minutes=10)


def certificate_chain(key: SigningKey) -> tuple[str, str]:
    """(chain PEM, root PEM) for the key: the configured chain, else one issued once and kept on the key's row."""
    private, _ = signing_key()
    if settings.C2PA_CERTIFICATE_CHAIN:
        chain = Path(settings.C2PA_CERTIFICATE_CHAIN).read_text()
        if not rules.chain_matches(chain, private.public_key()):
            raise ImproperlyConfigured("C2PA_CERTIFICATE_CHAIN's first certificate is not for the signing key.")
        root = chain[chain.rindex("-----BEGIN CERTIFICATE-----") :]
        SigningKey.objects.filter(pk=key.pk).exclude(certificate_chain=chain).update(
            certificate_chain=chain, trust_anchor=root
        )
        return chain, root
    if not key.certificate_chain:
        chain, root = rules.issue_chain(private.public_key(), key.key_id, timezone.now())
        # Of two processes issuing at once, the first write wins and both use it.
        SigningKey.objects.filter(pk=key.pk, certificate_chain="").update(certificate_chain=chain, trust_anchor=root)
        key.refresh_from_db(fields=["certificate_chain", "trust_anchor"])
    return key.certificate_chain, key.trust_anchor


def credentials_later(c: Contribution) -> None:
    """Called in the approval's transaction: embed once it commits (if there is anything to embed)."""
    if c.drafts.filter(kind=DraftKind.FILE).exists():
        enqueue_on_commit(EMBED_TASK, c.pk)


def copy_key(draft: Draft) -> str:
    return (
        f"credentials/{draft.contribution_id}/draft_{draft.sequence}.{media_extension(draft.name, draft.content_type)}"
    )


def _embed_one(draft: Draft, signed: ProvenanceManifest, key: SigningKey, chain: str) -> ContentCredential:
    if not rules.embeddable(draft.content_type):
        row, _ = ContentCredential.objects.get_or_create(
            draft=draft, defaults={"state": CredentialState.UNSUPPORTED, "error": f"{draft.content_type} has no C2PA"}
        )
        return row
    definition = rules.definition(
        manifest=signed.manifest,
        manifest_sha256=hashlib.sha256(canonical(signed.manifest)).hexdigest(),
        sequence=draft.sequence,
        title=draft.name or f"draft {draft.sequence}",
    )
    private, _ = signing_key()
    storage = object_storage()
    with tempfile.TemporaryDirectory(prefix="atelier-c2pa-") as tmp:
        source, target = Path(tmp) / "original", Path(tmp) / "credentialed"
        with source.open("wb") as out:
            for chunk in storage.chunks(draft.storage_key):
                out.write(chunk)
        try:
            label = c2pa.embed(
                source=source,
                target=target,
                content_type=draft.content_type,
                definition=definition,
                sign=private.sign,
                chain_pem=chain,
            )
        except c2pa.CredentialError as exc:
            row, _ = ContentCredential.objects.get_or_create(
                draft=draft, defaults={"state": CredentialState.FAILED, "error": str(exc)[:2000]}
            )
            return row
        digest = hashlib.sha256()
        with target.open("rb") as written:
            for block in iter(lambda: written.read(1 << 20), b""):
                digest.update(block)
        key_name = copy_key(draft)
        storage.put_file(key_name, target, draft.content_type)
        row, _ = ContentCredential.objects.get_or_create(
            draft=draft,
            defaults={
                "state": CredentialState.EMBEDDED,
                "storage_key": key_name,
                "sha256": digest.hexdigest(),
                "size_bytes": target.stat().st_size,
                "manifest_label": label,
                "key": key,
            },
        )
    return row


def credentials_embed(*, contribution_id: int) -> list[ContentCredential]:
    """Credentialed copies of an approved contribution's file drafts. Safe to run again at any point."""
    c = Contribution.objects.filter(pk=contribution_id, state=ContributionState.APPROVED).first()
    signed = ProvenanceManifest.objects.filter(contribution_id=contribution_id).first()
    if c is None or signed is None:
        return []
    _, key = signing_key()
    chain, _ = certificate_chain(key)
    signed_drafts = [d["sequence"] for d in signed.manifest["drafts"]]
    drafts = Draft.objects.filter(
        contribution=c, kind=DraftKind.FILE, credential__isnull=True, sequence__in=signed_drafts
    ).order_by("sequence")
    return [_embed_one(d, signed, key, chain) for d in drafts]


def credentials_sweep(*, limit: int = 500) -> int:
    """Resend the embedding of approvals older than SWEEP_AFTER whose file drafts still have no credential row."""
    pending = Draft.objects.filter(contribution=OuterRef("pk"), kind=DraftKind.FILE, credential__isnull=True)
    ids = list(
        Contribution.objects.filter(
            state=ContributionState.APPROVED,
            approved_at__lt=timezone.now() - SWEEP_AFTER,
            manifest__isnull=False,
        )
        .filter(Exists(pending))
        .values_list("pk", flat=True)[:limit]
    )
    for cid in ids:
        enqueue_on_commit(EMBED_TASK, cid)
    return len(ids)
