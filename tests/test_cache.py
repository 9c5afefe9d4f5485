"""The Redis cache keeps one client per connection pool (platform/atelier/cache.py): the same operations as
Django's backend, against the real server, and safe when the threads of one web process share it."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from atelier.cache import ReusedClientRedisCache


def fresh_cache(url: str) -> ReusedClientRedisCache:
    return ReusedClientRedisCache(url, {"KEY_PREFIX": f"test-cache-{uuid.uuid4().hex}"})


def test_cache_operations_work_as_djangos(redis_url: str) -> None:
    cache = fresh_cache(redis_url)
    assert cache.get("missing") is None
    cache.set("session", {"user": 7, "seen": [1, 2]}, timeout=30)
    assert cache.get("session") == {"user": 7, "seen": [1, 2]}
    assert cache.add("window", 1, timeout=30) is True
    assert cache.add("window", 1, timeout=30) is False
    assert cache.incr("window") == 2
    cache.delete("session")
    assert cache.get("session") is None
    cache.delete("window")


def test_calls_reuse_one_client_per_pool(redis_url: str) -> None:
    cache = fresh_cache(redis_url)
    backend: Any = cache  # `_cache`, the backend's client, is Django's private attribute
    first = backend._cache.get_client(write=True)
    cache.set("k", 1, timeout=30)
    cache.get("k")
    assert backend._cache.get_client(write=True) is first
    assert backend._cache.get_client(write=False) is first  # one server: reads and writes share the pool
    cache.delete("k")


def test_threads_sharing_the_client_lose_no_increment(redis_url: str) -> None:
    cache = fresh_cache(redis_url)
    cache.set("count", 0, timeout=60)

    def bump(_: int) -> None:
        for _ in range(200):
            cache.incr("count")

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(bump, range(8)))
    assert cache.get("count") == 1600
    cache.delete("count")
