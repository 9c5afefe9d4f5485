"""Ingestion throughput: N generated images of mixed sizes through the real pipeline vs plain Pillow.

Pipeline: each file is stored, announced as a pending MediaFile and ingested by the same service the Celery task
calls (read back from storage, sha256, sniffed type, duplicate check, Pillow verify and decode, WebP preview
written to storage, row updated). Baseline: Pillow opens each file and writes the same thumbnail, in one loop.
The ratio pipeline/baseline is the figure that matters; absolute numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import platform as stdlib_platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]


def make_images(count: int, seed: int = 1) -> list[tuple[str, bytes, str]]:
    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    sizes = [(320, 240), (800, 600), (1280, 960), (1920, 1080), (2400, 1600)]
    files = []
    for n in range(count):
        w, h = rnd.choice(sizes)
        img = Image.new("RGB", (w, h), (rnd.randrange(256), rnd.randrange(256), rnd.randrange(256)))
        draw = ImageDraw.Draw(img)
        for _ in range(6):
            x, y = rnd.randrange(w), rnd.randrange(h)
            draw.ellipse([x, y, x + w // 5, y + h // 5], fill=(rnd.randrange(256), rnd.randrange(256), 90))
        draw.text((10, 10), f"bench {n}", fill=(0, 0, 0))
        out = io.BytesIO()
        if n % 2:
            img.save(out, format="JPEG", quality=85)
            files.append((f"img-{n}.jpg", out.getvalue(), "image/jpeg"))
        else:
            img.save(out, format="PNG", compress_level=1)
            files.append((f"img-{n}.png", out.getvalue(), "image/png"))
    return files


def baseline(files: list[tuple[str, bytes, str]]) -> float:
    from PIL import Image

    start = time.perf_counter()
    for _, data, _ in files:
        with Image.open(io.BytesIO(data)) as img:
            rgb = img.convert("RGB")
            rgb.thumbnail((480, 480))
            rgb.save(io.BytesIO(), format="WEBP", quality=80, method=4)
    return time.perf_counter() - start


def pipeline(files: list[tuple[str, bytes, str]]) -> float:
    from annotations.models import Item, MediaFile, MediaStatus
    from annotations.providers.storage import object_storage
    from annotations.services.ingestion import media_file_ingest
    from tests.factories import OrganizationFactory, ProjectFactory, UserFactory

    org = OrganizationFactory.create()
    project = ProjectFactory.create(organization=org, created_by=UserFactory.create(role="admin", organization=org))
    storage = object_storage()
    ids = []
    for n, (name, data, ctype) in enumerate(files):
        item = Item.objects.create(project=project, external_id=f"bench-{n}")
        key = f"bench/{project.pk}/{n}/{name}"
        storage.put(key, data, ctype)
        ids.append(
            MediaFile.objects.create(
                item=item,
                project=project,
                name=name,
                storage_key=key,
                kind="image",
                content_type=ctype,
                claimed_content_type=ctype,
                size_bytes=len(data),
                status=MediaStatus.PENDING,
            ).pk
        )
    start = time.perf_counter()
    for media_id in ids:
        media_file_ingest(media_file_id=media_id)
    elapsed = time.perf_counter() - start
    ready = MediaFile.objects.filter(pk__in=ids, status=MediaStatus.READY).count()
    if ready != len(ids):
        reasons = set(
            MediaFile.objects.filter(pk__in=ids).exclude(status="ready").values_list("failure_reason", flat=True)
        )
        raise SystemExit(f"only {ready}/{len(ids)} ingested: {reasons}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="atelier-bench-")
    os.environ.setdefault("ATELIER_DATA_DIR", tmp)
    os.environ.setdefault("MEDIA_ROOT", str(Path(tmp) / "media"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    files = make_images(args.files)
    total_mb = sum(len(d) for _, d, _ in files) / 1024**2
    base = baseline(files)
    pipe = pipeline(files)
    print(f"machine: {stdlib_platform.node()} {os.cpu_count()} cores, Python {stdlib_platform.python_version()}")
    storage = f"S3 bucket {settings.S3_BUCKET}" if settings.S3_BUCKET else "local folder"
    print(f"database: {connection.vendor}; storage: {storage}")
    print(f"files: {len(files)} images ({total_mb:.0f} MiB, 320x240 to 2400x1600, PNG and JPEG)")
    print(f"baseline (Pillow thumbnail loop): {len(files) / base:8.1f} files/s  ({base:.1f} s)")
    print(f"pipeline (ingestion service):     {len(files) / pipe:8.1f} files/s  ({pipe:.1f} s)")
    print(f"ratio pipeline/baseline: {base / pipe:.2f}")


if __name__ == "__main__":
    main()
