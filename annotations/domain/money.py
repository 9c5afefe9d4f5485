"""Money as integer minor units plus an ISO 4217 currency, and the fair-pay arithmetic on it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from django.utils.translation import gettext

# ISO 4217 minor-unit exponents of the currencies the platform pays in.
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "CHF": 2,
    "INR": 2,
    "BRL": 2,
    "MXN": 2,
    "PHP": 2,
    "KES": 2,
    "NGN": 2,
    "JPY": 0,
}


# Every other ISO 4217 currency whose minor unit is not a hundredth, so that an amount in one is shown right (the
# platform pays only in CURRENCY_EXPONENTS; a figure in another currency can still reach a card or a statement).
OTHER_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(["BIF", "CLP", "DJF", "GNF", "ISK", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV"], 0),
    **dict.fromkeys(["XAF", "XOF", "XPF"], 0),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}


class MoneyError(ValueError):
    """An amount or currency that cannot be represented."""


def exponent_of(currency: str) -> int:
    """The currency's ISO 4217 minor-unit exponent: 2 for USD, 0 for JPY, 3 for KWD."""
    exp = CURRENCY_EXPONENTS.get(currency, OTHER_EXPONENTS.get(currency))
    if exp is None:
        raise MoneyError(gettext("Unsupported currency %(currency)s.") % {"currency": repr(currency)})
    return exp


def major_units(amount_minor: int | float, currency: str) -> float:
    """An amount (or a median, which may fall between two) of minor units in major units, rounded to the currency's
    minor unit: what a card shows. Never divide by 100: JPY has no minor unit and KWD has thousandths."""
    exp = exponent_of(currency)
    return float(round(amount_minor / 10**exp, exp))


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        exponent_of(self.currency)

    @classmethod
    def from_decimal(cls, amount: Decimal | str, currency: str) -> Money:
        """Exact conversion: an amount with more decimals than the currency has is refused, not rounded."""
        exp = exponent_of(currency)
        try:
            value = Decimal(amount)
        except (InvalidOperation, TypeError):
            raise MoneyError(gettext("%(amount)s is not a number.") % {"amount": repr(amount)}) from None
        if not value.is_finite():
            raise MoneyError(gettext("Amount must be a finite number."))
        scaled = value.scaleb(exp)
        if scaled != scaled.to_integral_value():
            raise MoneyError(
                gettext("%(currency)s amounts have at most %(exp)s decimal places.")
                % {"currency": currency, "exp": exp}
            )
        return cls(int(scaled), currency)

    def as_decimal(self) -> Decimal:
        exp = exponent_of(self.currency)
        return Decimal(self.amount_minor).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))

    def __str__(self) -> str:
        return f"{self.as_decimal()} {self.currency}"


def hourly_rate(pay: Money, minutes: int) -> Money:
    """The effective hourly rate of `pay` for `minutes` of work, rounded half-even to the minor unit."""
    if minutes <= 0:
        raise MoneyError(gettext("Minutes must be positive."))
    per_hour = (Decimal(pay.amount_minor) * 60 / Decimal(minutes)).to_integral_value(rounding=ROUND_HALF_EVEN)
    return Money(int(per_hour), pay.currency)


def meets_minimum(pay: Money, minutes: int, minimum_hourly: Money) -> bool:
    if pay.currency != minimum_hourly.currency:
        raise MoneyError(gettext("Pay and minimum rate are in different currencies."))
    return hourly_rate(pay, minutes).amount_minor >= minimum_hourly.amount_minor
