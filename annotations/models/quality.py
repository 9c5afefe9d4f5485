"""Quality control: gold items with their known answers, image drafts that are near-duplicates of others, and the
LSH bands of approved texts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from annotations.models.projects import Item, Project
from annotations.models.work import Contribution, Draft


class GoldItem(models.Model):
    """An item whose answers are known: mixed into the stream at the project's gold rate, scored at submission."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="gold_items")
    item = models.OneToOneField(Item, on_delete=models.CASCADE, related_name="gold")
    answers = models.JSONField(help_text="Known answers to the spec's rating and choice fields, by key.")
    source = models.ForeignKey(
        Contribution,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The approved contribution the answers were taken from, if any.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project_id", "id"]

    def __str__(self) -> str:
        return f"gold {self.item}"


class NearDuplicate(models.Model):
    """Two image drafts of different contributions in one project whose perceptual hashes are close."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="near_duplicates")
    other = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="+")
    distance = models.PositiveSmallIntegerField(help_text="Bits that differ between the two 64-bit hashes.")
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["draft_id", "distance"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "other"], name="near_duplicate_pair_unique"),
            models.CheckConstraint(name="near_duplicate_not_self", condition=~Q(draft=F("other"))),
        ]

    def __str__(self) -> str:
        return f"draft {self.draft_id} ~ draft {self.other_id} ({self.distance} bits)"


class NearDuplicateBand(models.Model):
    """One LSH band of an approved contribution's text signature: approvals look up the contributions that share a
    band with theirs (an index scan) instead of comparing with every approved signature of the project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    band = models.PositiveSmallIntegerField(help_text="Which band of the signature (0 to collapse.BANDS - 1).")
    band_hash = models.BigIntegerField(help_text="The band's values hashed to a signed 64-bit integer.")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contribution", "band"], name="near_duplicate_band_once"),
        ]
        indexes = [
            # A bucket's contributions in order: the earliest candidates of each band come first from the index.
            models.Index(fields=["project", "band", "band_hash", "contribution"], name="near_duplicate_band_bucket"),
        ]

    def __str__(self) -> str:
        return f"contribution {self.contribution_id} band {self.band}"
