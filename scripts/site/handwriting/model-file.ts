/**
 * model.json, the network the handwriting page reads with: written by the site's build (model.ts), read by the page
 * (main.ts). Its weights are float32, base64-encoded: 101,770 of them are about half a megabyte.
 */

export interface LayerFile {
  rows: number;
  cols: number;
  /** rows × cols float32 values, row after row, as base64. */
  weight: string;
  /** cols float32 values, as base64. */
  bias: string;
}

export type HandwritingModel =
  | { epochs: number; testAccuracy: number; layers: LayerFile[] }
  /** The code could not train: the lesson whose stub stopped it, and the stub's message. */
  | { unfinished: string; message: string };

export function layerFile(rows: number, cols: number, weight: ArrayLike<number>, bias: ArrayLike<number>): LayerFile {
  return { rows, cols, weight: toBase64(Float32Array.from(weight)), bias: toBase64(Float32Array.from(bias)) };
}

export function modelWeights(layer: LayerFile): { weight: Float32Array; bias: Float32Array } {
  return { weight: fromBase64(layer.weight), bias: fromBase64(layer.bias) };
}

function toBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer);
  let text = "";
  for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return btoa(text);
}

function fromBase64(text: string): Float32Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}
