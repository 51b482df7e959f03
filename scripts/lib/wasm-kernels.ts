/**
 * Lesson 18's WebAssembly kernels, assembled from their source: `lessons/lesson-18-speed/kernels.wat`, in the
 * WebAssembly text format, turned into a binary by the pinned `wabt` package (a devDependency) each time a tool
 * needs it: the lesson's tests, the bench, the lesson's measurements. The repository keeps no binary, so what runs
 * is always what the text says.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./target";

export const KERNELS_WAT = path.join(ROOT, "lessons", "lesson-18-speed", "kernels.wat");

/** The features the kernels use beyond WebAssembly 1.0: 128-bit SIMD, and a memory shared between threads. */
const FEATURES = { simd: true, threads: true };

/**
 * The binary of `file` (the kernels by default). A syntax error throws wabt's message with its line and column;
 * the binary is validated when an engine compiles it (`compileKernels`).
 */
export async function assembleWat(file = KERNELS_WAT): Promise<Uint8Array<ArrayBuffer>> {
  // Loaded when needed: a test file that imports this module but runs no kernel does not pay for wabt.
  const { default: wabt } = await import("wabt");
  const assembler = await wabt();
  const module = assembler.parseWat(path.basename(file), readFileSync(file, "utf8"), FEATURES);
  try {
    // wabt types its bytes as possibly shared, which WebAssembly.compile does not take: copy them into a plain buffer.
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** The kernels compiled by this process's WebAssembly engine, ready to instantiate here or in a worker thread. */
export async function compileKernels(file = KERNELS_WAT): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await assembleWat(file));
}
