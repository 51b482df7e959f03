/**
 * TensorFlow.js in the bench: the library a JavaScript programmer would pick, on its pure-JavaScript CPU backend.
 * The bench network is written with its operations (`matMul`, `add`, `tanh`, the mean squared error) and trained
 * with `tf.train.sgd`, per example and in mini-batches, from the scalar engine's initial weights, on the same
 * examples in the same order.
 *
 * It is no dependency of the course, so that a learner's `npm ci` stays small: the bench installs the pinned version,
 * with its WebAssembly backend (SIMD, one thread in Node) for the MNIST step's rows (mnist-bench.ts), into
 * .course/tfjs/ (ignored by git) the first time it runs, and skips these rows, saying why, when it cannot.
 * It is loaded as CommonJS: the ESM build of tfjs-core cannot import its gradient registrations by path.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Dataset } from "../../solutions/data";
import type { BenchRow } from "./tensor-bench";

export const TFJS_VERSION = "4.22.0";
/** The packages the bench installs, each at TFJS_VERSION. */
const PACKAGES = ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"];

/** The few parts of TensorFlow.js the bench uses (the package is not installed with the course's types). */
interface TfTensor {
  add(other: TfTensor): TfTensor;
  sub(other: TfTensor): TfTensor;
  matMul(other: TfTensor): TfTensor;
  tanh(): TfTensor;
  square(): TfTensor;
  mean(): TfTensor;
  dataSync(): Float32Array;
}

export interface Tf {
  version: { tfjs: string };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  enableProdMode(): void;
  tensor2d(values: Float32Array, shape: [number, number]): TfTensor;
  variable(initial: TfTensor): TfTensor;
  tidy<T>(run: () => T): T;
  train: { sgd(lr: number): { minimize(loss: () => TfTensor): unknown } };
}

/**
 * TensorFlow.js on its CPU backend, installed into `<root>/.course/tfjs/` first if it is not there yet; or why not.
 */
export async function loadTfjs(root: string): Promise<{ tf: Tf } | { skipped: string }> {
  const folder = path.join(root, ".course", "tfjs");
  const manifest = (name: string) => path.join(folder, "node_modules", name, "package.json");
  const installed = () =>
    PACKAGES.every(
      (name) => existsSync(manifest(name)) && JSON.parse(readFileSync(manifest(name), "utf8")).version === TFJS_VERSION,
    );
  if (!installed()) {
    console.log(
      `TensorFlow.js ${TFJS_VERSION} is not installed yet: installing it into .course/tfjs/ for the bench ` +
        "(once; it is not part of the course's npm ci) ...",
    );
    const npm = spawnSync(
      process.platform === "win32" ? "npm.cmd" : "npm",
      [
        "install",
        "--prefix",
        folder,
        ...PACKAGES.map((name) => `${name}@${TFJS_VERSION}`),
        "--ignore-scripts",
        "--no-audit",
        "--no-fund",
      ],
      { encoding: "utf8", shell: process.platform === "win32" },
    );
    if (npm.status !== 0 || !installed()) {
      const why = `${npm.stderr ?? ""}${npm.error?.message ?? ""}`.trim().split("\n").at(-1) ?? "";
      return {
        skipped: `npm install ${PACKAGES.join(" ")} ${TFJS_VERSION} failed (is the registry reachable?): ${why}`,
      };
    }
  }
  const load = createRequire(path.join(folder, "package.json"));
  const tf = load("@tensorflow/tfjs") as Tf;
  load("@tensorflow/tfjs-backend-wasm"); // registers the "wasm" backend, for tf.setBackend("wasm")
  // Production mode: no debug checks and no advice to install the native backend, as a deployed program runs it.
  tf.enableProdMode();
  await tf.setBackend("cpu");
  await tf.ready();
  return { tf };
}

/**
 * The bench network in TensorFlow.js (float32, its only dtype on the CPU backend for training), trained with plain
 * SGD at `lr` on batches of `batchSize` taken in order (1: per example), from `initial` (ANN order).
 */
export function tfjsRow(
  tf: Tf,
  sizes: number[],
  data: Dataset,
  { lr, batchSize, initial }: { lr: number; batchSize: number; initial: number[] },
): BenchRow {
  let next = 0;
  const layers = sizes.slice(1).map((nout, l) => {
    const nin = sizes[l];
    const w = new Float32Array(nin * nout);
    const b = new Float32Array(nout);
    for (let j = 0; j < nout; j++) {
      for (let i = 0; i < nin; i++) w[i * nout + j] = initial[next++];
      b[j] = initial[next++];
    }
    return { nin, nout, w: tf.variable(tf.tensor2d(w, [nin, nout])), b: tf.variable(tf.tensor2d(b, [1, nout])) };
  });
  const forward = (x: TfTensor) =>
    layers.reduce((h, layer, l) => {
      const out = h.matMul(layer.w).add(layer.b);
      return l < layers.length - 1 ? out.tanh() : out;
    }, x);
  // The batches as packed rows, made once; each step turns its batch into tensors, as a training loop does.
  const features = sizes[0];
  const batches: { x: Float32Array; y: Float32Array }[] = [];
  for (let start = 0; start < data.x.length; start += batchSize) {
    const rows = data.x.slice(start, start + batchSize);
    batches.push({ x: Float32Array.from(rows.flat()), y: Float32Array.from(data.y.slice(start, start + batchSize)) });
  }
  const optimizer = tf.train.sgd(lr);
  return {
    name: batchSize === 1 ? "TensorFlow.js, per example" : `TensorFlow.js, batches of ${batchSize}`,
    epoch() {
      for (const batch of batches) {
        tf.tidy(() => {
          const x = tf.tensor2d(batch.x, [batch.y.length, features]);
          const y = tf.tensor2d(batch.y, [batch.y.length, 1]);
          optimizer.minimize(() => forward(x).sub(y).square().mean());
        });
      }
    },
    outputs(xs) {
      return tf.tidy(() =>
        Array.from(forward(tf.tensor2d(Float32Array.from(xs.flat()), [xs.length, features])).dataSync()),
      );
    },
    weights() {
      return layers.flatMap(({ nin, nout, w, b }) => {
        const ws = w.dataSync();
        const bs = b.dataSync();
        return Array.from({ length: nout }, (_, j) => [
          ...Array.from({ length: nin }, (_, i) => ws[i * nout + j]),
          bs[j],
        ]).flat();
      });
    },
  };
}
