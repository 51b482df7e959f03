/**
 * The course website as a reader sees it: built, served on 127.0.0.1 and opened in headless Chromium.
 * Every page loads with no console error and no failed request, its formulas are typeset by KaTeX with
 * KaTeX's fonts, its figures display, and the next links walk through every lesson. Screenshots of the home
 * page and one lesson (phone and laptop, light and dark) go to reports/screenshots/ for a person to look at.
 */
import { mkdirSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { listLessons } from "../../scripts/lib/lessons";
import { ROOT } from "../../scripts/lib/target";
import { type BuiltPage, buildSite } from "../../scripts/site/pages";
import { serveStatic } from "../../scripts/site/static-server";
import { type Browser, collectErrors, launchChromium } from "./chromium";

const OUT = path.join(ROOT, ".course", "site-browser");
const SCREENSHOTS = path.join(ROOT, "reports", "screenshots");
const VIEWPORTS = { phone: { width: 390, height: 844 }, laptop: { width: 1280, height: 800 } };

const built = buildSite({ out: OUT });
let server: Server;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url: baseUrl } = await serveStatic(OUT));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
});

/** Opens `file` of the site and collects everything that went wrong while it loaded. */
async function open(file: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors = collectErrors(page);
  await page.goto(new URL(file, baseUrl).href, { waitUntil: "load" });
  await page.evaluate("document.fonts.ready.then(() => true)");
  // Figures are loading="lazy": one far below the first screen loads only when the reader scrolls near it, and
  // neither the checks nor a full-page screenshot scroll. Load them all now (decode() waits for the load; a
  // broken image keeps naturalWidth 0 and fails the check).
  await page.evaluate(
    "Promise.all([...document.querySelectorAll('main img')].map((img) => { img.loading = 'eager'; return img.decode().catch(() => {}); }))",
  );
  return { page, errors };
}

test("the site builds with no broken link, missing image or unreadable formula", () => {
  expect(built.problems).toEqual([]);
  expect(built.pages.map((p) => p.file)).toEqual([
    "index.html",
    ...listLessons().map((lesson) => `${lesson.folder}/index.html`),
    "playground/index.html",
    "stepper/index.html",
    "handwriting/index.html",
  ]);
});

describe("every page loads with no console error and no failed request, its formulas typeset, its figures shown", () => {
  test.each(built.pages.map((p) => [p.file, p] as [string, BuiltPage]))("%s", async (file, built) => {
    const { page, errors } = await open(file);
    try {
      expect(errors, `${file} had errors while loading`).toEqual([]);
      const katex = await page.locator(".katex").count();
      expect(katex, "every formula of the page is rendered by KaTeX").toBe(built.formulas);
      if (built.formulas > 0) {
        // Typeset, not just marked up: KaTeX's stylesheet and fonts are in use.
        const font = await page.evaluate("getComputedStyle(document.querySelector('.katex')).fontFamily");
        expect(font).toContain("KaTeX_Main");
        const mathml = await page.evaluate("getComputedStyle(document.querySelector('.katex-mathml')).position");
        expect(mathml, "KaTeX's CSS is loaded (it hides the MathML copy)").toBe("absolute");
        expect(await page.evaluate("document.fonts.check('16px KaTeX_Main')"), "KaTeX's fonts are loaded").toBe(true);
      }
      const images = (await page.evaluate(
        "[...document.querySelectorAll('main img')].map((img) => ({ src: img.getAttribute('src'), width: img.naturalWidth }))",
      )) as { src: string; width: number }[];
      expect(images.length, "every figure of the README is on the page").toBe(built.images.length);
      for (const image of images) expect(image.width, `${image.src} displays`).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});

test("the next links lead from the home page through every lesson, in order, and back home", async () => {
  const { page } = await open("index.html");
  const visited: string[] = [];
  try {
    await page.locator(".course-map a").first().click();
    for (let step = 0; step < 50; step++) {
      await page.waitForLoadState("load");
      const url = new URL(page.url());
      if (url.pathname === "/" || url.pathname === "/index.html") break;
      visited.push(url.pathname.split("/")[1]);
      await page.locator('.pager a[rel="next"], .pager a[rel="home"]:last-child').click();
    }
    expect(visited).toEqual(listLessons().map((lesson) => lesson.folder));
    expect(new URL(page.url()).pathname, "the last lesson's next link goes home").toMatch(/^\/(index\.html)?$/);
  } finally {
    await page.close();
  }
});

test("screenshots of the home page and a lesson, on a phone and a laptop, light and dark", async () => {
  // Only this test's own pictures are replaced: the playground's test writes into the same folder.
  for (const name of ["home", "lesson"]) {
    for (const device of Object.keys(VIEWPORTS)) {
      for (const scheme of ["light", "dark"])
        rmSync(path.join(SCREENSHOTS, `${name}-${device}-${scheme}.png`), { force: true });
    }
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The lesson to show: the one with the most figures and formulas.
  const lesson = built.pages
    .slice(1)
    .reduce((best, p) => (p.images.length * 100 + p.formulas > best.images.length * 100 + best.formulas ? p : best));
  const written: string[] = [];
  for (const [name, file] of [
    ["home", "index.html"],
    ["lesson", lesson.file],
  ]) {
    for (const [device, viewport] of Object.entries(VIEWPORTS)) {
      for (const colorScheme of ["light", "dark"] as const) {
        const { page } = await open(file);
        try {
          await page.setViewportSize(viewport);
          await page.emulateMedia({ colorScheme });
          const target = path.join(SCREENSHOTS, `${name}-${device}-${colorScheme}.png`);
          await page.screenshot({ path: target, fullPage: true, timeout: 30_000 });
          written.push(path.relative(ROOT, target));
        } finally {
          await page.close();
        }
      }
    }
  }
  console.log(`screenshots (${lesson.file}):\n  ${written.join("\n  ")}`);
  expect(written).toHaveLength(8);
});
