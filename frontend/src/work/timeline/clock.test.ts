import { describe, expect, it } from "vitest";
import { DRIFT_TOLERANCE, ItemClock, isInside, itemSpan, localTime, syncMedia, type MediaLike, type Track } from "./clock";

class FakeMedia implements MediaLike {
  currentTime = 0;
  paused = true;
  playbackRate = 1;
  seeks = 0;
  play() {
    this.paused = false;
  }
  pause() {
    this.paused = true;
  }
}

function fakeNow() {
  const wall = { t: 100 };
  return { wall, now: () => wall.t };
}

describe("the item's span and a file's own time", () => {
  const video: Track = { id: 1, offset: 0, duration: 10 };
  const bvh: Track = { id: 2, offset: 0.5, duration: 2 };
  const early: Track = { id: 3, offset: -1.5, duration: 4 };

  it("spans from zero to the end of the last file", () => {
    expect(itemSpan([video, bvh])).toEqual({ start: 0, end: 10 });
    expect(itemSpan([{ id: 1, offset: 3, duration: 10 }])).toEqual({ start: 0, end: 13 });
    expect(itemSpan([])).toEqual({ start: 0, end: 0 });
  });

  it("starts before zero when a file has a negative offset", () => {
    expect(itemSpan([video, early])).toEqual({ start: -1.5, end: 10 });
    expect(localTime(0, early.offset)).toBe(1.5);
    expect(isInside(early, -1.5)).toBe(true);
    expect(isInside(early, 2.5)).toBe(false);
  });

  it("maps the item's time to the file's, and knows when it falls outside", () => {
    expect(localTime(1.25, bvh.offset)).toBe(0.75);
    expect(isInside(bvh, 0.4)).toBe(false);
    expect(isInside(bvh, 0.5)).toBe(true);
    expect(isInside(bvh, 2.49)).toBe(true);
    expect(isInside(bvh, 2.5)).toBe(false);
    // A file whose length is not known yet runs on from its start.
    expect(isInside({ id: 4, offset: 1, duration: 0 }, 99)).toBe(true);
  });
});

describe("a media element following the clock", () => {
  const track: Track = { id: 1, offset: 0.5, duration: 2 };

  it("is sought to the item's time less its offset, and plays with the clock", () => {
    const el = new FakeMedia();
    const r = syncMedia(el, track, 1.5, true, 1);
    expect(r).toEqual({ inside: true, sought: true });
    expect(el.currentTime).toBe(1);
    expect(el.paused).toBe(false);
  });

  it("is left alone within the drift tolerance and sought beyond it", () => {
    const el = new FakeMedia();
    el.currentTime = 1 + DRIFT_TOLERANCE / 2;
    expect(syncMedia(el, track, 1.5, true, 1).sought).toBe(false);
    expect(el.currentTime).toBeCloseTo(1.05);
    el.currentTime = 1.3;
    expect(syncMedia(el, track, 1.5, true, 1).sought).toBe(true);
    expect(el.currentTime).toBe(1);
  });

  it("is paused at its nearest end while the item's time is outside it", () => {
    const el = new FakeMedia();
    el.paused = false;
    el.currentTime = 1;
    expect(syncMedia(el, track, 0.2, true, 1)).toEqual({ inside: false, sought: true });
    expect(el.paused).toBe(true);
    expect(el.currentTime).toBe(0);
    syncMedia(el, track, 9, true, 1);
    expect(el.currentTime).toBe(2);
    expect(el.paused).toBe(true);
  });

  it("takes the clock's rate, and pauses when the clock does", () => {
    const el = new FakeMedia();
    syncMedia(el, track, 1, true, 1.5);
    expect(el.playbackRate).toBe(1.5);
    syncMedia(el, track, 1, false, 1.5);
    expect(el.paused).toBe(true);
  });

  it("works with negative offsets", () => {
    const el = new FakeMedia();
    syncMedia(el, { id: 2, offset: -2, duration: 5 }, 0, false, 1);
    expect(el.currentTime).toBe(2);
  });
});

describe("the clock", () => {
  it("runs at its rate from where it was set", () => {
    const { wall, now } = fakeNow();
    const clock = new ItemClock({ start: 0, end: 10 }, now);
    clock.seek(2);
    clock.play();
    wall.t += 1;
    expect(clock.time()).toBeCloseTo(3);
    clock.setRate(2);
    wall.t += 1;
    expect(clock.time()).toBeCloseTo(5);
    clock.pause();
    wall.t += 5;
    expect(clock.time()).toBeCloseTo(5);
    expect(clock.playing).toBe(false);
  });

  it("stops at the end, and plays from the start again", () => {
    const { wall, now } = fakeNow();
    const clock = new ItemClock({ start: -1, end: 2 }, now);
    expect(clock.time()).toBe(-1);
    clock.play();
    wall.t += 10;
    expect(clock.time()).toBe(2);
    expect(clock.playing).toBe(false);
    clock.play();
    expect(clock.time()).toBe(-1);
    expect(clock.playing).toBe(true);
  });

  it("is kept within its span when sought, stepped or given a shorter span", () => {
    const { now } = fakeNow();
    const clock = new ItemClock({ start: 0, end: 4 }, now);
    clock.seek(9);
    expect(clock.time()).toBe(4);
    clock.step(-5);
    expect(clock.time()).toBe(0);
    clock.seek(3.5);
    clock.setSpan({ start: 0, end: 3 });
    expect(clock.time()).toBe(3);
    clock.setRate(0);
    expect(clock.rate).toBe(1);
  });

  it("drives a media element: a drift beyond the tolerance is corrected on the next sync", () => {
    const { wall, now } = fakeNow();
    const clock = new ItemClock({ start: 0, end: 10 }, now);
    const el = new FakeMedia();
    const track: Track = { id: 1, offset: 0.5, duration: 9 };
    clock.play();
    wall.t += 1;
    syncMedia(el, track, clock.time(), clock.playing, clock.rate);
    expect(el.currentTime).toBeCloseTo(0.5);
    // The element lags (buffering): a lag within the tolerance is left, a bigger one is sought away.
    wall.t += 1;
    el.currentTime = 1.45;
    expect(syncMedia(el, track, clock.time(), clock.playing, clock.rate).sought).toBe(false);
    el.currentTime = 1.2;
    expect(syncMedia(el, track, clock.time(), clock.playing, clock.rate).sought).toBe(true);
    expect(el.currentTime).toBeCloseTo(1.5);
  });
});
