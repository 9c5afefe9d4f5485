"""Models, one module per aggregate; each is re-exported here by name."""

from annotations.models.accounts import (
    FreelancerProfile,
    Modality,
    Organization,
    Role,
    TermsAcceptance,
    TermsKind,
    User,
)
from annotations.models.audit import AuditEvent
from annotations.models.credit import CreditOptIn
from annotations.models.datasets import (
    ConsentWithdrawal,
    Dataset,
    DatasetRecord,
    DatasetShard,
    DatasetVersion,
    ShardState,
    VersionState,
)
from annotations.models.exams import ExamAttempt, ExamItem, QualificationExam
from annotations.models.invitations import Invitation, InvitationRole
from annotations.models.notifications import EmailState, Notification, NotificationPreference, OutboundEmail
from annotations.models.payouts import (
    Payout,
    PayoutBatch,
    PayoutMethod,
    PayoutMethodReview,
    PayoutMethodStatus,
    PayoutRail,
    PayoutState,
    RailWebhookEvent,
    SandboxTransfer,
)
from annotations.models.projects import Item, MediaFile, MediaKind, MediaStatus, Project, ProjectStatus
from annotations.models.provenance import ContentCredential, CredentialState, ProvenanceManifest, SigningKey
from annotations.models.quality import GoldItem, NearDuplicate, NearDuplicateBand
from annotations.models.review import EntryKind, LedgerEntry, Posting, Review, ReviewDecision
from annotations.models.tasks import Slot, SlotState, Task
from annotations.models.tokens import ApiToken
from annotations.models.webhooks import DeliveryState, WebhookDelivery, WebhookEndpoint
from annotations.models.work import Contribution, ContributionState, Draft, DraftKind

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ConsentWithdrawal",
    "ContentCredential",
    "Contribution",
    "ContributionState",
    "CredentialState",
    "CreditOptIn",
    "Dataset",
    "DatasetRecord",
    "DatasetShard",
    "DatasetVersion",
    "DeliveryState",
    "Draft",
    "DraftKind",
    "EmailState",
    "EntryKind",
    "ExamAttempt",
    "ExamItem",
    "FreelancerProfile",
    "GoldItem",
    "Invitation",
    "InvitationRole",
    "Item",
    "LedgerEntry",
    "MediaFile",
    "MediaKind",
    "MediaStatus",
    "Modality",
    "NearDuplicate",
    "NearDuplicateBand",
    "Notification",
    "NotificationPreference",
    "Organization",
    "OutboundEmail",
    "Payout",
    "PayoutBatch",
    "PayoutMethod",
    "PayoutMethodReview",
    "PayoutMethodStatus",
    "PayoutRail",
    "PayoutState",
    "Posting",
    "Project",
    "ProjectStatus",
    "ProvenanceManifest",
    "QualificationExam",
    "RailWebhookEvent",
    "Review",
    "ReviewDecision",
    "Role",
    "SandboxTransfer",
    "ShardState",
    "SigningKey",
    "Slot",
    "SlotState",
    "Task",
    "TermsAcceptance",
    "TermsKind",
    "User",
    "VersionState",
    "WebhookDelivery",
    "WebhookEndpoint",
]
