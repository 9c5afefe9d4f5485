"""Every route that takes an id answers an id outside the database's 64-bit signed range with a 404 in the error
shape, for every method and on every database (SQLite raised OverflowError, a 500, for
`GET /api/v1/datasets/18446744073709551615/versions/202/tombstones`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

from tests.api.test_auth import error

pytestmark = pytest.mark.django_db

MAX_ID = 2**63 - 1  # the largest id a 64-bit signed column (PostgreSQL bigint, SQLite INTEGER) holds


def _api_routes() -> Iterator[tuple[str, dict[str, Any]]]:
    """(route, converters by parameter) of every path under /api/v1/ that takes a parameter."""

    def walk(patterns: list[Any], prefix: str, converters: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
        for p in patterns:
            route = prefix + str(p.pattern)
            found = {**converters, **p.pattern.converters}
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, route, found)
            elif isinstance(p, URLPattern) and found:
                yield route, found

    for route, converters in walk(get_resolver().url_patterns, "/", {}):
        if route.startswith("/api/v1/"):
            yield route, converters


ROUTES = sorted(_api_routes())
OUT_OF_RANGE = [2**64 - 1, MAX_ID + 1, 10**30]


def _path(route: str, converters: dict[str, Any], value: int, target: str) -> str:
    for name in converters:
        route = route.replace(f"<{type_of(route, name)}:{name}>", str(value if name == target else 1))
    return route


def type_of(route: str, name: str) -> str:
    start = route.index(f":{name}>")
    return route[route.rindex("<", 0, start) + 1 : start]


def test_every_id_in_the_api_is_bounded_to_the_database_range() -> None:
    """A new `<int:…>` route would reach the database with any integer: routes take ids through `<id:…>`."""
    assert ROUTES
    unbounded = [r for r, converters in ROUTES if any(isinstance(c, IntConverter) for c in converters.values())]
    assert unbounded == []


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_an_id_out_of_range_answers_404_on_every_route(client_for: Any, admin: Any, method: str, value: int) -> None:
    client = client_for(admin)
    for route, converters in ROUTES:
        for name in (n for n in converters if type_of(route, n) != "str"):
            path = _path(route, converters, value, name)
            error(getattr(client, method)(path, {}, format="json"), 404, "not_found")


def test_the_largest_id_is_an_ordinary_miss(client_for: Any, admin: Any) -> None:
    client = client_for(admin)
    for route, converters in ROUTES:
        for name in (n for n in converters if type_of(route, n) != "str"):
            assert client.get(_path(route, converters, MAX_ID, name)).status_code < 500, route
