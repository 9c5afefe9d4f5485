"""Path converters of the API. Ids in paths are `<id:…>`: a decimal number in the database's 64-bit signed range.

Django's `<int:…>` takes any number of digits, and a lookup with one beyond what the column holds fails in the
driver (SQLite: OverflowError, a 500). Refusing it in `to_python` makes the route not match, so the request falls
through to `api_not_found`: 404 in the error shape, for every method, on every database.
"""

from __future__ import annotations

MAX_ID = 2**63 - 1  # PostgreSQL bigint, SQLite INTEGER


class IdConverter:
    regex = "[0-9]{1,20}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("id out of range")  # the URL resolver reads ValueError as "no match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)
