"""Dataset export: JSONL and Parquet builds over 1,000,000 generated records in PostgreSQL, against the floor of
`COPY (SELECT …) TO STDOUT` of the same rows.

Generated (bulk-inserted with COPY): 1,000 freelancers; two projects, one of 100,000 items and one of 900,000;
per item one media file, a task and an approved contribution with an intent, an anchored note, answers and two
text drafts with their hash chain, and its provenance manifest signed with the platform's Ed25519 key, as approval
leaves it. That is 1,000,000 records, 2,000,000 drafts. Columns the generator does not name get their model default,
so a column added later cannot break it (a NOT NULL column once did, unnoticed).

Measured, each build in a process of its own so its peak memory (max RSS) is its own:
- the floor: `COPY (SELECT …) TO STDOUT` of every column a record is made of (contribution, its drafts as JSON,
  item, media file, project, signed manifest), read to the end;
- a JSONL build (zstd, the default; `--compression gzip` for gzip) and a Parquet build of the 1,000,000-record
  dataset, and of the 100,000-record one: the snapshot, every shard (10,000 records each) written one after
  another in that process, the join.
Records per second are over the whole build; the ratio is to the COPY floor's rows per second. Peak memory of the
100,000 and the 1,000,000 builds shows whether memory grows with the record count.
- signing, apart: `manifest_sign` (what approval runs, with its queries) over `--sign` contributions whose manifests
  are set aside in a transaction that is rolled back, and the Ed25519 signature of a manifest alone.

Needs PostgreSQL (DATABASE_URL, or a local server where it makes and drops a database of its own). Takes about
20 minutes on 2 cores. `--records` scales it down for a quick look; `--records 2000 --small 500 --sign 20` is the
short form CI runs (tests/test_benchmarks_small.py).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform as stdlib_platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from bench._support import bench_environment  # noqa: E402

FREELANCERS = 1000


def _setup() -> None:
    import django

    django.setup()


def generate(records: int, small: int) -> dict[str, int]:
    """Bulk-insert the records with COPY; returns the ids of the two datasets (small and full)."""
    _setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from annotations.domain import provenance as signing
    from annotations.domain.datasets import clean_filters
    from annotations.domain.work import canonical_sha256, chain_hash
    from annotations.models import (
        Contribution,
        Dataset,
        Draft,
        Item,
        MediaFile,
        Organization,
        Project,
        ProvenanceManifest,
        Task,
        User,
    )
    from annotations.selectors.datasets import record_id
    from annotations.services.provenance import signing_key

    call_command("migrate", verbosity=0)
    org = Organization.objects.create(name="Bench", slug="bench")
    admin = User.objects.create(username="bench-admin", role="admin", organization=org)
    password = make_password(None)
    people = User.objects.bulk_create(
        [User(username=f"bench-fl-{n}", role="freelancer", password=password) for n in range(FREELANCERS)]
    )
    spec = {
        "version": 1,
        "fields": [
            {"key": "intent", "type": "intent", "label": "Intent", "required": True},
            {"key": "mood", "type": "choice", "label": "Mood", "required": True, "options": ["calm", "tense"]},
        ],
    }
    common = {"organization": org, "created_by": admin, "status": "published", "modalities": ["image"]}
    small_p = Project.objects.create(
        title="Small", output_spec=spec, pay_amount_minor=600, estimated_minutes=15, **common
    )
    big_p = Project.objects.create(title="Big", output_spec=spec, pay_amount_minor=600, estimated_minutes=15, **common)
    now = datetime(2026, 11, 1, tzinfo=UTC)
    raw = connection.connection
    assert raw is not None
    cols = {
        "item": "id, project_id, external_id, created_at",
        "mediafile": "id, item_id, project_id, name, storage_key, kind, content_type, size_bytes, sha256, "
        "claimed_content_type, status, failure_reason, probe, preview_key, attempts, created_at, ingested_at",
        "task": "id, project_id, item_id, replicas, created_at",
        "contribution": "id, project_id, task_id, freelancer_id, state, version, intent, notes, answers, "
        "active_seconds, started_at, updated_at, submitted_at, tools, generative_tools_used, attested, "
        "content_sha256, chain_sha256, revisions, dispute, dispute_outcome, approved_at, review_score",
        "draft": "contribution_id, sequence, client_key, kind, body, storage_key, name, content_type, size_bytes, "
        "change_note, what_failed, tools, generative_tools_used, content_sha256, previous_sha256, chain_sha256, "
        "created_at",
        "provenancemanifest": "contribution_id, manifest, signature, key_id, signed_at",
    }
    models_of: dict[str, Any] = {
        "item": Item,
        "mediafile": MediaFile,
        "task": Task,
        "contribution": Contribution,
        "draft": Draft,
        "provenancemanifest": ProvenanceManifest,
    }
    extra = {table: _defaults(models_of[table], columns, now) for table, columns in cols.items()}
    private, key = signing_key()
    terms = dict(signing.DEFAULT_TRAINING_TERMS)

    def rows(table: str, n: int) -> list[tuple[Any, ...]]:
        project = small_p.pk if n <= small else big_p.pk
        when = now + timedelta(seconds=n)
        if table == "item":
            return [(n, project, f"item-{n:07d}", when)]
        if table == "mediafile":
            sha = hashlib.sha256(str(n).encode()).hexdigest()
            return [(n, n, project, "frame.png", f"bench/{n}/frame.png", "image", "image/png", 48_213, sha,
                     "image/png", "ready", "", '{"width": 1280, "height": 720}', "", 1, when, when)]  # fmt: skip
        if table == "task":
            return [(n, project, n, 1, when)]
        notes = [{"id": f"n{n}", "body": "Kept the horizon low so the sky carries the mood.", "anchor": None,
                  "created_at": when.isoformat()}]  # fmt: skip
        answers = {"mood": "calm" if n % 2 else "tense"}
        previous, chain, drafts = "", [], []
        for seq in (1, 2):
            body = f"Draft {seq} of piece {n}: grey on grey, the boats as dark notches against the water."
            content = hashlib.sha256(body.encode()).hexdigest()
            link = chain_hash(previous, content, seq, when)
            drafts.append((n, seq, f"d-{n}-{seq}", "text", body, "", "", "text/plain", len(body), f"Pass {seq}",
                           "The first horizon sat too high." if seq == 2 else "", "[]", False, content, previous,
                           link, when))  # fmt: skip
            chain.append(link)
            previous = link
        if table == "draft":
            return drafts
        content_sha = canonical_sha256(
            {
                "intent": f"Piece {n}",
                "notes": notes,
                "answers": answers,
                "drafts": chain,
                "tools": ["pencil"],
                "generative_tools_used": False,
            }
        )
        if table == "provenancemanifest":  # what manifest_sign writes at approval, without its queries
            manifest = {
                "spec": signing.SPEC,
                "record_id": record_id(n),
                "content_sha256": content_sha,
                "chain_sha256": chain[-1],
                "drafts": [
                    {
                        "sequence": d[1],
                        "content_sha256": d[13],
                        "chain_sha256": d[15],
                        "created_at": when.isoformat(),
                        "source_type": signing.IPTC + "digitalCreation",
                        "tools": [],
                        "evidence": {"active_seconds": 0, "sessions": 0, "typed_chars": 0, "pasted_chars": 0},
                    }
                    for d in drafts
                ],
                "media": [{"name": "frame.png", "sha256": hashlib.sha256(str(n).encode()).hexdigest()}],
                "declared_tools": ["pencil"],
                "generative_tools_used": False,
                "attested": True,
                "training_terms": terms,
                "review": {"outcome": "approved", "automatic": False, "score": 0.75},
                "timestamps": {
                    "submitted_at": when.isoformat(),
                    "approved_at": when.isoformat(),
                    "signed_at": when.isoformat(),
                },
                "signer": {"key_id": key.key_id, "algorithm": "Ed25519"},
            }
            return [(n, json.dumps(manifest), signing.sign(private, manifest), key.pk, when)]
        return [(n, project, n, people[n % FREELANCERS].pk, "approved", 3, f"Piece {n}", json.dumps(notes),
                 json.dumps(answers), 900 + n % 600, when, when, when, '["pencil"]', False, True, content_sha,
                 chain[-1], 0, "", "", when, 0.75)]  # fmt: skip

    started = time.perf_counter()
    with raw.cursor() as cur:
        for table, columns in cols.items():  # one COPY at a time: a connection runs one
            names, values = extra[table]
            with cur.copy(f"COPY annotations_{table} ({columns}{names}) FROM STDIN") as copy:
                for n in range(1, records + 1):
                    for row in rows(table, n):
                        copy.write_row(row + values)
    with connection.cursor() as cur:
        for t in ("item", "mediafile", "task", "contribution"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('annotations_{t}', 'id'), {records})")
        cur.execute("ANALYZE")
    raw.commit()
    print(f"generated {records:,} records in {time.perf_counter() - started:.0f} s", flush=True)
    small_d = Dataset.objects.create(
        organization=org, name="small", created_by=admin, formats=["jsonl"], filters=clean_filters({})
    )
    small_d.projects.set([small_p])
    full_d = Dataset.objects.create(
        organization=org, name="full", created_by=admin, formats=["jsonl"], filters=clean_filters({})
    )
    full_d.projects.set([small_p, big_p])
    return {"small": small_d.pk, "full": full_d.pk}


def _defaults(model: Any, named: str, now: datetime) -> tuple[str, tuple[Any, ...]]:
    """The columns of `model` the generator does not name, with their model defaults: so a NOT NULL column added
    later gets its default instead of failing the COPY. A NOT NULL column without a default stops the run."""
    from django.db import models

    given = {c.strip() for c in named.split(",")}
    names, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key or f.column in given:
            continue
        if f.has_default():
            value = f.get_default()
            value = json.dumps(value) if isinstance(f, models.JSONField) else value
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.null:
            continue
        else:
            raise SystemExit(f"{model.__name__}.{f.name} is NOT NULL without a default: give the generator a value")
        names.append(f.column)
        values.append(value)
    return "".join(f", {n}" for n in names), tuple(values)


COPY_FLOOR = """
COPY (
  SELECT c.id, c.intent, c.notes, c.answers, c.active_seconds, c.tools, c.generative_tools_used, c.attested,
         c.content_sha256, c.chain_sha256, c.submitted_at, c.approved_at, c.review_score, c.freelancer_id,
         p.title, p.licence, p.agreement_version, p.pay_amount_minor, p.pay_currency, i.external_id,
         m.name, m.kind, m.content_type, m.size_bytes, m.sha256, m.storage_key, m.probe,
         (SELECT json_agg(d ORDER BY d.sequence) FROM annotations_draft d WHERE d.contribution_id = c.id),
         pm.manifest, pm.signature
  FROM annotations_contribution c
  LEFT JOIN annotations_provenancemanifest pm ON pm.contribution_id = c.id
  JOIN annotations_project p ON p.id = c.project_id
  JOIN annotations_task t ON t.id = c.task_id
  JOIN annotations_item i ON i.id = t.item_id
  JOIN annotations_mediafile m ON m.item_id = i.id
  WHERE c.state = 'approved'
  ORDER BY c.approved_at, c.id
) TO STDOUT
"""


def copy_floor() -> dict[str, Any]:
    _setup()
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    rows = size = 0
    started = time.perf_counter()
    with raw.cursor() as cur, cur.copy(COPY_FLOOR) as copy:
        for block in copy:
            size += len(block)
            rows += bytes(block).count(b"\n")
    seconds = time.perf_counter() - started
    return {"rows": rows, "bytes": size, "seconds": seconds, "maxrss_mib": _rss()}


def _rss() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(dataset_id: int, fmt: str, compression: str = "zstd") -> dict[str, Any]:
    """One version of the dataset in one format, every step in this process."""
    _setup()
    from annotations.models import Dataset, DatasetShard, ProvenanceManifest, User
    from annotations.services.datasets import shard_build, version_build, version_finalize, version_snapshot

    manifests = ProvenanceManifest.objects.count()
    Dataset.objects.filter(pk=dataset_id).update(formats=[fmt], shard_size=10_000, compression=compression)
    dataset = Dataset.objects.get(pk=dataset_id)
    admin = User.objects.get(username="bench-admin")
    started = time.perf_counter()
    version = version_build(actor=admin, dataset=dataset)  # in the embedded mode the build runs here, on commit
    version_snapshot(version_id=version.pk)
    for shard_id in DatasetShard.objects.filter(version=version).order_by("index").values_list("pk", flat=True):
        shard_build(shard_id=shard_id)
    built = version_finalize(version_id=version.pk)
    seconds = time.perf_counter() - started
    assert built is not None and built.state == "built", built
    size = sum(DatasetShard.objects.filter(version=version).values_list("size_bytes", flat=True))
    return {
        "records": built.record_count,
        "seconds": seconds,
        "bytes": size,
        "maxrss_mib": _rss(),
        "signed_during_build": ProvenanceManifest.objects.count() - manifests,  # 0: approval signed them all
    }


def signing_cost(n: int) -> dict[str, Any]:
    """What signing costs: `manifest_sign` as approval runs it, over n contributions whose manifests are set aside
    in a transaction rolled back afterwards; and the Ed25519 signature of one manifest alone, 1,000 times."""
    _setup()
    from django.db import transaction

    from annotations.domain import provenance as signing
    from annotations.models import Contribution, ProvenanceManifest
    from annotations.selectors.datasets import record_id
    from annotations.services.provenance import manifest_sign, signing_key

    with transaction.atomic():
        ids = list(Contribution.objects.filter(state="approved").order_by("pk").values_list("pk", flat=True)[:n])
        ProvenanceManifest.objects.filter(contribution_id__in=ids).delete()
        work = list(Contribution.objects.filter(pk__in=ids))
        started = time.perf_counter()
        for c in work:
            manifest_sign(c, record_id=record_id(c.pk), automatic=False)
        service = (time.perf_counter() - started) / len(work)
        manifest = ProvenanceManifest.objects.get(contribution_id=ids[0]).manifest
        transaction.set_rollback(True)
    private, _ = signing_key()
    started = time.perf_counter()
    for _ in range(1000):
        signing.sign(private, manifest)
    alone = (time.perf_counter() - started) / 1000
    return {"manifests": len(work), "service_ms": service * 1000, "signature_us": alone * 1e6}


def child(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--sign", type=int, default=500, help="contributions to sign again for the signing figure")
    parser.add_argument("--compression", default="zstd", choices=["none", "gzip", "zstd"], help="of the JSONL build")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "copy":
            result = copy_floor()
        elif kind == "sign":
            result = signing_cost(int(rest[0]))
        else:
            result = build(int(rest[0]), rest[1], *rest[2:3])
        print(json.dumps(result))
        return
    # Production settings as far as memory goes: with DEBUG on, Django keeps the last 9,000 queries per connection.
    os.environ.update({"LOG_LEVEL": "WARNING", "DEBUG": "false", "SECRET_KEY": "bench-" + os.urandom(16).hex()})
    with bench_environment():
        ids = generate(args.records, args.small)
        floor = child(["--child", "copy"])
        print(f"COPY floor: {floor['rows']:,} rows in {floor['seconds']:.1f} s", flush=True)
        results = []
        for fmt in ("jsonl", "parquet"):
            for name in ("small", "full"):
                r = child(["--child", "build", str(ids[name]), fmt, args.compression])
                results.append((fmt, name, r))
                print(
                    f"{fmt} {name}: {r['records']:,} records in {r['seconds']:.1f} s, peak {r['maxrss_mib']:.0f} MiB",
                    flush=True,
                )
        sign = child(["--child", "sign", str(min(args.sign, args.records))])
        print(
            f"signing: {sign['service_ms']:.1f} ms per manifest_sign, {sign['signature_us']:.0f} µs per signature",
            flush=True,
        )
    floor_rate = floor["rows"] / floor["seconds"]
    print()
    print(f"Machine: {stdlib_platform.machine()}, {os.cpu_count()} cores; {datetime.now(UTC):%Y-%m-%d}")
    print("| Run | Records | Seconds | Records/s | Ratio to COPY | Peak RSS (MiB) | Output |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    print(f"| COPY (SELECT …) TO STDOUT | {floor['rows']:,} | {floor['seconds']:.1f} | {floor_rate:,.0f} | 1.00 | "
          f"{floor['maxrss_mib']:.0f} | {floor['bytes'] / 2**20:,.0f} MiB |")  # fmt: skip
    for fmt, name, r in results:
        rate = r["records"] / r["seconds"]
        label = f"{fmt} ({args.compression})" if fmt == "jsonl" else fmt
        print(f"| {label} build ({name}) | {r['records']:,} | {r['seconds']:.1f} | {rate:,.0f} | "
              f"{rate / floor_rate:.3f} | {r['maxrss_mib']:.0f} | {r['bytes'] / 2**20:,.0f} MiB |")  # fmt: skip
    print(f"\nSigning, apart: `manifest_sign` (approval's step, with its queries) {sign['service_ms']:.1f} ms a "
          f"manifest over {sign['manifests']:,}; the Ed25519 signature alone "
          f"{sign['signature_us']:.0f} µs.")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps({"floor": floor, "builds": results, "signing": sign}))
    unsigned = [(fmt, name, r["signed_during_build"]) for fmt, name, r in results if r["signed_during_build"]]
    if unsigned:
        raise SystemExit(
            f"builds signed manifests themselves, so the records were not as approval leaves them: {unsigned}"
        )


if __name__ == "__main__":
    main()
