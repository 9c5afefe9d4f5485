"""Datasets and their immutable, numbered versions: a frozen list of records, written as shards per format."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.accounts import Organization
from annotations.models.projects import Project
from annotations.models.work import Contribution


class Dataset(models.Model):
    """What to export: projects, filters and formats. Each build freezes them into a new version."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="datasets")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    projects = models.ManyToManyField(Project, related_name="datasets")
    filters = models.JSONField(default=dict, blank=True, help_text="See domain/datasets.py: which records go in.")
    formats = models.JSONField(default=list, help_text="jsonl, parquet, webdataset, hf.")
    shard_size = models.PositiveIntegerField(default=10_000, help_text="Records per shard.")
    compression = models.CharField(max_length=8, default="zstd", help_text="JSONL: none, gzip or zstd.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="dataset_name_unique_in_organization"),
            models.CheckConstraint(name="dataset_shard_size_range", condition=Q(shard_size__gte=1)),
        ]

    def __str__(self) -> str:
        return self.name


class VersionState(models.TextChoices):
    QUEUED = "queued", "Queued"
    BUILDING = "building", "Building"
    BUILT = "built", "Built"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class DatasetVersion(models.Model):
    """One build. The record list is frozen when the build starts; once built nothing about it changes."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=VersionState.choices, default=VersionState.QUEUED)
    schema_version = models.PositiveSmallIntegerField()
    filters = models.JSONField(help_text="The dataset's filters when the build started.")
    formats = models.JSONField()
    shard_size = models.PositiveIntegerField()
    compression = models.CharField(max_length=8)
    snapshot_at = models.DateTimeField(null=True, blank=True, help_text="Work approved up to here is in.")
    record_count = models.PositiveIntegerField(default=0)
    shards_total = models.PositiveIntegerField(default=0)
    shards_done = models.PositiveIntegerField(default=0)
    manifest = models.JSONField(default=dict, blank=True)
    card = models.JSONField(default=dict, blank=True, help_text="The data card's facts; Markdown is made from them.")
    card_markdown = models.TextField(blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dataset_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="dataset_version_number_unique"),
            models.CheckConstraint(name="dataset_version_state_valid", condition=Q(state__in=VersionState.values)),
            models.CheckConstraint(
                name="dataset_version_shards_done", condition=Q(shards_done__lte=models.F("shards_total"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"


class DatasetRecord(models.Model):
    """A contribution frozen into a version, at a fixed position (which decides its shard)."""

    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="records")
    contribution = models.ForeignKey(Contribution, on_delete=models.PROTECT, related_name="+")
    ordinal = models.PositiveIntegerField()

    class Meta:
        ordering = ["version_id", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["version", "ordinal"], name="dataset_record_ordinal_unique"),
            models.UniqueConstraint(fields=["version", "contribution"], name="dataset_record_once_per_version"),
        ]

    def __str__(self) -> str:
        return f"record {self.ordinal} of version {self.version_id}"


class ShardState(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class DatasetShard(models.Model):
    version = models.ForeignKey(DatasetVersion, on_delete=models.CASCADE, related_name="shards")
    format = models.CharField(max_length=12)
    index = models.PositiveIntegerField()
    first_ordinal = models.PositiveIntegerField()
    end_ordinal = models.PositiveIntegerField(help_text="One past the last record's ordinal.")
    state = models.CharField(max_length=8, choices=ShardState.choices, default=ShardState.PENDING)
    storage_key = models.CharField(max_length=512, blank=True)
    size_bytes = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    facts = models.JSONField(default=dict, blank=True, help_text="What the shard saw, for the data card.")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version_id", "format", "index"]
        constraints = [
            models.UniqueConstraint(fields=["version", "format", "index"], name="dataset_shard_unique"),
            models.CheckConstraint(name="dataset_shard_state_valid", condition=Q(state__in=ShardState.values)),
        ]

    def __str__(self) -> str:
        return f"{self.format} shard {self.index} of version {self.version_id}"


class ConsentWithdrawal(models.Model):
    """A contributor who no longer wants their work in datasets: left out of every later version, and listed as
    a tombstone by the versions that hold it."""

    freelancer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"withdrawal of {self.freelancer_id}"
