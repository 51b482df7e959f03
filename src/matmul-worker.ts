/**
 * Provided: you do not need to edit this file; read it with lesson 18's step 3.
 *
 * One worker thread of `MatmulThreads` (matmul-threads.ts). It waits on its slot of the shared control array until
 * the main thread hands it a job there, computes its rows of the product with your `matmulRows` (or, for a product
 * with A transposed, with the SIMD kernel told its rows), and says DONE (or FAILED, with the error's message on its
 * port) through the same slot. It waits by checking the slot again and again for `spinMs` (a job that comes soon
 * starts at once), then asleep in `Atomics.wait` (no processor time, but tens of microseconds to wake up).
 *
 * Lesson 18.
 */
import { isMainThread, type MessagePort, parentPort, workerData } from "node:worker_threads";
import {
  type FloatArray,
  type Matmul,
  matmulBlocked,
  matmulIJK,
  matmulIKJ,
  matmulRows,
  type RowRange,
} from "./matmul-loops";
import { SimdMatmul } from "./simd-matmul";

/** A slot's state: what the main thread asks (Job, Quit) and what the worker answers (Done, Failed). */
export enum State {
  Idle = 0,
  Job = 1,
  Done = 2,
  Failed = 3,
  Quit = 4,
}

/** Which product a job is: C = A · B, or C = Aᵀ · B with A stored inner × rows (the SIMD kernel only). */
export enum Product {
  Plain = 0,
  TransposedA = 1,
}

/**
 * Where each number of a job is in a slot: A, B and C as byte offsets in the arena, the shape, the rows, the kind,
 * the product.
 */
export enum Slot {
  State = 0,
  A = 1,
  B = 2,
  C = 3,
  Rows = 4,
  Inner = 5,
  Cols = 6,
  Start = 7,
  End = 8,
  /** 1 when the matrices are Float32Arrays, 0 when Float64Arrays. */
  Float32 = 9,
  Product = 10,
}

const LOOPS = { matmulIJK, matmulIKJ, matmulBlocked };

/** The names of the loops a thread can run. */
export type LoopKernelName = keyof typeof LOOPS;

/** One of your loops, by name. */
export function loopKernel(name: LoopKernelName): Matmul {
  const kernel = LOOPS[name];
  if (!kernel)
    throw new RangeError(`MatmulThreads: no loop called ${name}; the loops are ${Object.keys(LOOPS).join(", ")}.`);
  return kernel;
}

/** What each thread runs on its rows: one of your loops by name, or the SIMD kernels on their memory. */
export type ThreadKernel =
  | { kind: "loops"; name: LoopKernelName }
  | { kind: "simd"; module: WebAssembly.Module; memory: WebAssembly.Memory };

/** A thread's kernels: the product it hands to your `matmulRows`, and the SIMD kernels when it has them. */
export interface ThreadKernels {
  matmul: Matmul;
  simd?: SimdMatmul;
}

/** The kernels of `kernel`, made in the thread that runs them. */
export function threadKernels(kernel: ThreadKernel): ThreadKernels {
  if (kernel.kind === "loops") return { matmul: loopKernel(kernel.name) };
  const simd = new SimdMatmul(kernel.module, kernel.memory);
  return { matmul: simd.matmul, simd };
}

/** One thread's share of a product: the rows `range` of C = A · B (by your `matmulRows`) or of C = Aᵀ · B. */
export function productRows(
  kernels: ThreadKernels,
  product: Product,
  [a, b, c]: [FloatArray, FloatArray, FloatArray],
  [rows, inner, cols]: [number, number, number],
  range: RowRange,
): void {
  if (product === Product.Plain) {
    matmulRows(kernels.matmul, a, b, c, rows, inner, cols, range);
  } else if (kernels.simd) {
    kernels.simd.transposedARows(a, b, c, rows, inner, cols, range);
  } else {
    throw new TypeError("MatmulThreads: only the SIMD kernel multiplies with A transposed; the loops compute A · B.");
  }
}

interface WorkerSetup {
  control: Int32Array;
  slot: number;
  buffer: ArrayBufferLike;
  kernel: ThreadKernel;
  errors: MessagePort;
  spinMs: number;
}

/**
 * Checks `control[index]` again and again while it holds `value`, for at most `ms` milliseconds: a thread that spins
 * sees a change within a fraction of a microsecond, where one asleep in `Atomics.wait` takes tens of them to wake.
 */
export function spinWhile(control: Int32Array, index: number, value: number, ms: number): void {
  if (ms <= 0) return;
  const until = performance.now() + ms;
  while (Atomics.load(control, index) === value && performance.now() < until) {
    // Checking the clock between two loads keeps the loop short and its end near `until`.
  }
}

// What follows runs only in a worker thread, where `npm run coverage` cannot see (it measures the test process's own
// thread): lesson 18's tests check it through MatmulThreads, with every loop, both kinds of numbers and a failure.
/* v8 ignore start -- @preserve */

/** The view of one matrix of a job, of the kind the main thread's arrays have. */
function view(buffer: ArrayBufferLike, offset: number, length: number, float32: boolean): FloatArray {
  return float32 ? new Float32Array(buffer, offset, length) : new Float64Array(buffer, offset, length);
}

function serve({ control, slot, buffer, kernel, errors, spinMs }: WorkerSetup): void {
  const kernels = threadKernels(kernel);
  const state = slot + Slot.State;
  parentPort?.postMessage("ready");
  for (;;) {
    // After a job the state is DONE or FAILED until the next one: spin while it is, then sleep.
    spinWhile(control, state, Atomics.load(control, state), spinMs);
    let now = Atomics.load(control, state);
    while (now !== State.Job && now !== State.Quit) {
      Atomics.wait(control, state, now);
      now = Atomics.load(control, state);
    }
    if (now === State.Quit) return;
    const [a, b, c, rows, inner, cols, start, end, float32, product] = control.subarray(
      slot + Slot.A,
      slot + Slot.Product + 1,
    );
    try {
      const [viewA, viewB, viewC] = [
        [a, rows * inner],
        [b, inner * cols],
        [c, rows * cols],
      ].map(([offset, length]) => view(buffer, offset, length, float32 === 1));
      productRows(kernels, product, [viewA, viewB, viewC], [rows, inner, cols], { start, end });
      Atomics.store(control, state, State.Done);
    } catch (error) {
      errors.postMessage({ message: error instanceof Error ? error.message : String(error) });
      Atomics.store(control, state, State.Failed);
    }
    Atomics.notify(control, state);
  }
}

if (!isMainThread && workerData?.control instanceof Int32Array) serve(workerData as WorkerSetup);
/* v8 ignore stop -- @preserve */
