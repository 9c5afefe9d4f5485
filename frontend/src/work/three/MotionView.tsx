/** A BVH take: its skeleton posed at the time the timeline gives (three.js: BVHLoader, SkeletonHelper, an
 * AnimationMixer set to that time). A joint is picked with a click on it (a small sphere at each joint) or from the
 * joint list, and anchors the note to that joint at the frame shown. Without WebGL the list still anchors. */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { AnimationMixer, Box3, Group, Mesh, MeshBasicMaterial, SkeletonHelper, SphereGeometry, Vector3, type Bone } from "three";
import { BVHLoader } from "three/examples/jsm/loaders/BVHLoader.js";
import type { Note } from "../merge";
import type { Anchor, TaskFile } from "../MediaViewer";
import { useFileData } from "../useFileData";
import { JointPicker } from "./JointPicker";
import { asJoint, probeNumber, probeStrings } from "../anchors";
import { createStage, onClick, type Stage } from "./stage";
import { i18n } from "../../i18n";

const JOINT = "#4f46e5";
const NOTED = "#0891b2";
const CHOSEN = "#ea580c";

interface Take {
  root: Group;
  mixer: AnimationMixer;
  /** The joints (end sites left out). */
  bones: Bone[];
  /** Every bone, end sites too (for the take's extent). */
  all: Bone[];
  duration: number;
  fps: number;
  frames: number;
}

function parseTake(text: string, fallbackFps: number | null): Take {
  const { skeleton, clip } = new BVHLoader().parse(text);
  const root = new Group();
  root.add(skeleton.bones[0]!);
  root.add(new SkeletonHelper(skeleton.bones[0]!));
  const mixer = new AnimationMixer(root);
  mixer.clipAction(clip).play();
  const times = clip.tracks[0]?.times;
  const frameTime = times && times.length > 1 ? times[1]! - times[0]! : fallbackFps ? 1 / fallbackFps : 1 / 30;
  const frames = times ? times.length : Math.round(clip.duration / frameTime) + 1;
  return { root, mixer, bones: skeleton.bones.filter((b) => b.name !== "ENDSITE"), all: skeleton.bones, duration: clip.duration, fps: 1 / frameTime, frames };
}

export default function MotionView({
  file,
  time,
  notes,
  pending,
  onAnchor,
  readOnly,
  onDuration,
}: {
  file: TaskFile;
  /** The file's own time, in seconds. */
  time: number;
  notes: Note[];
  pending: Anchor | null;
  onAnchor: (a: Anchor | null) => void;
  readOnly: boolean;
  onDuration?: (seconds: number) => void;
}) {
  const { t } = useTranslation("work");
  const host = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState<Stage | null>(null);
  // The canvas's accessible name follows the language shown (the stage is made with the one shown then).
  useEffect(() => {
    stage?.canvas.setAttribute("aria-label", t("motion.canvas", { name: file.name }));
  }, [stage, t, file.name]);
  const [noWebgl, setNoWebgl] = useState(false);
  const [joint, setJoint] = useState("");
  const spheres = useRef(new Map<string, Mesh<SphereGeometry, MeshBasicMaterial>>());
  const latest = useRef({ onDuration });
  useEffect(() => {
    latest.current = { onDuration };
  });

  const shown = useFileData(file, "bvh", async (response) => parseTake(await response.text(), probeNumber(file.probe, "frame_rate")));
  const take = shown.state === "ready" ? shown.value : null;
  useEffect(() => {
    if (take) latest.current.onDuration?.(take.duration);
  }, [take]);

  // The stage, with the take and a sphere at each joint.
  useEffect(() => {
    const box = host.current;
    if (!box || !take) return;
    const s = createStage(box, i18n.t("motion.canvas", { ns: "work", name: file.name }));
    if (!s) {
      setNoWebgl(true);
      return;
    }
    s.scene.add(take.root);
    // The camera takes in the whole take: its extent over a sample of its frames, end sites included.
    const bounds = new Box3();
    const at = new Vector3();
    for (let f = 0; f < take.frames; f += Math.max(1, Math.floor(take.frames / 20))) {
      take.mixer.setTime(f / take.fps);
      take.root.updateMatrixWorld(true);
      for (const b of take.all) bounds.expandByPoint(b.getWorldPosition(at));
    }
    const radius = Math.max(bounds.getSize(new Vector3()).length() * 0.012, 1e-3);
    const geometry = new SphereGeometry(radius, 12, 8);
    const made = spheres.current;
    for (const b of take.bones) {
      const sphere = new Mesh(geometry, new MeshBasicMaterial({ color: JOINT }));
      sphere.name = b.name;
      made.set(b.name, sphere);
      s.scene.add(sphere);
    }
    s.fit(bounds);
    setStage(s);
    return () => {
      setStage(null);
      for (const m of made.values()) m.material.dispose();
      made.clear();
      geometry.dispose();
      s.scene.remove(take.root);
      s.dispose();
    };
  }, [take, file.name]);

  const frame = take ? Math.min(take.frames - 1, Math.max(0, Math.round(time * take.fps))) : 0;
  const pendingJoint = asJoint(pending);
  const chosen = pendingJoint && pendingJoint.file === file.id ? pendingJoint.joint : null;
  const noted = new Set(notes.map((n) => asJoint(n.anchor)).filter((j) => j && j.file === file.id).map((j) => j!.joint));

  // Posed at the frame shown; the spheres follow the joints.
  useEffect(() => {
    if (!stage || !take) return;
    stage.setOnFrame(() => {
      take.mixer.setTime(frame / take.fps);
      take.root.updateMatrixWorld(true);
      for (const b of take.bones) {
        const sphere = spheres.current.get(b.name);
        if (!sphere) continue;
        b.getWorldPosition(sphere.position);
        sphere.material.color.set(b.name === chosen ? CHOSEN : noted.has(b.name) ? NOTED : JOINT);
        sphere.scale.setScalar(b.name === chosen || b.name === joint ? 1.8 : 1);
      }
    });
    stage.invalidate();
  });

  const anchorJoint = (name: string) => {
    setJoint(name);
    if (!readOnly && name) onAnchor({ type: "joint", file: file.id, joint: name, frame });
  };
  const latestPick = useRef(anchorJoint);
  useEffect(() => {
    latestPick.current = anchorJoint;
  });
  useEffect(() => {
    if (!stage) return;
    return onClick(stage.canvas, (e) => {
      const hit = stage.pick(e.clientX, e.clientY, [...spheres.current.values()])[0];
      if (hit) latestPick.current(hit.object.name);
    });
  }, [stage]);

  const names = take ? take.bones.map((b) => b.name) : probeStrings(file.probe, "joints");
  if (shown.state === "failed") return <p className="banner banner-error" role="alert">{t("files.unreadable", { name: file.name, message: shown.message })}</p>;
  return (
    <div className="motion-view" data-testid="motion-view" data-frame={frame} data-ready={stage ? "true" : "false"}>
      <div ref={host} className="stage" data-testid="motion-stage" hidden={noWebgl}>
        {shown.state === "loading" && <p className="muted small">{t("motion.loading")}</p>}
      </div>
      {noWebgl && (
        <p className="banner" role="status" data-testid="no-webgl">
          {t("motion.noWebgl")}
        </p>
      )}
      <div className="viewer-tools">
        <span className="small" data-testid="motion-frame">
          {take ? t("motion.frameOf", { frame, frames: take.frames, fps: take.fps }) : t("motion.frame", { frame })}
        </span>
        <JointPicker names={names} value={joint} onChange={setJoint} readOnly={readOnly} action={t("motion.anchorJoint", { frame })} onAnchor={anchorJoint} />
      </div>
      {!readOnly && <p className="muted small">{t("motion.hint")}</p>}
    </div>
  );
}
