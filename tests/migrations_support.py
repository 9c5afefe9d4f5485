"""Migration tests move the test database to a migration and back; each ends at the latest migration of every app,
where the rest of the suite expects the schema."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets: list[tuple[str, str]] | None = None) -> Any:
    """Migrate to `targets`, or (None) to the latest of every app; returns the historical apps at that point."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
