/** An image with its regions, drawn and edited with Annotorious: draw a rectangle or a polygon, click a region to
 * select it, drag it to move it, drag its handles to resize it or move a corner, Delete to remove it. Regions are
 * the notes' anchors (and the one being marked); this component only reports what the person did. */
import "@annotorious/annotorious/annotorious.css";
import { createImageAnnotator, UserSelectAction, type ImageAnnotation, type ImageAnnotator } from "@annotorious/annotorious";
import { useEffect, useRef, useState } from "react";
import { fromShape, sameRegion, toShape, type Region } from "./imageShapes";

export type DrawTool = "rectangle" | "polygon";

export interface ShownRegion extends Region {
  /** "pending" for the region being marked, otherwise the note's id. */
  id: string;
}

interface Props {
  src: string | undefined;
  alt: string;
  regions: ShownRegion[];
  /** The drawing tool, or null to select and move only. */
  drawing: DrawTool | null;
  editable: boolean;
  selected: string | null;
  onCreate: (region: Region) => void;
  onChange: (id: string, region: Region | null) => void;
  onSelect: (id: string | null) => void;
  onImageError: () => void;
}

type Loaded = { annotator: ImageAnnotator; width: number; height: number };

/** Runs `change` with `flag` set, so listeners can tell the component's own changes from the person's. */
function withFlag(flag: { current: boolean }, change: () => void) {
  flag.current = true;
  try {
    change();
  } finally {
    flag.current = false;
  }
}

export function ImageRegions({ src, alt, regions, drawing, editable, selected, onCreate, onChange, onSelect, onImageError }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const latest = useRef({ onCreate, onChange, onSelect, onImageError });
  useEffect(() => {
    latest.current = { onCreate, onChange, onSelect, onImageError };
  });
  // Annotorious reports every change of its store, ours too: while this is set, the change is ours, not the person's.
  const ours = useRef(false);
  // Shapes just drawn, on their way to becoming the pending region (see createAnnotation).
  const drawnIds = useRef(new Set<string>());

  // The image and the annotator live outside React's tree: Annotorious wraps the <img> in an element of its own.
  useEffect(() => {
    const box = host.current;
    if (!box || !src) return;
    const img = document.createElement("img");
    img.alt = alt;
    img.draggable = false;
    let annotator: ImageAnnotator | null = null;
    const drawn = drawnIds.current;
    const onLoad = () => {
      if (!img.isConnected) return; // the view went before its image came
      const a = createImageAnnotator(img, {
        drawingEnabled: false,
        drawingMode: "drag",
        autoSave: true,
        userSelectAction: editable ? UserSelectAction.EDIT : UserSelectAction.SELECT,
      });
      const [width, height] = [img.naturalWidth, img.naturalHeight];
      const read = (annotation: ImageAnnotation) => fromShape(annotation.target.selector, width, height);
      a.on("createAnnotation", (annotation) => {
        if (ours.current) return;
        // The shape just drawn becomes the pending anchor, drawn again under the id "pending"; Annotorious selects
        // what it created, so its own copy goes once that is done.
        drawn.add(annotation.id);
        const region = read(annotation);
        if (region) latest.current.onCreate(region);
        window.setTimeout(() =>
          withFlag(ours, () => {
            a.cancelSelected();
            a.removeAnnotation(annotation.id);
            drawn.delete(annotation.id);
          }),
        );
      });
      a.on("updateAnnotation", (annotation) => {
        if (!ours.current && !drawn.has(annotation.id)) latest.current.onChange(annotation.id, read(annotation));
      });
      a.on("deleteAnnotation", (annotation) => {
        if (!ours.current && !drawn.has(annotation.id)) latest.current.onChange(annotation.id, null);
      });
      a.on("selectionChanged", (chosen) => {
        if (!ours.current) latest.current.onSelect(chosen.find((c) => !drawn.has(c.id))?.id ?? null);
      });
      annotator = a;
      setLoaded({ annotator: a, width, height });
    };
    img.addEventListener("load", onLoad, { once: true });
    img.addEventListener("error", () => latest.current.onImageError(), { once: true });
    img.src = src;
    box.replaceChildren(img);
    return () => {
      img.removeEventListener("load", onLoad);
      setLoaded(null);
      annotator?.destroy();
      box.replaceChildren();
    };
  }, [src, alt, editable]);

  // The regions on screen follow the notes (and the one being marked); a shape the person is editing is left alone
  // while it matches.
  useEffect(() => {
    if (!loaded) return;
    const { annotator, width, height } = loaded;
    const shown = new Map(annotator.getAnnotations().map((a) => [a.id, a]));
    withFlag(ours, () => {
      for (const region of regions) {
        const current = shown.get(region.id);
        shown.delete(region.id);
        const selector = toShape(region, width, height);
        if (!current) {
          annotator.addAnnotation({ id: region.id, bodies: [], target: { annotation: region.id, selector } });
        } else {
          const was = fromShape(current.target.selector, width, height);
          if (!was || !sameRegion(was, region)) annotator.updateAnnotation({ ...current, target: { ...current.target, selector } });
        }
      }
      // A shape just drawn is not stale: it is about to become the pending region.
      for (const stale of shown.keys()) if (!drawnIds.current.has(stale)) annotator.removeAnnotation(stale);
    });
  }, [loaded, regions]);

  useEffect(() => {
    if (!loaded) return;
    withFlag(ours, () => {
      if (editable && drawing) loaded.annotator.setDrawingTool(drawing);
      loaded.annotator.setDrawingEnabled(editable && drawing !== null);
    });
  }, [loaded, editable, drawing]);

  useEffect(() => {
    if (!loaded) return;
    const current = loaded.annotator.getSelected()[0]?.id ?? null;
    if (current !== selected) withFlag(ours, () => loaded.annotator.setSelected(selected ?? undefined, editable));
  }, [loaded, selected, editable]);

  return <div ref={host} className="image-host" data-testid="image-host" data-ready={loaded ? "true" : "false"} />;
}
