/**
 * Provided: you do not need to edit this file; read it with lesson 18's step 4.
 *
 * The matrix product with SIMD: lessons/lesson-18-speed/kernels.wat, kernels written in the WebAssembly text
 * format, assembled into a binary by the `wabt` package and compiled by Node's WebAssembly engine
 * (scripts/lib/wasm-kernels.ts does both). This file instantiates them on a memory and calls them with the byte
 * addresses of Float32Arrays that live in that memory (an `Arena.of(memory)` makes them).
 *
 *     const memory = simdMemory(16 << 20);
 *     const simd = new SimdMatmul(await compileKernels(), memory);
 *     const arena = Arena.of(memory);
 *     simd.matmul(a, b, c, rows, inner, cols);   // a, b and c: arena.floats("float32", ...)
 *
 * Beside the product, the kernels do the rest of a FastMlp step's work four numbers at a time (`stepKernels()`):
 * the product with A transposed, the hidden layer's bias and tanh, and the gradient descent update.
 *
 * Lesson 18.
 */
import type { StepKernels } from "./fast-mlp";
import { checkMatmul, checkRange, type FloatArray, type Matmul, type RowRange } from "./matmul-loops";

/** What kernels.wat exports. */
interface KernelExports {
  matmul(a: number, b: number, c: number, inner: number, cols: number, rowStart: number, rowEnd: number): void;
  matmulTransposedA(
    a: number,
    b: number,
    c: number,
    rows: number,
    inner: number,
    cols: number,
    rowStart: number,
    rowEnd: number,
  ): void;
  addRowAndTanh(x: number, b: number, rows: number, cols: number): void;
  sgd(p: number, g: number, count: number, lr: number): void;
}

/** WebAssembly memory comes in pages of 64 KiB. */
const PAGE = 65536;

/**
 * A memory of at least `bytes` bytes that the kernels can use from several threads at once (shared), and that never
 * grows (a memory that grows gets a new buffer, and every array on the old one would be left behind).
 */
export function simdMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.ceil(bytes / PAGE);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

export class SimdMatmul {
  private readonly kernels: KernelExports;

  constructor(
    module: WebAssembly.Module,
    readonly memory: WebAssembly.Memory,
  ) {
    this.kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  }

  /**
   * C = A · B by the kernel: a Matmul like lesson 18's loops, for Float32Arrays in this memory. (An arrow
   * function, so that it can be handed around on its own, as `matmulRows(simd.matmul, ...)` does.)
   */
  readonly matmul: Matmul = (a, b, c, rows, inner, cols) => {
    checkMatmul(a, b, c, rows, inner, cols);
    this.kernels.matmul(this.address(a), this.address(b), this.address(c), inner, cols, 0, rows);
  };

  /** C = Aᵀ · B by the kernel, for A stored inner × rows (its transpose is rows × inner): no transpose is built. */
  readonly matmulTransposedA: Matmul = (a, b, c, rows, inner, cols) => {
    this.transposedARows(a, b, c, rows, inner, cols, { start: 0, end: rows });
  };

  /**
   * Rows `range.start` to `range.end` of C = Aᵀ · B, A stored inner × rows: a thread's share. Those rows of C need
   * columns of the stored A, which no subarray is, so the kernel is told the rows instead.
   */
  transposedARows(
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    rows: number,
    inner: number,
    cols: number,
    range: RowRange,
  ): void {
    checkMatmul(a, b, c, rows, inner, cols);
    checkRange(range, rows, "SimdMatmul");
    const [pa, pb, pc] = [this.address(a), this.address(b), this.address(c)];
    this.kernels.matmulTransposedA(pa, pb, pc, rows, inner, cols, range.start, range.end);
  }

  /** Every row of x (cols wide) plus the row b, then tanh of every entry, in place: the kernel's approximation. */
  readonly addRowAndTanh = (x: FloatArray, b: FloatArray, cols: number): void => {
    if (b.length !== cols || x.length % cols !== 0) {
      throw new RangeError(
        `SimdMatmul: rows of ${cols} numbers and a row b of ${cols}, got ${x.length} and ${b.length}.`,
      );
    }
    this.kernels.addRowAndTanh(this.address(x), this.address(b), x.length / cols, cols);
  };

  /** p −= lr · g, number by number, in float32. */
  readonly sgd = (p: FloatArray, g: FloatArray, lr: number): void => {
    if (p.length !== g.length) {
      throw new RangeError(`SimdMatmul: a parameter of ${p.length} numbers and a gradient of ${g.length}.`);
    }
    this.kernels.sgd(this.address(p), this.address(g), p.length, lr);
  };

  /** The rest of a FastMlp step by the kernels, on this thread. */
  stepKernels(): StepKernels {
    return { matmulTransposedA: this.matmulTransposedA, addRowAndTanh: this.addRowAndTanh, sgd: this.sgd };
  }

  /** Where `array` starts in the memory, in bytes: how the kernel names it. */
  private address(array: FloatArray): number {
    if (!(array instanceof Float32Array) || array.buffer !== this.memory.buffer) {
      throw new TypeError(
        "SimdMatmul: the kernel works on Float32Arrays in its own memory: take them from Arena.of(memory).",
      );
    }
    return array.byteOffset;
  }
}
