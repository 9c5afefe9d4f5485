"""The platform's signing keys (public halves, kept for ever), each approved contribution's signed manifest, and the
Content Credentials (C2PA) embedded in copies of its file drafts."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from annotations.models.work import Contribution, Draft


class SigningKey(models.Model):
    """A public key the platform has signed manifests with. The private key lives outside the database."""

    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64, help_text="Raw Ed25519 public key, base64.")
    certificate_chain = models.TextField(
        blank=True, help_text="PEM X.509 chain (signer first) that C2PA manifests signed with this key carry."
    )
    trust_anchor = models.TextField(blank=True, help_text="PEM root certificate of that chain.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.key_id


class ProvenanceManifest(models.Model):
    contribution = models.OneToOneField(Contribution, on_delete=models.CASCADE, related_name="manifest")
    manifest = models.JSONField()
    signature = models.CharField(max_length=128, help_text="Ed25519 over the canonical manifest, base64.")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="manifests")
    signed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"manifest of contribution {self.contribution_id}"


class CredentialState(models.TextChoices):
    EMBEDDED = "embedded", "Embedded"
    UNSUPPORTED = "unsupported", "Format cannot carry C2PA"
    FAILED = "failed", "Failed"


class ContentCredential(models.Model):
    """A copy of an approved file draft with a C2PA manifest embedded (the original stays as it was hashed)."""

    draft = models.OneToOneField(Draft, on_delete=models.CASCADE, related_name="credential")
    state = models.CharField(max_length=12, choices=CredentialState.choices)
    storage_key = models.CharField(max_length=512, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="sha256 of the credentialed copy.")
    size_bytes = models.BigIntegerField(default=0)
    manifest_label = models.CharField(max_length=120, blank=True, help_text="The C2PA active manifest's label.")
    key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="credentials")
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(name="credential_state_valid", condition=Q(state__in=CredentialState.values)),
            models.CheckConstraint(
                name="credential_embedded_has_copy",
                condition=~Q(state="embedded") | (~Q(storage_key="") & Q(sha256__regex=r"^[0-9a-f]{64}$")),
            ),
        ]

    def __str__(self) -> str:
        return f"content credential of draft {self.draft_id}"
