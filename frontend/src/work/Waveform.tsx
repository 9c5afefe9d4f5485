/** The time lane of an audio or video file: wavesurfer.js drawn over the page's own media element, with its
 * regions plugin for the time ranges of notes. Drag on the lane to mark a range, drag a range to move it, drag its
 * edges to resize it, click it to select it; a click elsewhere seeks. For video the lane has no waveform (the file
 * is not downloaded a second time to decode its sound): it is the ruler the ranges live on. */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import WaveSurfer from "wavesurfer.js";
import RegionsPlugin, { type Region } from "wavesurfer.js/plugins/regions";
import TimelinePlugin from "wavesurfer.js/plugins/timeline";

export interface TimeRange {
  /** "pending" for the range being marked, otherwise the note's id. */
  id: string;
  start: number;
  end: number;
  label: string;
}

export const PENDING = "pending";
const COLOURS = { note: "rgba(79, 70, 229, 0.22)", pending: "rgba(234, 88, 12, 0.28)", selected: "rgba(79, 70, 229, 0.42)" };

/** The page's CSP nonce: wavesurfer.js styles its shadow root with a <style> element, which the policy allows only
 * with this nonce. */
const cspNonce = () => document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content || undefined;

/** Seconds to the hundredth, as anchors keep them. */
export const hundredths = (v: number) => Math.round(v * 100) / 100;

function colourOf(id: string, selected: string | null): string {
  if (id === PENDING) return COLOURS.pending;
  return id === selected ? COLOURS.selected : COLOURS.note;
}

export interface WaveformProps {
  media: HTMLMediaElement | null;
  /** Draw the sound's waveform (audio); false draws an empty lane of `duration` seconds (video). */
  decode: boolean;
  duration: number;
  ranges: TimeRange[];
  selected: string | null;
  /** Ranges can be drawn, moved and resized (false: shown and clicked only). */
  editable: boolean;
  zoom: number;
  rate: number;
  onCreate: (start: number, end: number) => void;
  onChange: (id: string, start: number, end: number) => void;
  onSelect: (id: string | null) => void;
}

export function Waveform({ media, decode, duration, ranges, selected, editable, zoom, rate, onCreate, onChange, onSelect }: WaveformProps) {
  const container = useRef<HTMLDivElement>(null);
  const [instance, setInstance] = useState<{ ws: WaveSurfer; regions: ReturnType<typeof RegionsPlugin.create> } | null>(null);
  const { t } = useTranslation("work");
  const [problem, setProblem] = useState<string | null>(null);
  // The latest props, for the plugin's listeners bound once per instance.
  const latest = useRef({ ranges, onCreate, onChange, onSelect });
  useEffect(() => {
    latest.current = { ranges, onCreate, onChange, onSelect };
  });
  // A lane without a waveform needs its length before it is drawn; once drawn, it keeps it (the element's own
  // duration, once known, is preferred to the probe's).
  const laneKnown = decode || duration > 0;
  const durationRef = useRef(duration);
  useEffect(() => {
    durationRef.current = duration;
  });

  useEffect(() => {
    if (!container.current || !media || !laneKnown) return;
    const lane = Number.isFinite(media.duration) && media.duration > 0 ? media.duration : durationRef.current;
    const regions = RegionsPlugin.create();
    const ws = WaveSurfer.create({
      container: container.current,
      media,
      height: 72,
      waveColor: "#a5b4fc",
      progressColor: "#4f46e5",
      cursorColor: "#111827",
      normalize: true,
      cspNonce: cspNonce(),
      dragToSeek: false,
      ...(decode ? {} : { peaks: [new Float32Array(2)], duration: lane }),
      plugins: [regions, TimelinePlugin.create({ height: 14, style: { fontSize: "10px", color: "#6b7280" } })],
    });
    if (editable) regions.enableDragSelection({ color: COLOURS.pending }, 4);
    regions.on("region-created", (region: Region) => {
      // Ranges drawn from the notes carry their ids; anything else was just dragged out by the person.
      if (latest.current.ranges.some((r) => r.id === region.id)) return;
      const [start, end] = [hundredths(region.start), hundredths(region.end)];
      region.remove();
      if (end > start) latest.current.onCreate(start, end);
    });
    regions.on("region-updated", (region: Region) => {
      latest.current.onChange(region.id, hundredths(region.start), hundredths(region.end));
    });
    regions.on("region-clicked", (region: Region, event: MouseEvent) => {
      event.stopPropagation();
      latest.current.onSelect(region.id);
      media.currentTime = region.start;
    });
    ws.on("ready", () => setInstance({ ws, regions }));
    ws.on("error", (error: Error) => setProblem(error.message));
    return () => {
      setInstance(null);
      setProblem(null);
      ws.destroy();
    };
  }, [media, decode, laneKnown, editable]);

  // The notes' ranges and the one being marked, kept in step with the regions on the lane.
  useEffect(() => {
    if (!instance) return;
    const shown = new Map(instance.regions.getRegions().map((r) => [r.id, r]));
    for (const range of ranges) {
      const colour = colourOf(range.id, selected);
      const region = shown.get(range.id);
      shown.delete(range.id);
      if (!region) {
        instance.regions.addRegion({ id: range.id, start: range.start, end: range.end, content: range.label, color: colour, minLength: 0.05, drag: editable, resize: editable });
      } else if (!region.isDragging && (hundredths(region.start) !== range.start || hundredths(region.end) !== range.end || region.color !== colour)) {
        region.setOptions({ start: range.start, end: range.end, color: colour });
      }
    }
    for (const stale of shown.values()) stale.remove();
  }, [instance, ranges, selected, editable]);

  useEffect(() => {
    if (instance) instance.ws.zoom(zoom);
  }, [instance, zoom]);
  useEffect(() => {
    if (instance) instance.ws.setPlaybackRate(rate, true);
  }, [instance, rate]);

  return (
    <div className="waveform-lane">
      <div ref={container} className="waveform" data-testid="waveform" data-ready={instance ? "true" : "false"} aria-hidden="true" />
      {problem !== null && <p className="muted small" role="status">{t("waveform.failed", { message: problem })}</p>}
    </div>
  );
}
