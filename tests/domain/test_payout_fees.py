from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.domain.payout_fees import NO_FEE, FeeRule, describe_fee, fee_minor, parse_fee


def test_rules_read_as_operators_write_them() -> None:
    assert parse_fee("2%") == FeeRule(Decimal("2"))
    assert parse_fee("0.25% + 0.25") == FeeRule(Decimal("0.25"), Decimal("0.25"))
    assert parse_fee("2% max 20.00") == FeeRule(Decimal("2"), cap=Decimal("20.00"))
    assert parse_fee("0%") == NO_FEE
    for bad in ["", "2", "two%", "2% max", "-1%"]:
        with pytest.raises(ValueError):
            parse_fee(bad)


def test_fees_in_minor_units_with_the_currencys_exponent() -> None:
    assert fee_minor(parse_fee("2% max 20.00"), 10_000, "USD") == 200  # 2% of 100.00
    assert fee_minor(parse_fee("2% max 20.00"), 500_000, "USD") == 2000  # capped at 20.00
    assert fee_minor(parse_fee("0.25% + 0.25"), 1000, "EUR") == 28  # 2.5 + 25, half up
    assert fee_minor(parse_fee("1% + 30"), 5000, "JPY") == 80  # yen have no minor unit
    assert fee_minor(parse_fee("0% + 5.00"), 300, "USD") == 300  # never more than the payout


def test_descriptions() -> None:
    assert describe_fee(NO_FEE) == "No fee"
    assert describe_fee(parse_fee("2% max 20.00")) == "2% (at most 20.00)"
    assert describe_fee(parse_fee("0.25% + 0.25")) == "0.25% + 0.25"


@given(st.integers(1, 10**9), st.decimals(0, 10, places=2), st.decimals(0, 100, places=2))
def test_a_fee_is_never_negative_nor_more_than_the_payout(amount: int, pct: Decimal, fixed: Decimal) -> None:
    fee = fee_minor(FeeRule(pct, fixed), amount, "USD")
    assert 0 <= fee <= amount
