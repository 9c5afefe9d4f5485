"""Probing sensor time series: a time column in seconds, then numeric channels, as CSV or Parquet.

The rule for which CSV is a sensor series lives in `annotations.domain.media.csv_is_sensor` (decided on the first
bytes); here every row is held to it: the time column is a finite number that strictly increases, every other cell
is a number or empty (a missing sample, NaN). Parquet is read with pyarrow: its footer first (row and column counts
and types checked against the limits before any page is read), then one column of one row group at a time, so memory
stays at one column's worth whatever the file claims. A timestamp-typed time column counts seconds since the epoch.

Neither format is ever held whole: times are kept (8 bytes a row) for the sample rate, channels only as a min/max
envelope for the preview.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from annotations.domain.media import is_time_column
from annotations.domain.probe_base import Probed, ProbeError, png_bytes

MAX_CHANNELS = 256
MAX_SAMPLES = 10_000_000
MAX_SENSOR_SECONDS = 24 * 3600.0
MAX_NAME_CHARS = 200
CSV_BATCH_CELLS = 1_000_000
PLOTTED_CHANNELS = 8
PLOT_WIDTH = 800
LANE_HEIGHT = 56

_SECONDS_PER_UNIT = {"s": 1.0, "ms": 1e3, "us": 1e6, "ns": 1e9}


class Envelope:
    """The min and max of one channel per bucket of rows, in at most 2 x width buckets: when they are full,
    neighbours merge and each bucket covers twice the rows. Streams any number of rows in bounded memory."""

    def __init__(self, width: int = PLOT_WIDTH) -> None:
        self.width = width
        self.step = 1
        self.fill = 0
        self.low: list[float] = []
        self.high: list[float] = []

    def _halve(self) -> None:
        self.low = [min(a, b) for a, b in zip(self.low[::2], self.low[1::2], strict=False)]
        self.high = [max(a, b) for a, b in zip(self.high[::2], self.high[1::2], strict=False)]
        self.step *= 2

    def extend(self, values: np.ndarray) -> None:
        i, n = 0, len(values)
        while i < n:
            if not self.low or self.fill == self.step:
                if len(self.low) == 2 * self.width:
                    self._halve()
                self.low.append(math.inf)
                self.high.append(-math.inf)
                self.fill = 0
            take = min(self.step - self.fill, n - i)
            chunk = values[i : i + take]
            chunk = chunk[np.isfinite(chunk)]
            if len(chunk):
                self.low[-1] = min(self.low[-1], float(chunk.min()))
                self.high[-1] = max(self.high[-1], float(chunk.max()))
            self.fill += take
            i += take


class _Series:
    """Checks times as they come and keeps what the facts and the preview need."""

    def __init__(self, channels: list[str]) -> None:
        self.channels = channels
        self.times: list[np.ndarray] = []
        self.origin = 0.0  # added to every time: a timestamp column is kept relative to its first value
        self.samples = 0
        self.last = -math.inf
        self.envelopes = [Envelope() for _ in channels[:PLOTTED_CHANNELS]]

    def add_times(self, times: np.ndarray, first_row: int) -> None:
        if self.samples + len(times) > MAX_SAMPLES:
            raise ProbeError(f"The series has more than {MAX_SAMPLES:,} rows.")
        bad = np.flatnonzero(~np.isfinite(times))
        if len(bad):
            raise ProbeError(f"Row {first_row + int(bad[0]):,}: the time is not a finite number.")
        steps = np.diff(np.concatenate(([self.last], times)))
        back = np.flatnonzero(steps <= 0)
        if len(back):
            row = int(back[0])
            before = self.last if row == 0 else float(times[row - 1])
            raise ProbeError(
                f"Time must increase row after row: row {first_row + row:,} has {float(times[row]):g} after {before:g}."
            )
        self.last = float(times[-1])
        self.times.append(times.astype(np.float64, copy=False))
        self.samples += len(times)

    def facts(self, fmt: str, time_column: str) -> dict[str, Any]:
        if self.samples < 2:
            raise ProbeError("A sensor series needs at least two rows.")
        times = np.concatenate(self.times)
        start, duration = self.origin + float(times[0]), float(times[-1] - times[0])
        if duration > MAX_SENSOR_SECONDS:
            raise ProbeError(
                f"The series spans {duration:,.0f} s; at most {MAX_SENSOR_SECONDS:,.0f} s are allowed "
                "(times are read as seconds)."
            )
        return {
            "format": fmt,
            "time_column": time_column,
            "channels": self.channels,
            "samples": self.samples,
            "sample_rate": round(float(np.median(1.0 / np.diff(times))), 6),
            "duration_seconds": round(duration, 6),
            "start_seconds": round(start, 6),
        }

    def preview(self) -> bytes | None:
        lanes = [(name, e) for name, e in zip(self.channels, self.envelopes, strict=False) if e.low]
        if not lanes:
            return None
        img = Image.new("RGB", (PLOT_WIDTH, LANE_HEIGHT * len(lanes)), (248, 249, 251))
        draw = ImageDraw.Draw(img)
        for lane, (name, envelope) in enumerate(lanes):
            top = lane * LANE_HEIGHT
            finite = [v for v in envelope.low + envelope.high if math.isfinite(v)]
            low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
            span = (high - low) or 1.0
            count = len(envelope.low)
            if lane:
                draw.line([(0, top), (PLOT_WIDTH, top)], fill=(226, 228, 235))

            def y(v: float, top: int = top, low: float = low, span: float = span) -> float:
                return top + LANE_HEIGHT - 4 - (v - low) / span * (LANE_HEIGHT - 8)

            trace: list[tuple[float, float]] = []
            for i, (a, b) in enumerate(zip(envelope.low, envelope.high, strict=True)):
                if not (math.isfinite(a) and math.isfinite(b)):
                    continue  # a gap: missing samples
                x = (i + 0.5) * PLOT_WIDTH / count
                draw.line([(x, y(b)), (x, y(a))], fill=(79, 70, 229))
                trace.append((x, y((a + b) / 2)))
            if len(trace) > 1:
                draw.line(trace, fill=(79, 70, 229), width=2)
            draw.text((4, top + 2), name[:40], fill=(55, 65, 81))
        return png_bytes(img)


def _header(names: list[str]) -> tuple[str, list[str]]:
    if len(names) < 2 or not is_time_column(names[0]):
        raise ProbeError(
            "A sensor series has a time column first (time, t, timestamp, time_s, seconds or sec) and at least "
            "one channel after it."
        )
    channels = [n.strip() for n in names[1:]]
    if len(channels) > MAX_CHANNELS:
        raise ProbeError(f"The series has {len(channels):,} channels; at most {MAX_CHANNELS} are allowed.")
    if any(not n or len(n) > MAX_NAME_CHARS for n in channels):
        raise ProbeError(f"Every channel needs a name of 1 to {MAX_NAME_CHARS} characters.")
    if len(set(channels)) != len(channels):
        raise ProbeError("Two channels have the same name.")
    return names[0].strip(), channels


def _csv_numbers(rows: list[list[str]], first_row: int, names: list[str]) -> np.ndarray:
    try:
        return np.array(rows, dtype=np.float64)
    except ValueError:
        pass
    values = np.empty((len(rows), len(names)))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            text = cell.strip()
            if not text and c:
                values[r, c] = math.nan
                continue
            try:
                values[r, c] = float(text)
            except ValueError:
                raise ProbeError(
                    f"Row {first_row + r:,}, column {names[c][:40]!r}: {text[:40]!r} is not a number "
                    "(a sensor series holds only numbers)."
                ) from None
    return values


def probe_csv(path: Path) -> Probed:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            names = next(reader, [])
            time_column, channels = _header(names)
            width = len(names)
            series = _Series(channels)
            batch: list[list[str]] = []
            first_row = 1

            def flush() -> None:
                values = _csv_numbers(batch, first_row, names)
                if np.isinf(values[:, 1:]).any():
                    raise ProbeError(f"A row from {first_row:,} on holds an infinite value.")
                series.add_times(values[:, 0], first_row)
                for index, envelope in enumerate(series.envelopes):
                    envelope.extend(values[:, index + 1])

            for row in reader:
                if not row:
                    continue
                if len(row) != width:
                    raise ProbeError(f"Row {first_row + len(batch):,} has {len(row)} cells; the header has {width}.")
                batch.append(row)
                if series.samples + len(batch) > MAX_SAMPLES:
                    raise ProbeError(f"The series has more than {MAX_SAMPLES:,} rows.")
                if len(batch) * width >= CSV_BATCH_CELLS:
                    flush()
                    first_row += len(batch)
                    batch = []
            if batch:
                flush()
    except UnicodeDecodeError:
        raise ProbeError("The CSV is not UTF-8 text.") from None
    except csv.Error as exc:
        raise ProbeError(f"The CSV cannot be read: {exc}.") from None
    return Probed(facts=series.facts("csv", time_column), preview=series.preview(), preview_type="image/png")


def _seconds(column: Any, pa: Any, series: _Series) -> np.ndarray:
    """Seconds from a time column. Timestamps count from their first value (exact in integers: seconds since the
    epoch as floats would blur the milliseconds), and the series' origin takes the epoch part."""
    kind = column.type
    if pa.types.is_timestamp(kind) or pa.types.is_duration(kind):
        counts = np.asarray(column.cast(pa.int64()).to_numpy(), dtype=np.int64)
        per_second = _SECONDS_PER_UNIT[kind.unit]
        if not series.samples and len(counts):
            series.origin = int(counts[0]) / per_second
        first = round(series.origin * per_second)
        return (counts - first).astype(np.float64) / per_second
    return np.asarray(column.to_numpy(), dtype=np.float64)


def probe_parquet(path: Path) -> Probed:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        table = pq.ParquetFile(path)
        schema = table.schema_arrow
        rows, groups = table.metadata.num_rows, table.metadata.num_row_groups
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ProbeError(f"The Parquet file cannot be read: {str(exc)[:200]}") from None
    time_column, channels = _header(list(schema.names))
    time_type = schema.field(0).type
    if not (
        pa.types.is_integer(time_type)
        or pa.types.is_floating(time_type)
        or pa.types.is_timestamp(time_type)
        or pa.types.is_duration(time_type)
    ):
        raise ProbeError(f"The time column is {time_type}; it must be a number of seconds or a timestamp.")
    for name, kind in zip(schema.names[1:], schema.types[1:], strict=True):
        if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
            raise ProbeError(f"Column {name[:40]!r} is {kind}; a sensor series holds only numeric channels.")
    if rows > MAX_SAMPLES:
        raise ProbeError(f"The series has {rows:,} rows; at most {MAX_SAMPLES:,} are allowed.")
    series = _Series(channels)
    first_row = 1
    try:
        for group in range(groups):
            time = table.read_row_group(group, columns=[schema.names[0]]).column(0)
            if time.null_count:
                raise ProbeError(f"Row group {group}: the time column has empty values.")
            series.add_times(_seconds(time, pa, series), first_row)
            for index, name in enumerate(schema.names[1:]):
                column = table.read_row_group(group, columns=[name]).column(0)
                if len(column) != len(time):
                    raise ProbeError(f"Row group {group}: column {name[:40]!r} has a different number of rows.")
                if index < len(series.envelopes):
                    values = column.cast(pa.float64()).to_numpy(zero_copy_only=False)
                    series.envelopes[index].extend(np.asarray(values, dtype=np.float64))
            first_row += len(time)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ProbeError(f"The Parquet data cannot be read: {str(exc)[:200]}") from None
    if series.samples != rows:
        raise ProbeError(f"The Parquet footer claims {rows:,} rows; its row groups hold {series.samples:,}.")
    return Probed(facts=series.facts("parquet", time_column), preview=series.preview(), preview_type="image/png")


def probe_sensor(path: Path) -> Probed:
    with path.open("rb") as fh:
        head = fh.read(4)
    return probe_parquet(path) if head == b"PAR1" else probe_csv(path)
