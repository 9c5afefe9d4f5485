import { useEffect, useRef, useState } from "react";

export const PING_MS = 30_000;
const INPUT_EVENTS = ["keydown", "pointerdown", "wheel", "input"] as const;

/** Time on task: `ping` tells the server once per interval in which the person did something (a key, a pointer,
 * the wheel, typing), never while the page sits idle, and only while the work is `active`. Returns the time of the
 * last tick, for countdowns such as the lease's. */
export function useTimeOnTask(active: boolean, ping: () => void, everyMs = PING_MS): number {
  const [now, setNow] = useState(() => Date.now());
  const lastInput = useRef(0);
  const lastPing = useRef(0);
  const latestPing = useRef(ping);
  useEffect(() => {
    latestPing.current = ping;
  });
  useEffect(() => {
    lastPing.current = Date.now();
  }, []);
  useEffect(() => {
    const mark = () => (lastInput.current = Date.now());
    INPUT_EVENTS.forEach((e) => window.addEventListener(e, mark, { passive: true }));
    const timer = window.setInterval(() => {
      setNow(Date.now());
      if (!active || lastInput.current < lastPing.current) return;
      lastPing.current = Date.now();
      latestPing.current();
    }, everyMs);
    return () => {
      INPUT_EVENTS.forEach((e) => window.removeEventListener(e, mark));
      window.clearInterval(timer);
    };
  }, [active, everyMs]);
  return now;
}
