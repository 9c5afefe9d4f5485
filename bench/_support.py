"""What the benchmarks share: a PostgreSQL database of their own and a scratch folder, both removed afterwards."""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def bench_environment() -> Iterator[Path]:
    """DATABASE_URL if set, else a throwaway database on the local server; a scratch data folder. Yields the folder."""
    import psycopg

    admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
    made_db = None
    if not os.environ.get("DATABASE_URL"):
        made_db = f"atelier_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{made_db}"')
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{made_db}"
    tmp = Path(tempfile.mkdtemp(prefix="atelier-bench-"))
    (tmp / "static").mkdir()
    os.environ.update({"ATELIER_DATA_DIR": str(tmp), "MEDIA_ROOT": str(tmp / "media"), "S3_BUCKET": ""})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")
    try:
        yield tmp
    finally:
        from django.db import connections

        connections.close_all()
        if made_db:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{made_db}" WITH (FORCE)')
        shutil.rmtree(tmp, ignore_errors=True)


def image_items(project: Any, count: int) -> None:
    """`count` items of one ready image each (rows only: nothing in storage), and their tasks and slots."""
    from annotations.models import Item, MediaFile
    from annotations.services.tasks import tasks_generate

    for n in range(count):
        item = Item.objects.create(project=project, external_id=f"item-{n:05d}")
        MediaFile.objects.create(
            item=item,
            project=project,
            name="frame.png",
            storage_key=f"bench/{project.pk}/{n}.png",
            kind="image",
            content_type="image/png",
            size_bytes=1000,
            sha256=f"{project.pk:032x}{n:032x}",
            status="ready",
            probe={"width": 640, "height": 400},
        )
    tasks_generate(project=project)
