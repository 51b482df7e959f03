/**
 * The handwriting page in Chromium: three test digits of the course's split, drawn stroke by stroke with the mouse
 * (each row of ink one stroke, as a pen would go), are read as their own digits while the ten probabilities add up to
 * 1; on a 390 px phone a digit drawn with a finger (touch events) is read too, with no sideways scrolling; built from
 * the pristine starter, the page says which lesson to finish first. Screenshots go to reports/screenshots/.
 */
import { mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loadMnist } from "../../scripts/lib/mnist";
import { generateStarter, writeCourseFiles } from "../../scripts/lib/starter";
import { ROOT } from "../../scripts/lib/target";
import { buildSite } from "../../scripts/site/pages";
import { serveStatic } from "../../scripts/site/static-server";
import { splitDigits } from "../../solutions/mnist";
import { type Browser, collectErrors, launchChromium } from "./chromium";

const SCREENSHOTS = path.join(ROOT, "reports", "screenshots");
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const PATIENCE = 60_000;
/** Test digits of the course's split (positions in its 2,000 test digits): a 4, a 3 and a 2. */
const DIGITS = [0, 3, 5];

const sites = {
  solutions: { out: path.join(ROOT, ".course", "site-handwriting"), url: "", server: undefined as Server | undefined },
  starter: {
    out: path.join(ROOT, ".course", "site-handwriting-starter"),
    url: "",
    server: undefined as Server | undefined,
  },
};
const STARTER = path.join(ROOT, ".course", "browser-handwriting-starter");
let browser: Browser;

beforeAll(async () => {
  buildSite({ out: sites.solutions.out, target: path.join(ROOT, "solutions") });
  writeCourseFiles(STARTER, generateStarter());
  buildSite({ out: sites.starter.out, target: STARTER });
  for (const site of Object.values(sites)) ({ server: site.server, url: site.url } = await serveStatic(site.out));
  browser = await launchChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) await new Promise((resolve) => site.server?.close(resolve) ?? resolve(0));
  rmSync(STARTER, { recursive: true, force: true });
});

async function open(site: keyof typeof sites, viewport: typeof LAPTOP): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const errors = collectErrors(page);
  await page.goto(new URL("handwriting/index.html", sites[site].url).href, { waitUntil: "load" });
  return { page, errors };
}

/** A test digit as strokes: each run of dark pixels along a row, from its first pixel's centre to its last one's. */
function strokesOf(position: number): { label: number; strokes: [number, number][][] } {
  const { test: digits } = splitDigits(loadMnist());
  const pixels = digits.pixels.subarray(position * 784, (position + 1) * 784);
  const strokes: [number, number][][] = [];
  for (let r = 0; r < 28; r++) {
    let start = -1;
    for (let c = 0; c <= 28; c++) {
      const dark = c < 28 && pixels[r * 28 + c] >= 128;
      if (dark && start < 0) start = c;
      if (!dark && start >= 0) {
        strokes.push([
          [start + 0.5, r + 0.5],
          [c - 0.5, r + 0.5],
        ]);
        start = -1;
      }
    }
  }
  return { label: digits.labels[position], strokes };
}

/** Where a point of the 28 × 28 grid lies on the page's pad. */
async function padPoint(page: Page): Promise<(p: [number, number]) => { x: number; y: number }> {
  const box = await page.locator("#hw-canvas").boundingBox();
  if (!box) throw new Error("the drawing pad is not on the page");
  return ([x, y]) => ({ x: box.x + (x / 28) * box.width, y: box.y + (y / 28) * box.height });
}

async function drawWithMouse(page: Page, strokes: [number, number][][]): Promise<void> {
  const at = await padPoint(page);
  for (const stroke of strokes) {
    const [first, ...rest] = stroke.map(at);
    await page.mouse.move(first.x, first.y);
    await page.mouse.down();
    for (const p of rest) await page.mouse.move(p.x, p.y, { steps: 4 });
    await page.mouse.up();
  }
}

async function drawWithFinger(page: Page, strokes: [number, number][][]): Promise<void> {
  const at = await padPoint(page);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Emulation.setTouchEmulationEnabled", { enabled: true, maxTouchPoints: 1 });
  const touch = (type: "touchStart" | "touchMove" | "touchEnd", p?: { x: number; y: number }) =>
    cdp.send("Input.dispatchTouchEvent", { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
  for (const stroke of strokes) {
    const [first, ...rest] = stroke.map(at);
    await touch("touchStart", first);
    for (const p of rest) {
      await touch("touchMove", { x: (first.x + p.x) / 2, y: (first.y + p.y) / 2 });
      await touch("touchMove", p);
    }
    await touch("touchEnd");
  }
}

/** The digit the page shows as its answer, once it has one, and the sum of its ten probabilities. */
async function answer(page: Page): Promise<{ digit: number; total: number }> {
  await page.waitForFunction(() => document.getElementById("hw-prediction")?.dataset.digit, null, {
    timeout: PATIENCE,
  });
  const digit = Number(await page.getAttribute("#hw-prediction", "data-digit"));
  const percents = await page.$$eval("#hw-probabilities .hw-fill", (fills) =>
    fills.map((fill) => Number.parseFloat((fill as HTMLElement).style.width)),
  );
  return { digit, total: percents.reduce((a, b) => a + b, 0) };
}

const ready = (page: Page) =>
  page.waitForFunction(() => document.getElementById("hw-canvas")?.dataset.ready === "true", null, {
    timeout: PATIENCE,
  });

describe("the handwriting page", () => {
  test("reads three test digits drawn stroke by stroke with the mouse as their own digits", {
    timeout: 4 * PATIENCE,
  }, async () => {
    const { page, errors } = await open("solutions", LAPTOP);
    await ready(page);
    expect(await page.textContent("#hw-status"), "the status says how well the network reads").toMatch(
      /test digits right/,
    );
    for (const position of DIGITS) {
      const { label, strokes } = strokesOf(position);
      await drawWithMouse(page, strokes);
      const got = await answer(page);
      if (position === DIGITS[0])
        await page.screenshot({ path: path.join(SCREENSHOTS, "handwriting-laptop.png"), fullPage: true });
      expect(got.digit, `test digit ${position}, a ${label}, drawn in ${strokes.length} strokes`).toBe(label);
      expect(got.total, "the ten probabilities add up to 100 %").toBeCloseTo(100, 0);
      await page.click("#hw-clear");
      await page.waitForFunction(() => document.getElementById("hw-prediction")?.textContent === "–");
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test("works on a 390 px phone with a finger, without sideways scrolling", { timeout: 2 * PATIENCE }, async () => {
    const { page, errors } = await open("solutions", PHONE);
    await ready(page);
    const { label, strokes } = strokesOf(DIGITS[1]);
    await drawWithFinger(page, strokes);
    expect((await answer(page)).digit, `a ${label} drawn with a finger`).toBe(label);
    const wide = await page.evaluate(() => (document.scrollingElement?.scrollWidth ?? 0) > window.innerWidth);
    expect(wide, "nothing is wider than the phone").toBe(false);
    await page.screenshot({ path: path.join(SCREENSHOTS, "handwriting-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  test("built from the starter, says which lesson to finish first", { timeout: PATIENCE }, async () => {
    const { page } = await open("starter", LAPTOP);
    await page.waitForSelector("#hw-notice:not([hidden])", { timeout: PATIENCE });
    expect(await page.textContent("#hw-notice")).toMatch(/Finish lesson \d\d first/);
    await page.close();
  });
});
