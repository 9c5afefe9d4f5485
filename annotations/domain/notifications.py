"""What Atelier tells people about, on which channels, and who may hear of each kind. Pure Python."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class NotificationKind(StrEnum):
    # Freelancers
    REVISION_REQUESTED = "revision_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    DISPUTE_SETTLED = "dispute_settled"
    PAYOUT_SENT = "payout_sent"
    PAYOUT_FAILED = "payout_failed"
    QUALIFICATION_RESULT = "qualification_result"
    PROJECT_DIGEST = "project_digest"
    # Organisation admins (and, for payouts_failed, the platform's operators)
    DATASET_VERSION_BUILT = "dataset_version_built"
    DATASET_VERSION_FAILED = "dataset_version_failed"
    PAYOUTS_FAILED = "payouts_failed"


class Channel(StrEnum):
    IN_APP = "in_app"
    EMAIL = "email"


FREELANCER_KINDS: tuple[NotificationKind, ...] = (
    NotificationKind.REVISION_REQUESTED,
    NotificationKind.APPROVED,
    NotificationKind.REJECTED,
    NotificationKind.DISPUTE_SETTLED,
    NotificationKind.PAYOUT_SENT,
    NotificationKind.PAYOUT_FAILED,
    NotificationKind.QUALIFICATION_RESULT,
    NotificationKind.PROJECT_DIGEST,
)
ADMIN_KINDS: tuple[NotificationKind, ...] = (
    NotificationKind.DATASET_VERSION_BUILT,
    NotificationKind.DATASET_VERSION_FAILED,
)
OPERATOR_KINDS: tuple[NotificationKind, ...] = (NotificationKind.PAYOUTS_FAILED,)

LABELS: dict[NotificationKind, StrPromise] = {
    NotificationKind.REVISION_REQUESTED: gettext_lazy("A reviewer asks for a revision"),
    NotificationKind.APPROVED: gettext_lazy("Your work is approved"),
    NotificationKind.REJECTED: gettext_lazy("Your work is rejected"),
    NotificationKind.DISPUTE_SETTLED: gettext_lazy("A dispute is settled"),
    NotificationKind.PAYOUT_SENT: gettext_lazy("A payout is sent"),
    NotificationKind.PAYOUT_FAILED: gettext_lazy("A payout failed or came back"),
    NotificationKind.QUALIFICATION_RESULT: gettext_lazy("Qualification exam results"),
    NotificationKind.PROJECT_DIGEST: gettext_lazy("Daily digest of new projects"),
    NotificationKind.DATASET_VERSION_BUILT: gettext_lazy("A dataset version is built"),
    NotificationKind.DATASET_VERSION_FAILED: gettext_lazy("A dataset version failed"),
    NotificationKind.PAYOUTS_FAILED: gettext_lazy("Payouts failed (platform)"),
}


def kinds_for(*, role: str, is_staff: bool) -> tuple[NotificationKind, ...]:
    """The kinds a person with this role can receive, in the order the preferences page lists them."""
    if role == "freelancer":
        return FREELANCER_KINDS
    kinds: tuple[NotificationKind, ...] = ADMIN_KINDS if role == "admin" else ()
    if role == "admin" and is_staff:
        kinds += OPERATOR_KINDS
    return kinds


def enabled_by_default(kind: str, channel: str) -> bool:
    """Everything is on until the person switches it off (a row in NotificationPreference says otherwise)."""
    return True
