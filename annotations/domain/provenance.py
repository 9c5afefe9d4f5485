"""Signed provenance manifests: what they hold, how they are signed (Ed25519) and how a consumer checks a record,
or a whole downloaded dataset version, offline. Needs only the standard library and `cryptography`.

A manifest is canonical JSON (sorted keys, no spaces, ASCII); its signature is Ed25519 over those bytes, base64.
Each manifest names its key by `key_id` (the first 16 hex digits of the sha256 of the raw public key), and every
dataset version carries `keys.json` with the public keys its manifests use, so versions signed before a key
rotation stay verifiable with the keys they shipped with.

Vocabularies:
- per-draft `source_type`: the IPTC digital source type (http://cv.iptc.org/newscodes/digitalsourcetype/);
- `training_terms`: modelled on the CAWG training-and-data-mining assertion, one of `allowed`, `notAllowed`,
  `constrained` per use.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils.translation import gettext

SPEC = "atelier.provenance/1"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
SOURCE_TYPES = (
    "digitalCreation",
    "humanEdits",
    "digitalCapture",
    "minorHumanEdits",
    "algorithmicallyEnhanced",
    "compositeCapture",
    "compositeSynthetic",
    "compositeWithTrainedAlgorithmicMedia",
    "trainedAlgorithmicMedia",
    "algorithmicMedia",
)
GENERATIVE_SOURCE_TYPES = frozenset({"compositeWithTrainedAlgorithmicMedia", "trainedAlgorithmicMedia"})
TRAINING_USES = ("ai_training", "ai_generative_training", "data_mining", "ai_inference")
TRAINING_CHOICES = ("allowed", "notAllowed", "constrained")
DEFAULT_TRAINING_TERMS = dict.fromkeys(TRAINING_USES, "allowed")


def canonical(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_id(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


def sign(private: Ed25519PrivateKey, manifest: dict[str, Any]) -> str:
    return base64.b64encode(private.sign(canonical(manifest))).decode()


def signature_valid(manifest: dict[str, Any], signature: str, keys: dict[str, str]) -> bool:
    """`keys` maps key ids to base64 raw public keys."""
    public = keys.get(str(manifest.get("signer", {}).get("key_id")))
    if public is None:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(public)).verify(
            base64.b64decode(signature), canonical(manifest)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def clean_training_terms(raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict) or set(raw) - set(TRAINING_USES):
        raise ValueError(
            gettext("training_terms is an object with: %(training_uses)s.")
            % {"training_uses": ", ".join(TRAINING_USES)}
        )
    if any(v not in TRAINING_CHOICES for v in raw.values()):
        raise ValueError(
            gettext("Each use is one of: %(training_choices)s.") % {"training_choices": ", ".join(TRAINING_CHOICES)}
        )
    return {**DEFAULT_TRAINING_TERMS, **raw}


# Reads the C2PA manifest in a file's bytes: (bytes, file name) -> (validation state, Atelier assertion). The
# command passes the c2pa-python reader with the version's trust anchors; without one, C2PA copies are not checked.
CredentialReader = Callable[[bytes, str], tuple[str | None, dict[str, Any] | None]]


def check_record(
    record: dict[str, Any],
    keys: dict[str, str],
    files: dict[str, bytes] | None = None,
    read_credential: CredentialReader | None = None,
) -> list[str]:
    """Every way a record's signed provenance does not hold: the signature, the manifest against the record (hash
    chain, content hash, media hashes) and, given the sample's files (WebDataset), their bytes against both; with
    `read_credential`, each C2PA copy's embedded manifest against the signed one."""
    from annotations.domain.records import verify_record  # the same standard-library check the record carries

    prov = record.get("provenance") or {}
    manifest, signature = prov.get("manifest"), prov.get("signature")
    if not isinstance(manifest, dict) or not isinstance(signature, str):
        return ["no signed manifest"]
    problems = []
    if not signature_valid(manifest, signature, keys):
        problems.append("the manifest's signature does not verify")
    problems += verify_record(record)
    if manifest.get("content_sha256") != prov.get("content_sha256"):
        problems.append("the manifest's content hash is not the record's")
    if [d["chain_sha256"] for d in manifest.get("drafts", [])] != [d["chain_sha256"] for d in record["drafts"]]:
        problems.append("the manifest's draft chain is not the record's")
    if [m["sha256"] for m in manifest.get("media", [])] != [m["sha256"] for m in record["item"]["media"]]:
        problems.append("the manifest's media hashes are not the record's")
    for name, data in (files or {}).items():
        if name.startswith("c2pa_"):
            if read_credential is not None:
                from annotations.domain.credentials import check_embedded

                seq = int(name.split(".")[0].removeprefix("c2pa_"))
                state, assertion = read_credential(data, name)
                problems += [
                    f"{name}: {p}" for p in check_embedded(assertion, state, manifest, seq, require_trust=True)
                ]
            continue
        if name.startswith("media_"):
            index = int(name.split(".")[0].removeprefix("media_"))
            expected = manifest["media"][index]["sha256"] if index < len(manifest.get("media", [])) else None
        else:
            seq = int(name.split(".")[0].removeprefix("draft_"))
            expected = next((d["content_sha256"] for d in manifest["drafts"] if d["sequence"] == seq), None)
        if hashlib.sha256(data).hexdigest() != expected:
            problems.append(f"{name} does not match its hash in the manifest")
    return problems


def _jsonl_lines(path: Path) -> list[bytes]:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    elif path.name.endswith(".zst"):
        import zstandard

        raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw)).read()
    return [line for line in raw.splitlines() if line.strip()]


def _samples(path: Path) -> dict[str, tuple[dict[str, Any] | None, dict[str, bytes]]]:
    samples: dict[str, tuple[dict[str, Any] | None, dict[str, bytes]]] = {}
    with tarfile.open(path) as tar:
        for member in tar.getmembers():
            handle = tar.extractfile(member)
            if handle is None:
                continue
            key, _, rest = member.name.partition(".")
            record, files = samples.get(key, (None, {}))
            data = handle.read()
            if rest == "json":
                try:
                    record = json.loads(data)
                except ValueError:
                    record = {"record_id": key, "provenance": {}}
            else:
                files[rest] = data
            samples[key] = (record, files)
    return samples


def verify_version(folder: Path, read_credential: CredentialReader | None = None) -> dict[str, list[str]]:
    """Check a downloaded version folder offline (keys.json beside the shards). Returns, for every record that
    fails, what is wrong; an empty dict means every record verified. Reads the JSONL and WebDataset shards present;
    with `read_credential` (see `annotations.providers.c2pa.version_reader`), the C2PA copies too."""
    keys = json.loads((folder / "keys.json").read_text())["keys"]
    failures: dict[str, list[str]] = {}
    for shard in sorted((folder / "jsonl").glob("*.jsonl*")) if (folder / "jsonl").is_dir() else []:
        try:
            lines = _jsonl_lines(shard)
        except (ValueError, OSError, EOFError) as exc:
            failures[shard.name] = [f"unreadable shard: {exc}"]
            continue
        for n, line in enumerate(lines, start=1):
            try:
                record = json.loads(line)
            except ValueError:
                failures[f"{shard.name}:{n}"] = ["the line is not valid JSON"]
                continue
            problems = check_record(record, keys)
            if problems:
                failures[str(record.get("record_id"))] = problems
    for shard in sorted((folder / "webdataset").glob("*.tar")) if (folder / "webdataset").is_dir() else []:
        for key, (record, files) in _samples(shard).items():
            problems = ["no record"] if record is None else check_record(record, keys, files, read_credential)
            if problems:
                failures.setdefault(key, [])
                failures[key] += [p for p in problems if p not in failures[key]]
    return failures
