/** The item's clock in React: the playhead as state, moved on every animation frame while it plays. */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ItemClock, type Span } from "./clock";

export interface ItemClockControls {
  /** The item's time now, in seconds. */
  time: number;
  playing: boolean;
  rate: number;
  span: Span;
  play: () => void;
  pause: () => void;
  toggle: () => void;
  seek: (t: number) => void;
  step: (seconds: number) => void;
  setRate: (rate: number) => void;
}

export function useItemClock(span: Span): ItemClockControls {
  const [clock] = useState(() => new ItemClock(span));
  const [time, setTime] = useState(span.start);
  const [playing, setPlaying] = useState(false);
  const [rate, setRateState] = useState(1);
  const frame = useRef<number | null>(null);

  const { start, end } = span;
  // A new span (a file's length became known): the clock takes it while rendering, the playhead kept within it.
  const [spanOf, setSpanOf] = useState(`${start}:${end}`);
  if (spanOf !== `${start}:${end}`) {
    setSpanOf(`${start}:${end}`);
    clock.setSpan({ start, end });
    setTime(clock.time());
  }

  // While playing, the playhead follows the clock each frame; the clock stops itself at the span's end.
  useEffect(() => {
    if (!playing) return;
    const tick = () => {
      setTime(clock.time());
      if (!clock.playing) {
        setPlaying(false);
        return;
      }
      frame.current = requestAnimationFrame(tick);
    };
    frame.current = requestAnimationFrame(tick);
    return () => {
      if (frame.current !== null) cancelAnimationFrame(frame.current);
    };
  }, [clock, playing]);

  const play = useCallback(() => {
    clock.play();
    setTime(clock.time());
    setPlaying(clock.playing);
  }, [clock]);
  const pause = useCallback(() => {
    clock.pause();
    setTime(clock.time());
    setPlaying(false);
  }, [clock]);
  const toggle = useCallback(() => (clock.playing ? pause() : play()), [clock, play, pause]);
  const seek = useCallback(
    (t: number) => {
      clock.seek(t);
      setTime(clock.time());
    },
    [clock],
  );
  const step = useCallback(
    (seconds: number) => {
      clock.step(seconds);
      setTime(clock.time());
    },
    [clock],
  );
  const setRate = useCallback(
    (r: number) => {
      clock.setRate(r);
      setRateState(clock.rate);
    },
    [clock],
  );
  const current = useMemo(() => ({ start, end }), [start, end]);
  return { time, playing, rate, span: current, play, pause, toggle, seek, step, setRate };
}
