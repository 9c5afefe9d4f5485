"""Money is shown in the currency's own minor unit: no decimals for JPY, three for KWD and BHD, two for USD."""

from __future__ import annotations

from collections import Counter

import pytest

from annotations.domain.datasets import ShardFacts, card_facts, card_markdown
from annotations.domain.money import Money, exponent_of


@pytest.mark.parametrize(
    ("currency", "exponent", "minor", "shown"),
    [("USD", 2, 2400, "24.00"), ("JPY", 0, 2400, "2400"), ("KWD", 3, 2400, "2.400"), ("BHD", 3, 12345, "12.345")],
)
def test_the_card_median_pay_is_in_the_currencys_unit(currency: str, exponent: int, minor: int, shown: str) -> None:
    # Given a version whose every record paid `minor` minor units an hour
    facts = ShardFacts(records=3, hourly_minor=Counter({minor: 3}))
    projects = [{"title": "P", "brief": "", "currency": currency}]
    # When the card is made
    card = card_facts(
        facts=facts, contributors=1, projects=projects, licences=["CC-BY-4.0"], currency=currency, filters={},
        withdrawn_left_out=0,
    )  # fmt: skip
    # Then the median is the same amount in major units, to the currency's precision, and the Markdown says so
    assert exponent_of(currency) == exponent
    assert card["pay"]["median_effective_hourly"] == float(Money(minor, currency).as_decimal())
    assert f"Median effective hourly rate: {shown} {currency}" in card_markdown("T", 1, card, "now")


def test_a_version_mixing_currencies_gives_no_median_pay() -> None:
    facts = ShardFacts(records=2, hourly_minor=Counter({2400: 1, 300_000: 1}))
    projects = [{"title": "A", "brief": "", "currency": "USD"}, {"title": "B", "brief": "", "currency": "JPY"}]
    card = card_facts(
        facts=facts, contributors=1, projects=projects, licences=[], currency=None, filters={}, withdrawn_left_out=0
    )
    assert card["pay"]["median_effective_hourly"] is None
    assert "Median effective hourly rate: n/a" in card_markdown("T", 1, card, "now")
