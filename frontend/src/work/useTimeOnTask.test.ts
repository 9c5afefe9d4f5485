import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useTimeOnTask } from "./useTimeOnTask";

describe("useTimeOnTask", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // act() runs these synchronously; its returned thenable has nothing left to wait for.
  const tick = (ms: number) => void act(() => void vi.advanceTimersByTime(ms));
  const press = () => void act(() => void window.dispatchEvent(new KeyboardEvent("keydown", { key: "a" })));

  it("pings once per interval with input, and not while idle", () => {
    const ping = vi.fn();
    renderHook(() => useTimeOnTask(true, ping, 1_000));
    tick(1_000);
    expect(ping).not.toHaveBeenCalled();
    tick(300);
    press();
    press();
    tick(700);
    expect(ping).toHaveBeenCalledTimes(1);
    tick(3_000);
    expect(ping).toHaveBeenCalledTimes(1);
    void act(() => void window.dispatchEvent(new Event("pointerdown")));
    tick(1_000);
    expect(ping).toHaveBeenCalledTimes(2);
  });

  it("never pings while the work is not in progress", () => {
    const ping = vi.fn();
    renderHook(() => useTimeOnTask(false, ping, 1_000));
    tick(200);
    press();
    tick(2_000);
    expect(ping).not.toHaveBeenCalled();
  });

  it("ticks the clock it returns, for countdowns", () => {
    const { result } = renderHook(() => useTimeOnTask(false, () => undefined, 1_000));
    const start = result.current;
    tick(3_000);
    expect(result.current - start).toBe(3_000);
  });

  it("stops listening when the page goes", () => {
    const ping = vi.fn();
    const { unmount } = renderHook(() => useTimeOnTask(true, ping, 1_000));
    unmount();
    press();
    tick(5_000);
    expect(ping).not.toHaveBeenCalled();
  });
});
