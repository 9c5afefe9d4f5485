from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.domain.money import Money, MoneyError, hourly_rate, meets_minimum


@given(minor=st.integers(min_value=0, max_value=10**12), currency=st.sampled_from(["USD", "EUR", "JPY"]))
def test_decimal_round_trip_is_exact(minor: int, currency: str) -> None:
    m = Money(minor, currency)
    assert Money.from_decimal(m.as_decimal(), currency) == m
    assert Money.from_decimal(str(m.as_decimal()), currency) == m


@pytest.mark.parametrize(
    ("amount", "currency"), [("1.005", "USD"), ("1.5", "JPY"), ("NaN", "USD"), ("inf", "USD"), ("x", "USD")]
)
def test_inexact_or_non_numbers_are_refused(amount: str, currency: str) -> None:
    with pytest.raises(MoneyError):
        Money.from_decimal(amount, currency)


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(MoneyError, match="Unsupported currency"):
        Money(1, "XYZ")


@pytest.mark.parametrize(
    ("pay", "minutes", "rate"),
    [
        ("6.00", 15, "24.00"),
        ("2.00", 20, "6.00"),
        ("1.00", 7, "8.57"),
        ("0.01", 60, "0.01"),
        ("10.00", 60, "10.00"),
    ],
)
def test_hourly_rate(pay: str, minutes: int, rate: str) -> None:
    assert hourly_rate(Money.from_decimal(pay, "USD"), minutes).as_decimal() == Decimal(rate)


@given(minor=st.integers(min_value=0, max_value=10**9), minutes=st.integers(min_value=1, max_value=24 * 60))
def test_rate_times_hours_is_within_half_a_cent_per_hour_of_pay(minor: int, minutes: int) -> None:
    rate = hourly_rate(Money(minor, "USD"), minutes)
    # Exact arithmetic: rounding the rate by at most half a minor unit moves the pay by at most that per hour.
    assert abs(Fraction(rate.amount_minor * minutes, 60) - minor) <= Fraction(minutes, 120)


def test_minimum_is_inclusive_and_currency_checked() -> None:
    fifteen = Money.from_decimal("15.00", "USD")
    assert meets_minimum(Money.from_decimal("3.75", "USD"), 15, fifteen)
    assert not meets_minimum(Money.from_decimal("3.74", "USD"), 15, fifteen)
    with pytest.raises(MoneyError):
        meets_minimum(Money.from_decimal("3.75", "EUR"), 15, fifteen)
