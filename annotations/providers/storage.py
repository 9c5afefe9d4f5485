"""Object storage behind one interface: any S3 API through boto3, or the local media folder (embedded mode).

Browsers never stream bytes through Django in S3 mode: uploads go straight to the bucket with a presigned POST
whose policy pins the exact size and content type, and downloads use short-lived presigned GETs. The local
backend gives the same shapes, with URLs signed by the secret key and served by `annotations.api.media`.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import IO, Any, Protocol
from urllib.parse import quote

import boto3
import botocore.exceptions
from boto3.exceptions import S3UploadFailedError
from boto3.s3.transfer import TransferConfig
from botocore.config import Config
from django.conf import settings
from django.core import signing

CHUNK = 1024 * 1024
MULTIPART_CHUNK = 16 * 1024 * 1024


class TransientStorageError(Exception):
    """Storage did not answer or answered 5xx: worth retrying later."""


class MissingObject(Exception):
    """No object under that key."""


@dataclass(frozen=True, slots=True)
class PresignedPost:
    url: str
    fields: dict[str, str]
    expires_in: int


class ObjectStorage(Protocol):
    def presigned_post(self, *, key: str, content_type: str, size: int, expires_in: int) -> PresignedPost: ...
    def presigned_get(
        self, *, key: str, expires_in: int, filename: str | None = None, content_type: str | None = None
    ) -> str: ...
    def size_of(self, key: str) -> int: ...
    def chunks(self, key: str) -> Iterator[bytes]: ...
    def put(self, key: str, data: bytes, content_type: str) -> None: ...
    def copy(self, source: str, target: str) -> None: ...
    def list_keys(self, prefix: str, limit: int) -> list[tuple[str, int]]: ...
    def put_file(self, key: str, path: Path, content_type: str) -> None: ...
    def delete(self, key: str) -> None: ...


def _transient(exc: Exception) -> bool:
    if isinstance(exc, (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionError)):
        return True
    if isinstance(exc, (botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError)):
        return True
    if isinstance(exc, botocore.exceptions.HTTPClientError):  # e.g. the connection closed mid-answer
        return True
    if isinstance(exc, botocore.exceptions.ClientError):
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        return status >= 500 or status == 429
    return False


class S3Storage:
    def __init__(
        self,
        *,
        bucket: str,
        endpoint: str | None,
        public_endpoint: str | None,
        region: str,
        timeouts: tuple[float, float] = (5, 30),
    ) -> None:
        self.bucket = bucket
        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": "path" if endpoint else "auto"},
            retries={"max_attempts": 2, "mode": "standard"},
            connect_timeout=timeouts[0],
            read_timeout=timeouts[1],
        )
        common: dict[str, Any] = {
            "region_name": region,
            "aws_access_key_id": settings.S3_ACCESS_KEY_ID or None,
            "aws_secret_access_key": settings.S3_SECRET_ACCESS_KEY or None,
            "config": config,
        }
        self.client = boto3.client("s3", endpoint_url=endpoint or None, **common)
        # URLs handed to browsers must name the endpoint as browsers reach it (e.g. MinIO behind a proxy).
        self.public = boto3.client("s3", endpoint_url=public_endpoint or endpoint or None, **common)

    def _call(self, fn: Any, **kwargs: Any) -> Any:
        try:
            return fn(**kwargs)
        except botocore.exceptions.ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in {"404", "NoSuchKey", "NotFound"}:
                raise MissingObject(kwargs.get("Key", "")) from exc
            if _transient(exc):
                raise TransientStorageError(str(exc)) from exc
            raise
        except botocore.exceptions.BotoCoreError as exc:
            if _transient(exc):
                raise TransientStorageError(str(exc)) from exc
            raise

    def presigned_post(self, *, key: str, content_type: str, size: int, expires_in: int) -> PresignedPost:
        post = self.public.generate_presigned_post(
            Bucket=self.bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", size, size]],
            ExpiresIn=expires_in,
        )
        return PresignedPost(url=post["url"], fields=dict(post["fields"]), expires_in=expires_in)

    def presigned_get(
        self, *, key: str, expires_in: int, filename: str | None = None, content_type: str | None = None
    ) -> str:
        params: dict[str, Any] = {"Bucket": self.bucket, "Key": key}
        if filename:
            params["ResponseContentDisposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
        if content_type:
            # Served as the type ingestion found, whatever type the uploader's POST stored with the object.
            params["ResponseContentType"] = content_type
        return str(self.public.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_in))

    def size_of(self, key: str) -> int:
        head = self._call(self.client.head_object, Bucket=self.bucket, Key=key)
        return int(head["ContentLength"])

    def chunks(self, key: str) -> Iterator[bytes]:
        obj = self._call(self.client.get_object, Bucket=self.bucket, Key=key)
        body = obj["Body"]
        try:
            while True:
                try:
                    chunk = body.read(CHUNK)
                except (botocore.exceptions.ReadTimeoutError, botocore.exceptions.ResponseStreamingError) as exc:
                    raise TransientStorageError(str(exc)) from exc
                if not chunk:
                    return
                yield chunk
        finally:
            body.close()

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._call(self.client.put_object, Bucket=self.bucket, Key=key, Body=data, ContentType=content_type)

    def copy(self, source: str, target: str) -> None:
        """A server-side copy: the bytes never pass through this process."""
        self._call(self.client.copy, CopySource={"Bucket": self.bucket, "Key": source}, Bucket=self.bucket, Key=target)

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        """A local file to the bucket, in parts of MULTIPART_CHUNK above that size (S3 multipart upload), so
        neither memory nor a single request grows with the file; a failed upload is aborted, leaving nothing."""
        try:
            self._call(
                self.client.upload_file,
                Filename=str(path),
                Bucket=self.bucket,
                Key=key,
                ExtraArgs={"ContentType": content_type},
                Config=TransferConfig(multipart_threshold=MULTIPART_CHUNK, multipart_chunksize=MULTIPART_CHUNK),
            )
        except S3UploadFailedError as exc:  # the transfer manager wraps the cause; retrying is the caller's call
            raise TransientStorageError(str(exc)) from exc

    def delete(self, key: str) -> None:
        self._call(self.client.delete_object, Bucket=self.bucket, Key=key)

    def list_keys(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    found.append((str(obj["Key"]), int(obj["Size"])))
                    if len(found) >= limit:
                        return found
        except (botocore.exceptions.ClientError, botocore.exceptions.BotoCoreError) as exc:
            if _transient(exc):
                raise TransientStorageError(str(exc)) from exc
            raise
        return found


UPLOAD_SALT = "atelier.upload"
DOWNLOAD_SALT = "atelier.download"


class LocalStorage:
    """The media folder, with presigned-style URLs signed by SECRET_KEY (embedded mode only)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise MissingObject(key)
        return path

    def presigned_post(self, *, key: str, content_type: str, size: int, expires_in: int) -> PresignedPost:
        token = signing.dumps({"k": key, "t": content_type, "s": size}, salt=UPLOAD_SALT, compress=True)
        return PresignedPost(url="/api/v1/uploads/local", fields={"token": token}, expires_in=expires_in)

    def presigned_get(
        self, *, key: str, expires_in: int, filename: str | None = None, content_type: str | None = None
    ) -> str:
        token = signing.dumps(
            {"k": key, "f": filename or "", "t": content_type or ""}, salt=DOWNLOAD_SALT, compress=True
        )
        return f"/api/v1/media/local/{token}"

    def size_of(self, key: str) -> int:
        path = self.path(key)
        if not path.is_file():
            raise MissingObject(key)
        return path.stat().st_size

    def chunks(self, key: str) -> Iterator[bytes]:
        path = self.path(key)
        if not path.is_file():
            raise MissingObject(key)
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)

    def copy(self, source: str, target: str) -> None:
        with self.path(source).open("rb") as src:
            self.put_stream(target, src)

    def put_stream(self, key: str, stream: IO[bytes]) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        with tmp.open("wb") as out:
            shutil.copyfileobj(stream, out, CHUNK)
        tmp.replace(path)

    def put_file(self, key: str, path: Path, content_type: str) -> None:
        with path.open("rb") as src:
            self.put_stream(key, src)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def list_keys(self, prefix: str, limit: int) -> list[tuple[str, int]]:
        base = self.root.resolve()
        folder = (base / prefix.rsplit("/", 1)[0]).resolve() if "/" in prefix else base
        if not folder.is_relative_to(base) or not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.rglob("*")):
            key = path.relative_to(base).as_posix()
            if path.is_file() and key.startswith(prefix) and not key.endswith(".part"):
                found.append((key, path.stat().st_size))
                if len(found) >= limit:
                    break
        return found


def verify_upload_token(token: str, max_age: timedelta) -> dict[str, Any]:
    return dict(signing.loads(token, salt=UPLOAD_SALT, max_age=max_age))


def verify_download_token(token: str, max_age: timedelta) -> dict[str, Any]:
    return dict(signing.loads(token, salt=DOWNLOAD_SALT, max_age=max_age))


@cache
def _storage(
    bucket: str, endpoint: str, public: str, region: str, root: str, timeouts: tuple[float, float]
) -> ObjectStorage:
    if bucket:
        return S3Storage(
            bucket=bucket, endpoint=endpoint or None, public_endpoint=public or None, region=region, timeouts=timeouts
        )
    return LocalStorage(Path(root))


def object_storage() -> ObjectStorage:
    """The storage the settings name (cached per configuration, so tests that switch settings get theirs)."""
    return _storage(
        settings.S3_BUCKET,
        settings.S3_ENDPOINT_URL,
        settings.S3_PUBLIC_ENDPOINT_URL,
        settings.S3_REGION,
        str(settings.MEDIA_ROOT),
        (settings.S3_CONNECT_TIMEOUT, settings.S3_READ_TIMEOUT),
    )


def sha256_and_head(storage: ObjectStorage, key: str, head_size: int = 8192) -> tuple[str, int, bytes]:
    """Stream an object once: its sha256, its size and its first bytes (for sniffing the real type)."""
    digest = hashlib.sha256()
    size = 0
    head = b""
    for chunk in storage.chunks(key):
        if len(head) < head_size:
            head += chunk[: head_size - len(head)]
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size, head
