"""The C2PA library (c2pa-python) behind two calls: embed a manifest in a file, and read one back.

Signing goes through a callback, so the private key stays in our process and is the same Ed25519 key that signs
Atelier manifests. Thumbnails are off: the credentialed copy should differ from the original by the manifest only.
Files are streamed from and to disk, so a long video is never held in memory.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import c2pa

from annotations.domain.credentials import ASSERTION

_NO_THUMBNAIL = {"builder": {"thumbnail": {"enabled": False}}}


class CredentialError(Exception):
    """The C2PA library refused the file or the manifest (a malformed container, an unsupported variant)."""


@dataclass(frozen=True, slots=True)
class ReadCredential:
    state: str | None  # "Trusted", "Valid", "Invalid", or None when the file carries no manifest
    label: str | None
    assertion: dict[str, Any] | None  # the Atelier provenance assertion, if present
    problems: list[str]


def embed(
    *,
    source: Path,
    target: Path,
    content_type: str,
    definition: dict[str, Any],
    sign: Callable[[bytes], bytes],
    chain_pem: str,
) -> str:
    """Write `source` with the manifest embedded to `target`; returns the manifest's label."""
    try:
        signer = c2pa.Signer.from_callback(sign, c2pa.C2paSigningAlg.ED25519, chain_pem, None)
        with (
            c2pa.Builder(definition, context=c2pa.Context.from_dict(_NO_THUMBNAIL)) as builder,
            source.open("rb") as src,
            target.open("w+b") as dst,
        ):
            builder.sign(signer, content_type, src, dst)
        with target.open("rb") as written:
            reader = c2pa.Reader(content_type, written)
            label = (reader.get_active_manifest() or {}).get("label")
    except c2pa.C2paError as exc:
        raise CredentialError(str(exc)) from exc
    if not isinstance(label, str):
        raise CredentialError("the signed file has no active manifest")
    return label


def read(data: Path | bytes, content_type: str, trust_anchors: str = "") -> ReadCredential:
    """What a C2PA reader finds in a file. With `trust_anchors` (PEM), a manifest signed under them is "Trusted"."""
    settings: dict[str, Any] = (
        {"trust": {"trust_anchors": trust_anchors}, "verify": {"verify_trust": True}} if trust_anchors else {}
    )
    try:
        with data.open("rb") if isinstance(data, Path) else io.BytesIO(data) as stream:
            reader = c2pa.Reader(content_type, stream, context=c2pa.Context.from_dict(settings))
            state = reader.get_validation_state()
            active = reader.get_active_manifest() or {}
            results = reader.get_validation_results() or {}
    except c2pa.C2paError as exc:
        return ReadCredential(None, None, None, [str(exc)])
    failures = (results.get("activeManifest") or {}).get("failure") or []
    assertion = next((a.get("data") for a in active.get("assertions", []) if a.get("label") == ASSERTION), None)
    return ReadCredential(
        state,
        active.get("label"),
        assertion if isinstance(assertion, dict) else None,
        [f"{f.get('code')}: {f.get('explanation')}" for f in failures if isinstance(f, dict)],
    )


def version_reader(folder: Path) -> Callable[[bytes, str], tuple[str | None, dict[str, Any] | None]]:
    """A reader for `verify_version` that trusts exactly the anchors the version shipped in keys.json."""
    import mimetypes

    anchors = "".join(json.loads((folder / "keys.json").read_text()).get("c2pa_trust_anchors", []))

    def read_named(data: bytes, name: str) -> tuple[str | None, dict[str, Any] | None]:
        found = read(data, mimetypes.guess_type(name)[0] or "application/octet-stream", anchors)
        return found.state, found.assertion

    return read_named
