"""A freelancer's work on one task: the contribution (intent, notes, fields), its immutable drafts, its provenance."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from annotations.models.projects import Project
from annotations.models.tasks import Slot, Task


class ContributionState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    REVISION = "revision", "Revision requested"  # sent back while its author held another task of the project
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    EXPIRED = "expired", "Lease expired"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class Contribution(models.Model):
    """One freelancer on one task. It outlives the slot: a returned or expired one stays readable by its author.

    The working state (intent, process notes with their anchors, answers to the other output fields) is one
    document saved with optimistic concurrency: every save names the `version` it started from.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contributions")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="contributions")
    slot = models.ForeignKey(Slot, on_delete=models.SET_NULL, null=True, blank=True, related_name="contributions")
    freelancer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions")
    state = models.CharField(max_length=12, choices=ContributionState.choices, default=ContributionState.IN_PROGRESS)
    version = models.PositiveIntegerField(default=1)
    intent = models.TextField(blank=True)
    notes = models.JSONField(default=list, blank=True, help_text="Process notes: id, body, anchor, created_at.")
    answers = models.JSONField(default=dict, blank=True, help_text="Answers to the output spec's other fields, by key.")
    active_seconds = models.PositiveIntegerField(default=0, help_text="Time on task measured from activity.")
    sessions = models.PositiveIntegerField(default=0, help_text="Editing sessions: activity after an idle gap.")
    last_activity_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Provenance of the submission.
    tools = models.JSONField(default=list, blank=True, help_text="Tools the freelancer declares they used.")
    generative_tools_used = models.BooleanField(default=False)
    attested = models.BooleanField(default=False, help_text="The freelancer attests the work is their own.")
    content_sha256 = models.CharField(max_length=64, blank=True, help_text="sha256 of the submitted content.")
    chain_sha256 = models.CharField(max_length=64, blank=True, help_text="Hash chain head: the last draft's hash.")
    revisions = models.PositiveSmallIntegerField(default=0, help_text="Times a reviewer sent it back.")
    dispute = models.TextField(blank=True, help_text="The freelancer's case against a rejection (once).")
    disputed_at = models.DateTimeField(null=True, blank=True)
    dispute_outcome = models.CharField(max_length=10, blank=True, help_text="upheld or overturned, by an admin.")
    approved_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="When it was approved.")
    review_score = models.FloatField(
        null=True, blank=True, help_text="The approving review's rubric scores as a share of the maximum."
    )
    text_signature = models.JSONField(
        null=True, blank=True, help_text="MinHash signature of the final text, set at approval."
    )
    near_duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="An earlier approved contribution by someone else that this one nearly repeats.",
    )
    gold_score = models.FloatField(
        null=True, blank=True, help_text="Share of a gold item's known answers matched, set at submission."
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["freelancer", "state"]), models.Index(fields=["project", "state"])]
        constraints = [
            models.UniqueConstraint(fields=["task", "freelancer"], name="contribution_once_per_task"),
            models.UniqueConstraint(
                fields=["slot"], condition=Q(state="in_progress"), name="contribution_one_active_per_slot"
            ),
            # One task at a time: a freelancer holds at most one contribution in progress per project.
            models.UniqueConstraint(
                fields=["freelancer", "project"],
                condition=Q(state="in_progress"),
                name="contribution_one_in_progress_per_project",
            ),
            models.CheckConstraint(name="contribution_state_valid", condition=Q(state__in=ContributionState.values)),
            models.CheckConstraint(
                name="contribution_submitted_is_attested",
                condition=~Q(state="submitted") | (Q(attested=True) & Q(submitted_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return f"contribution {self.pk} to task {self.task_id}"


class DraftKind(models.TextChoices):
    TEXT = "text", "Text"
    FILE = "file", "File"


class Draft(models.Model):
    """One iteration. Insert-only: nothing updates a draft once saved; a new iteration is a new row."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="drafts")
    sequence = models.PositiveIntegerField()
    client_key = models.CharField(max_length=64, help_text="Idempotency key from the client: a replay is a no-op.")
    kind = models.CharField(max_length=4, choices=DraftKind.choices)
    body = models.TextField(blank=True, help_text="The text of a text draft.")
    storage_key = models.CharField(max_length=512, blank=True)
    name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField()
    change_note = models.TextField(help_text="What changed in this iteration.")
    what_failed = models.TextField(blank=True, help_text="What did not work, and why.")
    tools = models.JSONField(default=list, blank=True)
    generative_tools_used = models.BooleanField(default=False)
    content_sha256 = models.CharField(max_length=64)
    previous_sha256 = models.CharField(max_length=64, blank=True, help_text="chain_sha256 of the draft before.")
    chain_sha256 = models.CharField(max_length=64, help_text="sha256 over the previous hash and this draft.")
    created_at = models.DateTimeField(default=timezone.now, editable=False, help_text="Server time; in the chain.")
    active_seconds = models.PositiveIntegerField(default=0, help_text="Active time since the draft before.")
    sessions = models.PositiveIntegerField(default=0, help_text="Editing sessions since the draft before.")
    typed_chars = models.PositiveIntegerField(default=0, help_text="Characters typed since the draft before.")
    pasted_chars = models.PositiveIntegerField(default=0, help_text="Characters pasted since the draft before.")
    source_type = models.CharField(
        max_length=40,
        default="digitalCreation",
        help_text="The creator's declaration, in the IPTC digital source type vocabulary.",
    )
    phash = models.BigIntegerField(
        null=True, blank=True, help_text="64-bit perceptual hash of an image draft (signed), computed after saving."
    )

    class Meta:
        ordering = ["contribution_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "sequence"], name="draft_sequence_unique"),
            models.UniqueConstraint(fields=["contribution", "client_key"], name="draft_client_key_unique"),
            models.CheckConstraint(name="draft_kind_valid", condition=Q(kind__in=DraftKind.values)),
            models.CheckConstraint(
                name="draft_has_content",
                condition=(Q(kind="text") & ~Q(body="")) | (Q(kind="file") & ~Q(storage_key="")),
            ),
            models.CheckConstraint(name="draft_sha256_hex", condition=Q(content_sha256__regex=r"^[0-9a-f]{64}$")),
        ]

    def __str__(self) -> str:
        return f"draft {self.sequence} of contribution {self.contribution_id}"
