/**
 * Provided: you do not need to edit this file.
 *
 * An arena: one block of memory from which a computation takes all its arrays, each a typed-array view on its own
 * part of the block. Lesson 18 needs it twice over: worker threads can only work on the same numbers as the main
 * thread if those numbers live in a SharedArrayBuffer (memory both threads see, step 3), and a WebAssembly kernel
 * only sees its own memory (step 4). With every array in one arena, an array is known everywhere by where it
 * starts in the block (its byte offset), and no number is ever copied between threads.
 *
 *     const arena = Arena.shared(1 << 20);      // 1 MB that worker threads can share
 *     const w = arena.floats("float32", 784 * 128);
 *
 * Lesson 18.
 */
import type { FloatArray } from "./matmul-loops";

/** The two kinds of numbers of lesson 18. */
export type FloatKind = "float64" | "float32";

/** Every array starts at a multiple of 16 bytes: a WebAssembly v128 load then never straddles two of them. */
const ALIGN = 16;

export class Arena {
  /** The bytes taken so far. */
  private used = 0;

  /** The block itself: shared between threads, or a WebAssembly memory's, or plain. */
  private constructor(readonly buffer: ArrayBufferLike) {}

  /** `bytes` bytes of plain memory, for one thread. */
  static plain(bytes: number): Arena {
    return new Arena(new ArrayBuffer(bytes));
  }

  /** `bytes` bytes of memory that worker threads can share. */
  static shared(bytes: number): Arena {
    return new Arena(new SharedArrayBuffer(bytes));
  }

  /** The memory of a WebAssembly module (it must not grow while the arena is used: growing replaces its buffer). */
  static of(memory: WebAssembly.Memory): Arena {
    return new Arena(memory.buffer);
  }

  /** `count` numbers of `kind`, all 0, in a part of the block no other array of this arena uses. */
  floats(kind: FloatKind, count: number): FloatArray {
    const bytesPerNumber = kind === "float64" ? 8 : 4;
    const offset = this.used;
    const bytes = count * bytesPerNumber;
    if (!Number.isInteger(count) || count < 0 || offset + bytes > this.buffer.byteLength) {
      throw new RangeError(
        `Arena: no room for ${count} numbers of ${kind} (${bytes} bytes): ${this.buffer.byteLength - offset} of ${this.buffer.byteLength} bytes are left.`,
      );
    }
    this.used += Math.ceil(bytes / ALIGN) * ALIGN;
    const array =
      kind === "float64" ? new Float64Array(this.buffer, offset, count) : new Float32Array(this.buffer, offset, count);
    // A WebAssembly memory or a reused block may hold numbers already.
    array.fill(0);
    return array;
  }

  /** Whether `array` is a view on this arena's memory (a thread or a kernel can only work on those). */
  holds(array: FloatArray): boolean {
    return array.buffer === this.buffer;
  }
}
