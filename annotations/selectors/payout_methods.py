"""Reads of payout methods: a freelancer's own, what each rail offers, and the ones held for an operator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from annotations.domain.errors import NotFound
from annotations.domain.payout_fees import NO_FEE, describe_fee
from annotations.models import PayoutMethod, PayoutMethodReview, PayoutMethodStatus, PayoutRail, User
from annotations.providers.rails import registry

RAIL_HELP = {
    PayoutRail.SANDBOX: gettext_lazy("Test payouts: nothing real moves. For trying Atelier out."),
    PayoutRail.PAYPAL: gettext_lazy(
        "Paid to your PayPal account's email address, in most countries and 24 currencies."
    ),
    PayoutRail.STRIPE: gettext_lazy(
        "Paid to your bank account through Stripe (US, UK, EEA, Canada, Switzerland and more)."
    ),
}


def payout_methods_of(user: User) -> QuerySet[PayoutMethod]:
    return PayoutMethod.objects.filter(freelancer=user).exclude(status=PayoutMethodStatus.REMOVED)


def payout_methods_of_many(user_ids: list[int]) -> QuerySet[PayoutMethod]:
    return PayoutMethod.objects.filter(freelancer_id__in=user_ids).exclude(status=PayoutMethodStatus.REMOVED)


def payout_method_of(user: User, method_id: int) -> PayoutMethod:
    """One of the person's own methods; anyone else's (or a removed one) is 404."""
    method = payout_methods_of(user).filter(pk=method_id).first()
    if method is None:
        raise NotFound(gettext("No such payout method."))
    return method


def payable_reason(method: PayoutMethod, now: Any = None) -> str:
    """Why a payout cannot go to this method now; empty when it can."""
    now = now or timezone.now()
    if method.status != PayoutMethodStatus.ACTIVE:
        return gettext("Not verified yet.")
    if method.review == PayoutMethodReview.HELD:
        return gettext("Held: the name on it differs from your profile's. An admin checks it.")
    if method.hold_until > now:
        return gettext("On hold until %(until)s (a new or changed method waits).") % {
            "until": method.hold_until.isoformat()
        }
    return ""


def rail_options() -> list[dict[str, Any]]:
    """The rails offered here, with what each charges per payout and its minimums (where they differ from the
    platform's, PAYOUT_MINIMUM_MINOR)."""
    return [
        {
            "rail": rail,
            "label": PayoutRail(rail).label,
            "description": str(RAIL_HELP[PayoutRail(rail)]),
            "verification": "onboarding" if rail == PayoutRail.STRIPE else "code",
            "minimum_minor": settings.PAYOUT_MINIMUM_MINOR,
            "fee": describe_fee(registry.fee_rule(rail)),
            "fee_free": registry.fee_rule(rail) == NO_FEE,
            "minimums": {
                c: registry.minimum_minor(rail, c)
                for c in registry.currencies(rail)
                if f"{rail}.{c}" in settings.PAYOUT_MINIMUMS
            },
            "currencies": registry.currencies(rail),
        }
        for rail in registry.offered()
    ]


def held_payout_methods() -> QuerySet[PayoutMethod]:
    return (
        PayoutMethod.objects.filter(review=PayoutMethodReview.HELD)
        .exclude(status=PayoutMethodStatus.REMOVED)
        .select_related("freelancer")
        .order_by("created_at", "id")
    )
