import { act, cleanup, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useShortcuts } from "./hooks";

afterEach(cleanup);

const key = (k: string, init: KeyboardEventInit = {}, target: EventTarget = window) =>
  void act(() => void target.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, ...init })));

describe("useShortcuts", () => {
  it("runs a one-key binding", () => {
    const r = vi.fn();
    renderHook(() => useShortcuts({ r }));
    key("r");
    expect(r).toHaveBeenCalledTimes(1);
  });

  it("runs a two-key binding such as g p, and forgets the prefix after a pause", () => {
    vi.useFakeTimers();
    try {
      const go = vi.fn();
      renderHook(() => useShortcuts({ "g p": go }));
      key("g");
      key("p");
      expect(go).toHaveBeenCalledTimes(1);
      key("g");
      act(() => void vi.advanceTimersByTime(1_500));
      key("p");
      expect(go).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("leaves keys alone while typing in a field", () => {
    const n = vi.fn();
    renderHook(() => useShortcuts({ n }));
    for (const tag of ["input", "textarea", "select"]) {
      const field = document.body.appendChild(document.createElement(tag));
      key("n", {}, field);
      field.remove();
    }
    expect(n).not.toHaveBeenCalled();
  });

  it("leaves the browser's own chords (Ctrl, Cmd, Alt) alone", () => {
    const s = vi.fn();
    renderHook(() => useShortcuts({ s }));
    key("s", { ctrlKey: true });
    key("s", { metaKey: true });
    key("s", { altKey: true });
    expect(s).not.toHaveBeenCalled();
  });

  it("stops listening when the page goes", () => {
    const r = vi.fn();
    const { unmount } = renderHook(() => useShortcuts({ r }));
    unmount();
    key("r");
    expect(r).not.toHaveBeenCalled();
  });
});
