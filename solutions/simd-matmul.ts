/**
 * Provided: you do not need to edit this file; read it with lesson 18's step 4.
 *
 * The matrix product with SIMD: lessons/lesson-18-speed/kernels.wat, a kernel written in the WebAssembly text
 * format, assembled into a binary by the `wabt` package and compiled by Node's WebAssembly engine
 * (scripts/lib/wasm-kernels.ts does both). This file instantiates it on a memory and calls it with the byte
 * addresses of Float32Arrays that live in that memory (an `Arena.of(memory)` makes them).
 *
 *     const memory = simdMemory(16 << 20);
 *     const simd = new SimdMatmul(await compileKernels(), memory);
 *     const arena = Arena.of(memory);
 *     simd.matmul(a, b, c, rows, inner, cols);   // a, b and c: arena.floats("float32", ...)
 *
 * Lesson 18.
 */
import { checkMatmul, type FloatArray, type Matmul } from "./matmul-loops";

/** What kernels.wat exports. */
interface KernelExports {
  matmul(a: number, b: number, c: number, inner: number, cols: number, rowStart: number, rowEnd: number): void;
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
