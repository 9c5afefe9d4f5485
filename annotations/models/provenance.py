"""The platform's signing keys (public halves, kept for ever) and each approved contribution's signed manifest."""

from __future__ import annotations

from django.db import models

from annotations.models.work import Contribution


class SigningKey(models.Model):
    """A public key the platform has signed manifests with. The private key lives outside the database."""

    key_id = models.CharField(max_length=16, unique=True)
    public_key = models.CharField(max_length=64, help_text="Raw Ed25519 public key, base64.")
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
