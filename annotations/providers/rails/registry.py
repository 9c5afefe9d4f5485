"""The rails this installation offers (settings.PAYOUT_RAILS), each built from its settings."""

from __future__ import annotations

from django.conf import settings

from annotations.domain.money import CURRENCY_EXPONENTS, Money
from annotations.domain.payout_fees import NO_FEE, FeeRule, parse_fee
from annotations.providers.rails import paypal as paypal_rail
from annotations.providers.rails.paypal import PayPalPayouts
from annotations.providers.rails.stripe_connect import CONNECT_PAYOUT_COUNTRIES, StripeConnectRail


def offered() -> list[str]:
    return list(settings.PAYOUT_RAILS)


def paypal() -> PayPalPayouts:
    return PayPalPayouts(
        api_base=settings.PAYPAL_API_BASE,
        client_id=settings.PAYPAL_CLIENT_ID,
        client_secret=settings.PAYPAL_CLIENT_SECRET,
        webhook_id=settings.PAYPAL_WEBHOOK_ID,
    )


def stripe() -> StripeConnectRail:
    return StripeConnectRail(
        api_key=settings.STRIPE_SECRET_KEY,
        webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
        api_base=settings.STRIPE_API_BASE or None,
    )


def currencies(rail: str) -> list[str]:
    """The currencies the platform pays in that `rail` can pay someone in (somewhere)."""
    if rail == "paypal":
        reach = set(paypal_rail.CURRENCIES)
    elif rail == "stripe":
        reach = {currency for _, currency in CONNECT_PAYOUT_COUNTRIES.values()}
    else:
        reach = set(CURRENCY_EXPONENTS)
    return sorted(reach & set(CURRENCY_EXPONENTS))


def can_pay(rail: str, *, country: str, currency: str) -> str | None:
    """None when `rail` pays someone in `country` in `currency`; otherwise the sentence to show them."""
    if currency not in CURRENCY_EXPONENTS:
        return f"Atelier does not pay in {currency}."
    if rail == "paypal":
        return PayPalPayouts.can_pay(country=country, currency=currency)
    if rail == "stripe":
        return StripeConnectRail.can_pay(country=country, currency=currency)
    return None  # the sandbox pays anyone, in any currency the platform pays in


def fee_rule(rail: str) -> FeeRule:
    """What the rail charges per payout (settings.PAYOUT_FEES; none unless configured)."""
    text = settings.PAYOUT_FEES.get(rail)
    return parse_fee(text) if text else NO_FEE


def fee_account(rail: str) -> str:
    return f"rail:{rail}:fees"


def minimum_minor(rail: str, currency: str) -> int:
    """The smallest payout the rail makes in `currency` (settings.PAYOUT_MINIMUMS, else PAYOUT_MINIMUM_MINOR)."""
    text = settings.PAYOUT_MINIMUMS.get(f"{rail}.{currency}")
    return Money.from_decimal(text, currency).amount_minor if text else int(settings.PAYOUT_MINIMUM_MINOR)


def lowest_minimum() -> int:
    """The smallest minimum of any rail and currency: a balance under it is paid by none."""
    per_rail = [Money.from_decimal(v, k.split(".")[1]).amount_minor for k, v in settings.PAYOUT_MINIMUMS.items()]
    return min([int(settings.PAYOUT_MINIMUM_MINOR), *per_rail])
