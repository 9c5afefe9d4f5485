"""What a rail charges for a payout, and the smallest payout it makes: rules from settings, arithmetic in minor
units. Pure Python.

A fee rule reads "2%", "0.25% + 0.25" or "2% max 20.00": a percentage of the payout, plus a fixed amount, at most a
cap; the amounts are in the payout's own currency (major units). The fee is taken from the payout (the freelancer
sees it before choosing a method) and posted to the rail's fee account."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext

from annotations.domain.money import exponent_of

_RULE = re.compile(r"^\s*(?P<pct>\d+(\.\d+)?)\s*%\s*(\+\s*(?P<fixed>\d+(\.\d+)?))?\s*(max\s+(?P<cap>\d+(\.\d+)?))?\s*$")


@dataclass(frozen=True, slots=True)
class FeeRule:
    percent: Decimal
    fixed: Decimal = Decimal(0)
    cap: Decimal | None = None


NO_FEE = FeeRule(percent=Decimal(0))


def parse_fee(text: str) -> FeeRule:
    found = _RULE.match(text)
    if not found:
        raise ValueError(f"not a fee rule: {text!r} (write e.g. 2%, 0.25% + 0.25 or 2% max 20.00)")
    try:
        return FeeRule(
            percent=Decimal(found["pct"]),
            fixed=Decimal(found["fixed"] or 0),
            cap=Decimal(found["cap"]) if found["cap"] else None,
        )
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(str(exc)) from exc


def fee_minor(rule: FeeRule, amount_minor: int, currency: str) -> int:
    """The fee on a payout of `amount_minor`, in minor units, rounded half up; never more than the payout."""
    unit = Decimal(10) ** exponent_of(currency)
    fee = Decimal(amount_minor) * rule.percent / 100 + rule.fixed * unit
    if rule.cap is not None:
        fee = min(fee, rule.cap * unit)
    return min(amount_minor, int(fee.quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def describe_fee(rule: FeeRule) -> str:
    """The rule as people read it, in the active language (call it where the text is shown)."""
    if rule == NO_FEE:
        return gettext("No fee")
    parts = [f"{rule.percent.normalize():f}%"] if rule.percent else []
    if rule.fixed:
        parts.append(f"{rule.fixed:f}")
    text = " + ".join(parts)
    if rule.cap is None:
        return text
    return gettext("%(fee)s (at most %(cap)s)") % {"fee": text, "cap": f"{rule.cap:f}"}
