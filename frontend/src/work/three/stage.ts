/** A three.js stage for the 3D viewers: a renderer on a canvas in `host`, an orbitable camera, lights, rendering on
 * demand (a frame only when something changed), resizing with its host, and picking. Loaded only with the viewers. */
import { AmbientLight, Box3, Color, DirectionalLight, PerspectiveCamera, Raycaster, Scene, Vector2, Vector3, WebGLRenderer, type Intersection, type Object3D } from "three";
import { OrbitControls } from "three/examples/jsm/controls/OrbitControls.js";

export interface Stage {
  scene: Scene;
  camera: PerspectiveCamera;
  controls: OrbitControls;
  canvas: HTMLCanvasElement;
  /** Draw a frame soon (once, however often it is asked before then). */
  invalidate(): void;
  /** What to do before each frame (posing a skeleton). */
  setOnFrame(f: (() => void) | null): void;
  /** The camera looks at `box` whole. */
  fit(box: Box3): void;
  /** What is under a point of the screen (client coordinates), nearest first. */
  pick(clientX: number, clientY: number, objects: Object3D[], recursive?: boolean): Intersection[];
  dispose(): void;
}

/** Whether this browser can draw WebGL at all (a headless or locked-down one may not). */
export function webglAvailable(): boolean {
  try {
    const canvas = document.createElement("canvas");
    return !!(canvas.getContext("webgl2") ?? canvas.getContext("webgl"));
  } catch {
    return false;
  }
}

export function createStage(host: HTMLElement, label: string): Stage | null {
  if (!webglAvailable()) return null;
  let renderer: WebGLRenderer;
  try {
    renderer = new WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  } catch {
    return null;
  }
  renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
  const canvas = renderer.domElement;
  canvas.className = "stage-canvas";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  canvas.tabIndex = 0;
  host.replaceChildren(canvas);

  const scene = new Scene();
  scene.background = new Color("#f3f4f6");
  scene.add(new AmbientLight("#ffffff", 1.6));
  const sun = new DirectionalLight("#ffffff", 2.2);
  sun.position.set(3, 6, 4);
  scene.add(sun);
  const camera = new PerspectiveCamera(45, 1, 0.01, 1000);
  camera.position.set(0, 1, 4);
  const controls = new OrbitControls(camera, canvas);
  controls.enableDamping = false;
  // Arrow keys orbit while the canvas has focus (the page's own arrow keys step the timeline otherwise).
  controls.listenToKeyEvents(canvas);

  let queued: number | null = null;
  let onFrame: (() => void) | null = null;
  const stage: Stage = {
    scene,
    camera,
    controls,
    canvas,
    setOnFrame(f) {
      onFrame = f;
    },
    invalidate() {
      if (queued !== null) return;
      queued = requestAnimationFrame(() => {
        queued = null;
        onFrame?.();
        renderer.render(scene, camera);
      });
    },
    fit(box) {
      const size = box.getSize(new Vector3());
      const centre = box.getCenter(new Vector3());
      const radius = Math.max(size.length() / 2, 1e-3);
      // The narrower of the two fields of view decides (a tall view is narrower across than up).
      const vertical = (camera.fov * Math.PI) / 180;
      const horizontal = 2 * Math.atan(Math.tan(vertical / 2) * camera.aspect);
      const distance = (radius / Math.sin(Math.min(vertical, horizontal) / 2)) * 1.05;
      camera.near = distance / 100;
      camera.far = distance * 100;
      camera.position.copy(centre).add(new Vector3(0.6, 0.4, 1).normalize().multiplyScalar(distance));
      camera.updateProjectionMatrix();
      controls.target.copy(centre);
      controls.update();
      stage.invalidate();
    },
    pick(clientX, clientY, objects, recursive = false) {
      const box = canvas.getBoundingClientRect();
      const ndc = new Vector2(((clientX - box.left) / box.width) * 2 - 1, -((clientY - box.top) / box.height) * 2 + 1);
      const ray = new Raycaster();
      ray.setFromCamera(ndc, camera);
      return ray.intersectObjects(objects, recursive);
    },
    dispose() {
      if (queued !== null) cancelAnimationFrame(queued);
      observer.disconnect();
      controls.dispose();
      renderer.dispose();
      canvas.remove();
    },
  };
  controls.addEventListener("change", () => stage.invalidate());
  const resize = () => {
    const width = Math.max(1, host.clientWidth);
    const height = Math.max(1, host.clientHeight);
    renderer.setSize(width, height, false);
    camera.aspect = width / height;
    camera.updateProjectionMatrix();
    stage.invalidate();
  };
  const observer = new ResizeObserver(resize);
  observer.observe(host);
  resize();
  return stage;
}

/** A click, as opposed to the drag that orbits: the pointer went down and up within a few pixels. */
export function onClick(canvas: HTMLElement, handler: (e: PointerEvent) => void): () => void {
  let from: [number, number] | null = null;
  const down = (e: PointerEvent) => {
    from = e.button === 0 ? [e.clientX, e.clientY] : null;
  };
  const up = (e: PointerEvent) => {
    if (from && Math.hypot(e.clientX - from[0], e.clientY - from[1]) < 5) handler(e);
    from = null;
  };
  canvas.addEventListener("pointerdown", down);
  canvas.addEventListener("pointerup", up);
  return () => {
    canvas.removeEventListener("pointerdown", down);
    canvas.removeEventListener("pointerup", up);
  };
}
