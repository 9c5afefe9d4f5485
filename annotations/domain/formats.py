"""Shard writers: records go to a local file as they come, so memory holds one batch, never the shard.

- JSONL: one record per line, plain, gzip or zstd (streamed through the compressor).
- Parquet: row groups of `PARQUET_BATCH` records with the nested schema of `records.PARQUET_SCHEMA`.
- WebDataset: a POSIX tar; each sample is `<record_id>.json` plus its media and file drafts as
  `<record_id>.media_<n>.<ext>` and `<record_id>.draft_<sequence>.<ext>`, and, for file drafts that carry Content
  Credentials, the credentialed copy as `<record_id>.c2pa_<sequence>.<ext>`; all streamed from storage into the tar.
"""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, Protocol

import orjson
import pyarrow.parquet as pq
import zstandard

from annotations.domain.records import PARQUET_SCHEMA, to_table

PARQUET_BATCH = 1000
JSONL_BLOCK = 100
ZSTD_LEVEL = 3  # zstd's own default: smaller than gzip -6 and several times faster


class ShardWriter(Protocol):
    def write(self, record: dict[str, Any], files: list[Attachment]) -> None: ...
    def close(self) -> None: ...


class Attachment:
    """A file that travels with a sample (WebDataset only): its name in the tar, size, and bytes on demand."""

    __slots__ = ("name", "open", "size")

    def __init__(self, name: str, size: int, open: Callable[[], Iterator[bytes]]):
        self.name, self.size, self.open = name, size, open


class _ChunkReader(io.RawIOBase):
    """A file-like view of an iterator of byte chunks (what storage gives), for tarfile to read from."""

    def __init__(self, chunks: Iterator[bytes]):
        self._chunks, self._buffer = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(target), len(self._buffer))
        target[:n], self._buffer = self._buffer[:n], self._buffer[n:]
        return n


class JsonlWriter:
    """Lines are gathered into blocks of `JSONL_BLOCK` records and handed to the compressor a block at a time."""

    def __init__(self, path: Path, compression: str):
        self._raw: IO[bytes] = path.open("wb")
        self._out: Any
        if compression == "gzip":
            self._out = gzip.GzipFile(fileobj=self._raw, mode="wb", mtime=0, compresslevel=6)
        elif compression == "zstd":
            self._out = zstandard.ZstdCompressor(level=ZSTD_LEVEL).stream_writer(self._raw, closefd=False)
        else:
            self._out = self._raw
        self._lines: list[bytes] = []

    def write(self, record: dict[str, Any], files: list[Attachment]) -> None:
        self._lines.append(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        if len(self._lines) >= JSONL_BLOCK:
            self._flush()

    def _flush(self) -> None:
        if self._lines:
            self._out.write(b"".join(self._lines))
            self._lines = []

    def close(self) -> None:
        self._flush()
        if self._out is not self._raw:
            self._out.close()
        self._raw.close()


class ParquetWriter:
    def __init__(self, path: Path):
        self._writer = pq.ParquetWriter(str(path), PARQUET_SCHEMA, compression="zstd")
        self._records: list[dict[str, Any]] = []

    def write(self, record: dict[str, Any], files: list[Attachment]) -> None:
        self._records.append(record)
        if len(self._records) >= PARQUET_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._records:
            self._writer.write_table(to_table(self._records))
            self._records = []

    def close(self) -> None:
        self._flush()
        self._writer.close()


class WebDatasetWriter:
    def __init__(self, path: Path):
        self._tar = tarfile.open(str(path), mode="w", format=tarfile.PAX_FORMAT)  # noqa: SIM115 (closed in close)

    def _add(self, name: str, size: int, stream: IO[bytes]) -> None:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o444, 0
        self._tar.addfile(info, stream)

    def write(self, record: dict[str, Any], files: list[Attachment]) -> None:
        body = orjson.dumps(record)
        self._add(f"{record['record_id']}.json", len(body), io.BytesIO(body))
        for f in files:
            self._add(f"{record['record_id']}.{f.name}", f.size, io.BufferedReader(_ChunkReader(f.open())))

    def close(self) -> None:
        self._tar.close()


def writer_for(fmt: str, path: Path, compression: str) -> ShardWriter:
    if fmt == "jsonl":
        return JsonlWriter(path, compression)
    if fmt in ("parquet", "hf"):
        return ParquetWriter(path)
    return WebDatasetWriter(path)


def media_extension(name: str, content_type: str) -> str:
    """The extension WebDataset decoders key on: the file's own, else one from its type."""
    if "." in name:
        ext = name.rsplit(".", 1)[1].lower()
        if ext.isalnum() and len(ext) <= 5:
            return ext
    return {"image/png": "png", "image/jpeg": "jpg", "audio/wav": "wav", "video/mp4": "mp4", "text/plain": "txt"}.get(
        content_type, "bin"
    )
