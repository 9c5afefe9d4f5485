/** The item's clock: the timed files of an item (audio, video, motion, sensor) share it, each from its own offset.
 * A file's own time is the item's time less the file's offset; outside 0..duration the file has nothing to show.
 * The clock runs on the wall clock (not on any one media element, which may stall, end or be absent), and the media
 * elements follow it: each is sought back when it drifts from where the clock says it should be. */

export interface Track {
  id: number;
  /** Where the file starts on the item's clock, in seconds (may be negative). */
  offset: number;
  /** The file's length in seconds (0 when not known yet). */
  duration: number;
}

export interface Span {
  start: number;
  end: number;
}

/** How far (seconds) a media element may drift from the clock before it is sought back. */
export const DRIFT_TOLERANCE = 0.1;

/** The item's whole span: from its clock's zero (or the earliest file, when one starts before it) to the end of the
 * last file. */
export function itemSpan(tracks: readonly Track[]): Span {
  if (tracks.length === 0) return { start: 0, end: 0 };
  const start = Math.min(0, ...tracks.map((t) => t.offset));
  const end = Math.max(start, ...tracks.map((t) => t.offset + Math.max(0, t.duration)));
  return { start, end };
}

/** A file's own time at `itemTime`. */
export const localTime = (itemTime: number, offset: number): number => itemTime - offset;
/** The item's time at a file's own `local` time. */
export const itemTime = (local: number, offset: number): number => local + offset;

/** Whether the item's time `at` falls within the file (a file of unknown length runs on from its start). */
export function isInside(track: Track, at: number): boolean {
  const local = localTime(at, track.offset);
  if (local < 0) return false;
  return track.duration > 0 ? local < track.duration : true;
}

export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** What the timeline needs of a media element (an HTMLMediaElement, or a stand-in in tests). */
export interface MediaLike {
  currentTime: number;
  readonly paused: boolean;
  playbackRate: number;
  play(): Promise<void> | void;
  pause(): void;
}

export interface SyncResult {
  inside: boolean;
  /** The element was sought (it had drifted, or the clock was moved). */
  sought: boolean;
}

/** Bring one media element in step with the clock: paused and parked at its nearest end while the item's time is
 * outside it; inside, sought when it drifted more than `tolerance`, at the clock's rate, playing when the clock
 * plays. */
export function syncMedia(el: MediaLike, track: Track, at: number, playing: boolean, rate: number, tolerance = DRIFT_TOLERANCE): SyncResult {
  const inside = isInside(track, at);
  const local = localTime(at, track.offset);
  const target = inside ? local : clamp(local, 0, track.duration > 0 ? track.duration : Math.max(0, local));
  let sought = false;
  if (Math.abs(el.currentTime - target) > tolerance) {
    el.currentTime = target;
    sought = true;
  }
  if (el.playbackRate !== rate) el.playbackRate = rate;
  if (inside && playing) {
    if (el.paused) void Promise.resolve(el.play()).catch(() => undefined);
  } else if (!el.paused) {
    el.pause();
  }
  return { inside, sought };
}

/** A playhead over a span: it runs at `rate` from where it was last set, stops at the span's end. `now` reads the
 * wall clock in seconds (performance.now in the page; a stand-in in tests). */
export class ItemClock {
  private at: number;
  private since: number;
  private running = false;
  private speed = 1;

  constructor(
    private span: Span,
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.at = span.start;
    this.since = now();
  }

  get playing(): boolean {
    return this.running;
  }

  get rate(): number {
    return this.speed;
  }

  /** The item's time now. Reaching the span's end stops the clock there. */
  time(): number {
    if (!this.running) return this.at;
    const t = this.at + (this.now() - this.since) * this.speed;
    if (t >= this.span.end) {
      this.at = this.span.end;
      this.running = false;
      return this.at;
    }
    return t;
  }

  private rebase(): void {
    this.at = this.time();
    this.since = this.now();
  }

  play(): void {
    this.rebase();
    // Played at the end: from the start again.
    if (this.at >= this.span.end) this.at = this.span.start;
    this.running = this.span.end > this.span.start;
  }

  pause(): void {
    this.rebase();
    this.running = false;
  }

  seek(t: number): void {
    this.at = clamp(t, this.span.start, this.span.end);
    this.since = this.now();
  }

  step(seconds: number): void {
    this.seek(this.time() + seconds);
  }

  setRate(rate: number): void {
    this.rebase();
    this.speed = rate > 0 ? rate : 1;
  }

  /** A new span (a file's length became known, an offset changed): the playhead stays where it is, within it. */
  setSpan(span: Span): void {
    this.rebase();
    this.span = span;
    this.at = clamp(this.at, span.start, span.end);
  }
}
