/**
 * Provided: you do not need to edit this file; read it with lesson 18's step 3.
 *
 * Both cores on one matrix product: worker threads, each running your `matmulRows` on its share of the rows
 * (your `splitRows` decides the shares), on arrays that live in shared memory, so that no number is copied. With the
 * SIMD kernels, the threads also share the products with A transposed (`matmulTransposedA`) of a FastMlp step.
 *
 *     const arena = Arena.shared(16 << 20);
 *     const threads = await MatmulThreads.start(arena, { kind: "loops", name: "matmulBlocked" }, 2);
 *     threads.matmul(a, b, c, rows, inner, cols);   // a, b and c: arena.floats(...)
 *     await threads.close();
 *
 * How a product is shared, with `threads` = 2: the calling thread takes the first share itself and one worker
 * the second. Each worker has a slot of numbers in a small shared `Int32Array`: the calling thread writes there
 * where the matrices start in the arena, their shapes and the worker's rows, sets the slot's state to JOB and
 * wakes the worker (`Atomics.notify`); it then computes its own share, and waits until every worker has set its
 * state to DONE. Atomics make each write visible to the other thread before the state changes, which plain writes
 * to shared memory do not promise.
 *
 * Two things keep the threads from costing more than they save (lesson 18 measures both):
 *   - a worker asleep in `Atomics.wait` uses no processor time, but waking it takes tens of microseconds: so after
 *     each job a worker keeps checking its state for a while (`spinMs`) before it goes to sleep, and the calling
 *     thread checks for DONE the same way. A job that comes soon starts at once; OpenMP's threads do the same. But
 *     a thread that spins holds a core, and when more threads want to run than there are cores (a busy machine),
 *     the thread it waits for may be the one it keeps off the core. Lesson 18 measures both ways.
 *   - a small product is over before a worker could help: one of fewer than `shareFrom` multiply-adds is computed
 *     by the calling thread alone.
 *
 * Lesson 18.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { Arena } from "./arena";
import type { StepKernels } from "./fast-mlp";
import { BLOCK_ROWS, type FloatArray, type Matmul, splitRows } from "./matmul-loops";
import {
  Product,
  productRows,
  Slot,
  State,
  spinWhile,
  type ThreadKernel,
  type ThreadKernels,
  threadKernels,
} from "./matmul-worker";

export type { ThreadKernel } from "./matmul-worker";

/** Numbers per worker in the control array (see matmul-worker.ts: the state and a job's numbers). */
const SLOT = 16;

export interface ThreadOptions {
  /** The fewest multiply-adds (rows × inner × cols) a product must have to be shared. 0: share every product. */
  shareFrom?: number;
  /** How long each thread keeps checking for its next job (a worker) or for DONE (the caller) before it sleeps. */
  spinMs?: number;
}

/**
 * The defaults, measured on the MNIST step: one worker's wake-up costs about as much as 0.5 million multiply-adds of
 * the SIMD kernel, so the two large products of a step (6.4 million each) are shared and the three small ones
 * (82,000 each) are not; and the threads sleep as soon as they wait, which was the fastest way on the course's busy
 * 2-core machine: spinning 20 µs first made a tiny shared product slower, and spinning 1 ms (long enough to bridge the
 * gap between the two large products) made it take milliseconds.
 */
export const THREAD_DEFAULTS: Required<ThreadOptions> = { shareFrom: 1_000_000, spinMs: 0 };

interface Helper {
  worker: Worker;
  /** Where the worker's error messages arrive, read without waiting for the event loop. */
  errors: MessagePort;
}

export class MatmulThreads {
  private constructor(
    private readonly arena: Arena,
    private readonly control: Int32Array,
    private readonly helpers: Helper[],
    /** The kernels the calling thread runs on its own share. */
    private readonly own: ThreadKernels,
    private readonly options: Required<ThreadOptions>,
  ) {}

  /** `threads` threads in all: this one and `threads − 1` workers, started and ready when the promise resolves. */
  static async start(
    arena: Arena,
    kernel: ThreadKernel,
    threads = 2,
    options: ThreadOptions = {},
  ): Promise<MatmulThreads> {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`MatmulThreads: threads must be a whole number of at least 1, got ${threads}.`);
    }
    if (!(arena.buffer instanceof SharedArrayBuffer)) {
      throw new TypeError(
        "MatmulThreads: worker threads see only shared memory: use Arena.shared(...) or Arena.of(memory).",
      );
    }
    const settings = { ...THREAD_DEFAULTS, ...options };
    const control = new Int32Array(new SharedArrayBuffer((threads - 1) * SLOT * Int32Array.BYTES_PER_ELEMENT));
    const helpers = await Promise.all(
      Array.from({ length: threads - 1 }, (_, w) =>
        startWorker({ control, slot: w * SLOT, buffer: arena.buffer, kernel, spinMs: settings.spinMs }),
      ),
    );
    return new MatmulThreads(arena, control, helpers, threadKernels(kernel), settings);
  }

  /** How many products were shared between the threads so far, and how many the calling thread computed alone. */
  readonly products = { shared: 0, alone: 0 };

  /** How many threads share each product. */
  get threads(): number {
    return this.helpers.length + 1;
  }

  /** C = A · B, the rows shared between the threads: a Matmul like the loops, for arrays of the arena. */
  readonly matmul: Matmul = (a, b, c, rows, inner, cols) => {
    this.share(Product.Plain, [a, b, c], [rows, inner, cols]);
  };

  /** C = Aᵀ · B for A stored inner × rows, the rows of C shared the same way: the SIMD kernels only. */
  readonly matmulTransposedA: Matmul = (a, b, c, rows, inner, cols) => {
    this.share(Product.TransposedA, [a, b, c], [rows, inner, cols]);
  };

  /**
   * With the SIMD kernels, the rest of a FastMlp step: the products with A transposed shared between the threads, the
   * element-wise kernels on this thread. (Undefined with the loops, which leave that work to FastMlp's JavaScript.)
   */
  stepKernels(): StepKernels | undefined {
    const { simd } = this.own;
    return simd && { ...simd.stepKernels(), matmulTransposedA: this.matmulTransposedA };
  }

  /** One product, its rows shared: the workers' shares handed over, this thread's computed, then every worker waited for. */
  private share(product: Product, matrices: [FloatArray, FloatArray, FloatArray], shape: [number, number, number]) {
    const [a, b, c] = matrices;
    const [rows, inner, cols] = shape;
    for (const array of matrices) this.checkInArena(array);
    const parts = rows * inner * cols < this.options.shareFrom ? 1 : this.threads;
    const [own, ...shares] = splitRows(rows, parts, BLOCK_ROWS);
    this.products[shares.length > 0 ? "shared" : "alone"] += 1;
    shares.forEach((range, w) => {
      const base = w * SLOT;
      const float32 = a instanceof Float32Array ? 1 : 0;
      this.control.set(
        [a.byteOffset, b.byteOffset, c.byteOffset, rows, inner, cols, range.start, range.end, float32, product],
        base + Slot.A,
      );
      Atomics.store(this.control, base + Slot.State, State.Job);
      Atomics.notify(this.control, base + Slot.State);
    });
    let failure: unknown;
    try {
      productRows(this.own, product, matrices, shape, own);
    } catch (error) {
      failure = error;
    }
    // Every worker must be done before anyone reads c, or this thread's error is thrown: wait for all of them.
    shares.forEach((_, w) => {
      const state = w * SLOT + Slot.State;
      spinWhile(this.control, state, State.Job, this.options.spinMs);
      while (Atomics.load(this.control, state) === State.Job) Atomics.wait(this.control, state, State.Job);
      if (Atomics.load(this.control, state) === State.Failed) {
        failure ??= new Error(receiveMessageOnPort(this.helpers[w].errors)?.message ?? "a worker thread failed");
      }
    });
    if (failure !== undefined) throw failure;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    this.helpers.forEach((_, w) => {
      Atomics.store(this.control, w * SLOT + Slot.State, State.Quit);
      Atomics.notify(this.control, w * SLOT + Slot.State);
    });
    for (const { errors } of this.helpers) errors.close();
    await Promise.all(this.helpers.map(({ worker }) => worker.terminate()));
  }

  private checkInArena(array: FloatArray): void {
    if (!this.arena.holds(array)) {
      throw new TypeError("MatmulThreads: every matrix must be an array of the threads' arena (arena.floats(...)).");
    }
  }
}

/** Starts one worker on its slot; resolves when it has loaded its kernel and waits for work. */
function startWorker(setup: {
  control: Int32Array;
  slot: number;
  buffer: ArrayBufferLike;
  kernel: ThreadKernel;
  spinMs: number;
}): Promise<Helper> {
  const { port1, port2 } = new MessageChannel();
  const workerData = { ...setup, errors: port2 };
  const worker = newWorker(workerData, [port2]);
  return new Promise((resolve, reject) => {
    worker.once("message", () => resolve({ worker, errors: port1 }));
    worker.once("error", reject);
  });
}

/**
 * A worker running matmul-worker beside this file. The course's tools run its compiled JavaScript (.mjs) as it is;
 * the tests run the TypeScript, which Node 20 cannot load by itself, so the worker first loads tsx, the loader the
 * course's commands use (it is found from the course folder, where every course command runs).
 */
function newWorker(workerData: object, transferList: MessagePort[]): Worker {
  const self = import.meta.url;
  const extension = self.slice(self.lastIndexOf("."));
  const file = new URL(`./matmul-worker${extension}`, self);
  if (extension !== ".ts") return new Worker(file, { workerData, transferList });
  const load = `const { tsImport } = await import("tsx/esm/api"); await tsImport(${JSON.stringify(file.href)}, ${JSON.stringify(self)});`;
  return new Worker(load, { eval: true, workerData, transferList });
}
