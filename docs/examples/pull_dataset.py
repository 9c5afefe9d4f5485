"""Pull a built Atelier dataset version into Hugging Face `datasets`, a page at a time, optionally only the
work approved after a point you already hold (an incremental sync).

    ATELIER_TOKEN=atl_... python pull_dataset.py https://atelier.example 3 1 [--since 2026-11-24T10:00:00+00:00]

Needs only the standard library and `datasets`. The token needs the export:read scope.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.parse
import urllib.request
from typing import Any

import datasets


def records(base: str, token: str, dataset_id: int, version: int, since: str | None = None) -> list[dict[str, Any]]:
    """Every record of the version (after `since`), following the cursor from page to page."""
    if not base.startswith(("https://", "http://")):
        raise ValueError("The base URL is http(s)://host.")
    query = {"limit": "1000", **({"since": since} if since else {})}
    out: list[dict[str, Any]] = []
    while True:
        url = f"{base}/api/v1/datasets/{dataset_id}/versions/{version}/records?{urllib.parse.urlencode(query)}"
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 (checked)
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            out += [json.loads(line) for line in response.read().splitlines() if line]
            cursor = response.headers.get("X-Next-Cursor")
        if not cursor:
            return out
        query["cursor"] = cursor


def as_rows(record: dict[str, Any]) -> dict[str, Any]:
    """Fields whose shape depends on the project (answers, anchors, probes, rubric scores) as JSON text, so every
    row has the same Arrow type."""
    row = dict(record)
    row["answers"] = json.dumps(record["answers"], sort_keys=True)
    row["notes"] = [{**n, "anchor": json.dumps(n.get("anchor"), sort_keys=True)} for n in record["notes"]]
    row["item"] = {**record["item"], "media": [{**m, "probe": json.dumps(m["probe"])} for m in record["item"]["media"]]}
    row["review"] = {**record["review"], "scores": json.dumps(record["review"]["scores"], sort_keys=True)}
    return row


def main(argv: list[str]) -> int:
    base, dataset_id, version = argv[1].rstrip("/"), int(argv[2]), int(argv[3])
    since = argv[argv.index("--since") + 1] if "--since" in argv else None
    pulled = records(base, os.environ["ATELIER_TOKEN"], dataset_id, version, since)
    ds = datasets.Dataset.from_list([as_rows(r) for r in pulled])
    last = pulled[-1]["approved_at"] if pulled else since
    print(json.dumps({"records": ds.num_rows, "columns": len(ds.column_names), "next_since": last}))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
