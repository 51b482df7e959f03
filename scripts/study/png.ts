/**
 * Small PNG images as `data:` URLs, for figures that show pictures (lesson 17's digits and weights): a vega-lite
 * `image` mark shows each one, and the SVG stays a few hundred bytes per picture instead of one rectangle per pixel.
 * Deterministic: the same pixels give the same bytes (zlib at a fixed level, no timestamps).
 */
import { deflateSync } from "node:zlib";

/**
 * A PNG of `side` × `side` pixels, one byte each, row after row: a grey level (0 black, 255 white) or, with a
 * `palette` of [r, g, b] colours, the colour's index. One byte per pixel keeps the pictures small.
 */
function pngDataUrl(
  side: number,
  pixel: (x: number, y: number) => number,
  palette?: [number, number, number][],
): string {
  const rows = Buffer.alloc(side * (1 + side));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) rows[y * (1 + side) + 1 + x] = pixel(x, y); // each row opens with filter 0, none
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, palette ? 3 : 0, 0, 0, 0], 8); // 8 bits, grey or palette, deflate, no filter choice, no interlace
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    ...(palette ? [chunk("PLTE", Buffer.from(palette.flat()))] : []),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  return `data:image/png;base64,${png.toString("base64")}`;
}

/** A grey picture of ink values from 0 (white) to 1 (black), row after row, `side` pixels a side. */
export function inkPng(ink: ArrayLike<number>, side: number): string {
  return pngDataUrl(side, (x, y) => Math.round(255 * (1 - Math.min(1, Math.max(0, ink[y * side + x])))));
}

/** 255 colours from full blue (−1) through white (0) to full red (+1). */
const SIGNED_PALETTE = Array.from({ length: 255 }, (_, i): [number, number, number] => {
  const v = (i - 127) / 127;
  const fade = Math.round(255 * (1 - Math.abs(v)));
  return v >= 0 ? [255, fade, fade] : [fade, fade, 255];
});

/** Signed values as colours, `side` pixels a side: red above 0, blue below, white at 0, full colour at ±`scale`. */
export function signedPng(values: ArrayLike<number>, side: number, scale: number): string {
  return pngDataUrl(
    side,
    (x, y) => 127 + Math.round(127 * Math.max(-1, Math.min(1, values[y * side + x] / scale))),
    SIGNED_PALETTE,
  );
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** The CRC-32 that PNG chunks end with (node:zlib has one only from Node 22). */
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
