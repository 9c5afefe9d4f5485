"""Django's Redis cache, with one Redis client per connection pool instead of one per cache call.

Django's `RedisCacheClient.get_client` makes a new `redis.Redis` for every get, set or increment; redis-py builds
its table of response callbacks (some 150 entries) in each one, about 90 µs on this hardware. A signed-in API
request reads its session and counts its rate limit, so that was a fifth of a millisecond per request spent
making objects that hold no state of their own: a `redis.Redis` is a thin, thread-safe front to its pool, which
holds the connections. The pools, the serializer and every cache operation are Django's own."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django_client: Any = self  # the base class's private helpers, which django-stubs does not declare
        index = django_client._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            pool = django_client._get_connection_pool(write)
            client = self._clients[index] = django_client._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
