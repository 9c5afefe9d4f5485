"""What a rail adapter answers, whichever rail it is."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# pending: the rail has it and has not finished; confirmed: the money reached the receiver's account; failed: the
# rail refused or could not pay (nothing left us); returned: paid but sent back (PayPal's unclaimed payouts after
# 30 days); reversed: we or the rail took it back after it was paid; held: the rail holds it for review.
RailStatus = Literal["pending", "confirmed", "failed", "returned", "reversed", "held"]


@dataclass(frozen=True, slots=True)
class RailItem:
    """One payment to one receiver. `key` is the payout's idempotency key; the rail sees it on every attempt."""

    key: str
    receiver: str  # PayPal: the receiver's email or PayPal id; Stripe: the connected account id (acct_…)
    amount_minor: int
    currency: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class RailItemStatus:
    key: str
    ref: str  # the rail's own id for the item (PayPal payout_item_id, Stripe transfer id)
    status: RailStatus
    amount_minor: int | None = None
    currency: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class RailBatch:
    ref: str  # PayPal payout_batch_id; Stripe has no batches and answers one per transfer
    status: str
    items: list[RailItemStatus] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RailEvent:
    """A verified webhook event. `id` is the rail's event id: each is processed once."""

    id: str
    type: str
    item: RailItemStatus | None = None
    account: str = ""  # Stripe: the connected account an `account.updated` is about
    raw: dict[str, Any] = field(default_factory=dict)
