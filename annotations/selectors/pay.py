from __future__ import annotations

from django.conf import settings

from annotations.domain.money import Money


def minimum_hourly_rate(currency: str) -> Money | None:
    """The platform minimum hourly rate in `currency`, or None where the platform does not pay in it."""
    amount = settings.PLATFORM_MIN_HOURLY_RATES.get(currency)
    return None if amount is None else Money.from_decimal(amount, currency)


def pay_currencies() -> list[str]:
    return sorted(settings.PLATFORM_MIN_HOURLY_RATES)
