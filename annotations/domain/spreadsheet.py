"""Cells for CSV files that people open in a spreadsheet.

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (and skips a leading tab or
carriage return before looking), so text that someone else wrote, such as a project title or a ledger memo, could
fetch a URL or start a program when the file is opened (CSV injection, OWASP). Every text cell is passed through
`text_cell`, which puts a single quote in front of such text: spreadsheets show it as text, and a program reading
the CSV sees the quote. Numbers are written as numbers and never passed through it, so a negative amount stays a
number.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str) -> str:
    """`value` as a CSV cell that no spreadsheet runs as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
