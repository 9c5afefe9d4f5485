/** A glTF/GLB model to orbit (three.js: GLTFLoader, OrbitControls). A click on its surface anchors a note to that
 * point (in the model's own coordinates), as does "Point at the centre of the view" from the keyboard; a model with a
 * skin anchors to one of its joints from the list. The file is fetched here and parsed from memory (see gltf.ts). */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Box3, Mesh, MeshBasicMaterial, SkinnedMesh, SphereGeometry, TextureLoader, Vector3, type Object3D } from "three";
import { GLTFLoader, type GLTF } from "three/examples/jsm/loaders/GLTFLoader.js";
import type { Note } from "../merge";
import type { Anchor, TaskFile } from "../MediaViewer";
import { useFileData } from "../useFileData";
import { JointPicker } from "./JointPicker";
import { asJoint, asPoint, probeStrings } from "../anchors";
import { asGlb } from "./gltf";
import { createStage, onClick, type Stage } from "./stage";
import { i18n } from "../../i18n";

const NOTED = "#4f46e5";
const CHOSEN = "#ea580c";
const round = (v: number) => Math.round(v * 100000) / 100000;

function parseModel(bytes: ArrayBuffer): Promise<GLTF> {
  const loader = new GLTFLoader();
  // Textures are read as images from blob: links (img-src allows them), not fetched (connect-src would not).
  loader.register((parser) => {
    parser.textureLoader = new TextureLoader(parser.options.manager);
    return { name: "atelier_image_textures" };
  });
  return loader.parseAsync(asGlb(bytes), "");
}

function jointsOf(model: Object3D): string[] {
  const names = new Set<string>();
  model.traverse((o) => {
    if (o instanceof SkinnedMesh) for (const b of o.skeleton.bones) names.add(b.name);
  });
  return [...names];
}

export default function ModelView({
  file,
  notes,
  pending,
  onAnchor,
  readOnly,
}: {
  file: TaskFile;
  notes: Note[];
  pending: Anchor | null;
  onAnchor: (a: Anchor | null) => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation("work");
  const host = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState<Stage | null>(null);
  const [noWebgl, setNoWebgl] = useState(false);
  const [joint, setJoint] = useState("");
  const [size, setSize] = useState(1);
  // The canvas's accessible name follows the language shown (the stage is made with the one shown then).
  useEffect(() => {
    stage?.canvas.setAttribute("aria-label", t("model.canvas", { name: file.name }));
  }, [stage, t, file.name]);

  const shown = useFileData(file, "gltf", async (response) => parseModel(await response.arrayBuffer()));
  const gltf = shown.state === "ready" ? shown.value : null;

  useEffect(() => {
    const box = host.current;
    if (!box || !gltf) return;
    const s = createStage(box, i18n.t("model.canvas", { ns: "work", name: file.name }));
    if (!s) {
      setNoWebgl(true);
      return;
    }
    s.scene.add(gltf.scene);
    gltf.scene.updateMatrixWorld(true);
    const bounds = new Box3().setFromObject(gltf.scene);
    setSize(Math.max(bounds.getSize(new Vector3()).length(), 1e-3));
    s.fit(bounds);
    setStage(s);
    return () => {
      setStage(null);
      s.scene.remove(gltf.scene);
      s.dispose();
    };
  }, [gltf, file.name]);

  // A marker at each point anchored on this model, the one being marked in orange.
  const points = notes
    .map((n, i) => ({ point: asPoint(n.anchor), label: String(i + 1) }))
    .filter((x) => x.point?.file === file.id)
    .map((x) => ({ position: x.point!.position, colour: NOTED }));
  const p = asPoint(pending);
  if (p && p.file === file.id) points.push({ position: p.position, colour: CHOSEN });
  const pointsKey = JSON.stringify(points);
  useEffect(() => {
    if (!stage) return;
    const geometry = new SphereGeometry(size * 0.012, 16, 12);
    const markers = (JSON.parse(pointsKey) as { position: [number, number, number]; colour: string }[]).map((m) => {
      const mesh = new Mesh(geometry, new MeshBasicMaterial({ color: m.colour, depthTest: false }));
      mesh.renderOrder = 10;
      mesh.position.set(...m.position);
      stage.scene.add(mesh);
      return mesh;
    });
    stage.invalidate();
    return () => {
      for (const m of markers) {
        stage.scene.remove(m);
        m.material.dispose();
      }
      geometry.dispose();
      stage.invalidate();
    };
  }, [stage, pointsKey, size]);

  const anchorAt = (clientX: number, clientY: number, fallback: boolean) => {
    if (!stage || !gltf || readOnly) return false;
    const hit = stage.pick(clientX, clientY, [gltf.scene], true)[0];
    const at = hit ? hit.point : fallback ? stage.controls.target : null;
    if (!at) return false;
    onAnchor({ type: "point", file: file.id, position: [round(at.x), round(at.y), round(at.z)] });
    return true;
  };
  const latest = useRef(anchorAt);
  useEffect(() => {
    latest.current = anchorAt;
  });
  useEffect(() => {
    if (!stage) return;
    return onClick(stage.canvas, (e) => void latest.current(e.clientX, e.clientY, false));
  }, [stage]);

  const joints = gltf ? jointsOf(gltf.scene) : probeStrings(file.probe, "joints");
  const pendingJoint = asJoint(pending);
  if (shown.state === "failed") return <p className="banner banner-error" role="alert">{t("files.unreadable", { name: file.name, message: shown.message })}</p>;
  return (
    <div className="model-view" data-testid="model-view" data-ready={stage ? "true" : "false"}>
      <div ref={host} className="stage stage-model" data-testid="model-stage" hidden={noWebgl}>
        {shown.state === "loading" && <p className="muted small">{t("model.loading")}</p>}
      </div>
      {noWebgl && (
        <p className="banner" role="status" data-testid="no-webgl">
          {joints.length ? t("model.noWebglJoints") : t("model.noWebgl")}
        </p>
      )}
      <div className="viewer-tools">
        {!readOnly && (
          <button
            type="button"
            className="btn"
            disabled={!stage}
            onClick={() => {
              const box = stage?.canvas.getBoundingClientRect();
              if (box) anchorAt(box.left + box.width / 2, box.top + box.height / 2, true);
            }}
          >
            {t("model.centre")}
          </button>
        )}
        {joints.length > 0 && (
          <JointPicker
            names={joints}
            value={joint}
            onChange={setJoint}
            readOnly={readOnly}
            action={t("model.anchorJoint")}
            onAnchor={(name) => onAnchor({ type: "joint", file: file.id, joint: name })}
          />
        )}
        {pendingJoint?.file === file.id && <span className="small">{t("model.jointChosen", { joint: pendingJoint.joint })}</span>}
      </div>
      {!readOnly && <p className="muted small">{t("model.hint")}</p>}
    </div>
  );
}
