"""What a task retries on: the database or object storage being briefly unavailable (a restart, a failover, a
network blip). Every task is idempotent, so running again after such an error is safe; bad data is never retried."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

from annotations.providers.storage import TransientStorageError

DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
TRANSIENT: tuple[type[Exception], ...] = (TransientStorageError, *DATABASE_UNAVAILABLE)
