"""The LSH band table of approved text signatures, backfilled from the signatures already kept.

The band keys are computed here as `collapse.band_hashes` computes them today (5 bands of 11 32-bit values, each
hashed with BLAKE2b to a signed 64-bit integer), copied so that this migration does not change when that code does.
"""

import hashlib
import struct
from typing import Any

import django.db.models.deletion
from django.db import migrations, models

BANDS, ROWS = 5, 11


def _band_hashes(sig: list[int]) -> list[int]:
    raw = struct.pack(f"<{len(sig)}I", *sig)
    return [
        int.from_bytes(
            hashlib.blake2b(raw[b * ROWS * 4 : (b + 1) * ROWS * 4], digest_size=8).digest(), "big", signed=True
        )
        for b in range(BANDS)
    ]


def backfill(apps: Any, schema_editor: Any) -> None:
    Contribution = apps.get_model("annotations", "Contribution")
    Band = apps.get_model("annotations", "NearDuplicateBand")
    approved = (
        Contribution.objects.filter(state="approved", text_signature__isnull=False)
        .order_by("pk")
        .values_list("pk", "project_id", "text_signature")
    )
    rows = []
    for pk, project_id, sig in approved.iterator(chunk_size=2000):
        if not sig or len(sig) < BANDS * ROWS or not all(isinstance(v, int) and 0 <= v < 2**32 for v in sig):
            continue
        rows += [
            Band(project_id=project_id, band=b, band_hash=h, contribution_id=pk)
            for b, h in enumerate(_band_hashes(sig))
        ]
        if len(rows) >= 10_000:
            Band.objects.bulk_create(rows, ignore_conflicts=True)
            rows = []
    Band.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0014_one_task_per_project")]

    operations = [
        migrations.CreateModel(
            name="NearDuplicateBand",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "band",
                    models.PositiveSmallIntegerField(
                        help_text="Which band of the signature (0 to collapse.BANDS - 1)."
                    ),
                ),
                ("band_hash", models.BigIntegerField(help_text="The band's values hashed to a signed 64-bit integer.")),
                (
                    "contribution",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotations.contribution"
                    ),
                ),
                (
                    "project",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="annotations.project"
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["project", "band", "band_hash", "contribution"], name="near_duplicate_band_bucket"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("contribution", "band"), name="near_duplicate_band_once")
                ],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
