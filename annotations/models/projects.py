"""Projects and the multimodal items (bundles of media files) they are made of."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from annotations.models.accounts import Organization


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class Project(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="projects")
    title = models.CharField(max_length=200)
    brief = models.TextField(blank=True, help_text="Markdown; rendered sanitised.")
    instructions = models.TextField(blank=True, help_text="Markdown; rendered sanitised.")
    examples = models.JSONField(
        default=list, blank=True, help_text="Example contributions: [{title, body (Markdown)}]."
    )
    status = models.CharField(max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT)
    modalities = models.JSONField(default=list, blank=True)
    output_spec = models.JSONField(default=dict, blank=True, help_text="What a contribution must hold (see domain).")
    # Pay per contribution, in integer minor units of pay_currency (cents for USD).
    pay_amount_minor = models.BigIntegerField()
    pay_currency = models.CharField(max_length=3, default="USD")
    estimated_minutes = models.PositiveIntegerField()
    # Work rules.
    replicas_per_item = models.PositiveSmallIntegerField(default=1, help_text="Different freelancers per item.")
    qualifications = models.JSONField(
        default=dict, blank=True, help_text="{skills: [...], modalities: [...], min_reputation: 0..1}"
    )
    deadline = models.DateTimeField(null=True, blank=True)
    agreement_version = models.CharField(max_length=40, default="2026-11")
    licence = models.CharField(max_length=60, default="CC-BY-4.0", help_text="SPDX identifier of the output licence.")
    generative_tools_allowed = models.BooleanField(default=False)
    review_period_hours = models.PositiveIntegerField(
        default=72, help_text="Submissions not reviewed within this are approved automatically."
    )
    rubric = models.JSONField(default=list, blank=True, help_text="Review criteria: [{key, label, max}].")
    gold_rate = models.PositiveSmallIntegerField(
        default=0, help_text="Percent of claims served from the gold items (0 to 50); freelancers are not told which."
    )
    required_exam = models.ForeignKey(
        "annotations.QualificationExam",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requiring_projects",
        help_text="A qualification exam of the same organisation to pass before claiming work here.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="created_projects")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"]), models.Index(fields=["status"])]
        constraints = [
            models.CheckConstraint(name="project_status_valid", condition=Q(status__in=ProjectStatus.values)),
            models.CheckConstraint(name="project_pay_not_negative", condition=Q(pay_amount_minor__gte=0)),
            models.CheckConstraint(name="project_minutes_positive", condition=Q(estimated_minutes__gt=0)),
            models.CheckConstraint(name="project_gold_rate_range", condition=Q(gold_rate__lte=50)),
            models.CheckConstraint(name="project_currency_iso", condition=Q(pay_currency__regex=r"^[A-Z]{3}$")),
            models.CheckConstraint(
                name="project_replicas_range", condition=Q(replicas_per_item__gte=1, replicas_per_item__lte=20)
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Item(models.Model):
    """One unit of work: a bundle of one or more media files (e.g. a video, its audio and a motion CSV)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="items")
    external_id = models.CharField(max_length=200, help_text="The id the manifest or uploader gave it.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="item_external_id_unique_in_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.external_id}"


class MediaKind(models.TextChoices):
    IMAGE = "image", "Image"
    AUDIO = "audio", "Audio"
    VIDEO = "video", "Video"
    TEXT = "text", "Text"
    MOTION = "motion", "Motion capture"
    SENSOR = "sensor", "Sensor time series"
    MODEL = "model", "3D model"
    OTHER = "other", "Other"


# The kinds that run in time and so sit on the item's shared clock (each at its own offset).
TIMED_KINDS = (MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.MOTION, MediaKind.SENSOR)
MAX_OFFSET_SECONDS = 3600.0


class MediaStatus(models.TextChoices):
    UPLOADING = "uploading", "Awaiting upload"
    PENDING = "pending", "Pending"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class MediaFile(models.Model):
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="files")
    # Denormalised from item so that the database can keep content unique within a project.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="media_files")
    name = models.CharField(max_length=255, help_text="Sanitised original file name.")
    storage_key = models.CharField(max_length=512, unique=True)
    kind = models.CharField(max_length=8, choices=MediaKind.choices)
    content_type = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64, blank=True)
    claimed_content_type = models.CharField(max_length=100, blank=True, help_text="What the uploader said.")
    status = models.CharField(max_length=10, choices=MediaStatus.choices, default=MediaStatus.PENDING)
    failure_reason = models.CharField(max_length=500, blank=True)
    probe = models.JSONField(default=dict, blank=True)
    offset_seconds = models.FloatField(
        default=0.0,
        help_text="Where the file starts on the item's clock, in seconds (a timed file only; may be negative).",
    )
    preview_key = models.CharField(max_length=512, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    ingested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["project", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "sha256"],
                condition=Q(status="ready"),
                name="media_content_unique_in_project",
            ),
            models.CheckConstraint(name="media_size_not_negative", condition=Q(size_bytes__gte=0)),
            models.CheckConstraint(name="media_kind_valid", condition=Q(kind__in=MediaKind.values)),
            models.CheckConstraint(name="media_status_valid", condition=Q(status__in=MediaStatus.values)),
            models.CheckConstraint(
                name="media_offset_in_range",
                condition=Q(offset_seconds__gte=-MAX_OFFSET_SECONDS, offset_seconds__lte=MAX_OFFSET_SECONDS),
            ),
            models.CheckConstraint(
                name="media_ready_has_sha256",
                condition=~Q(status=MediaStatus.READY) | Q(sha256__regex=r"^[0-9a-f]{64}$"),
            ),
            models.CheckConstraint(
                name="media_failed_has_reason",
                condition=~Q(status=MediaStatus.FAILED) | ~Q(failure_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return self.name
