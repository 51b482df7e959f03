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

describe("every page loads with no console error and no failed request, its formulas typeset, its figures shown, and reads well at 1280 and 390 px", () => {
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
      // It reads well at 1280 and at 390 px (the same page, resized). Soft: a page's report names every problem.
      for (const viewport of [VIEWPORTS.laptop, VIEWPORTS.phone]) {
        await page.setViewportSize(viewport);
        const reads = await howItReads(page);
        expect.soft(reads.small, "figures whose smallest text is under 10 px").toEqual([]);
        expect.soft(reads.clipped, "clipped without a cue").toEqual([]);
        expect.soft(reads.headings, "headings that skip a level").toEqual([]);
        expect.soft(reads.captions, "captions read twice").toEqual([]);
      }
      // The first Tab reaches a link that skips to the content.
      await page.keyboard.press("Tab");
      const first = await page.evaluate(() => ({
        text: document.activeElement?.textContent,
        href: document.activeElement?.getAttribute("href"),
      }));
      expect(first.text, "the first Tab reaches a skip link").toMatch(/^Skip/);
      expect(first.href).toBe("#content");
      await page.keyboard.press("Enter");
      expect(
        await page.evaluate(() => document.querySelector("main")?.contains(document.activeElement)),
        "the skip link moves the focus to the content",
      ).toBe(true);
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

const lessonPages = built.pages.filter((p) => /^lesson-\d\d-/.test(p.file));

/** The relative luminance of a CSS rgb() colour, and the contrast ratio of two (WCAG 2). */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
    const x = Number(c) / 255;
    return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/**
 * How a page reads at the width it is shown at: every figure drawn large enough to read its smallest text (10 px
 * or more); anything too wide for the window scrolling sideways with a visible cue; headings going down one level
 * at a time; figure captions read once (not the alt text again). One sentence per problem, by kind.
 */
async function howItReads(page: Page): Promise<Record<"small" | "clipped" | "headings" | "captions", string[]>> {
  const width = page.viewportSize()?.width;
  const found = (await page.evaluate(async () => {
    const figures = await Promise.all(
      [...document.querySelectorAll("main img")].map(async (img) => {
        const text = await (await fetch((img as HTMLImageElement).src)).text();
        const viewBox = /viewBox="\s*[\d.-]+\s+[\d.-]+\s+([\d.]+)/.exec(text);
        const fonts = [...text.matchAll(/font-size="([\d.]+)/g)].map((m) => Number(m[1]));
        const scale = viewBox ? (img as HTMLImageElement).getBoundingClientRect().width / Number(viewBox[1]) : 1;
        return { src: img.getAttribute("src"), px: Math.min(...fonts) * scale };
      }),
    );
    const clipped = [...document.querySelectorAll("main *")]
      .filter((element) => {
        const style = getComputedStyle(element);
        // (KaTeX's MathML copy is clipped to 1 px on purpose: it is for screen readers.)
        return (
          ["auto", "scroll", "hidden"].includes(style.overflowX) &&
          element.clientWidth > 1 &&
          element.scrollWidth > element.clientWidth + 1
        );
      })
      .filter((element) => {
        // The cue: shadows at the edges that scroll away with the content (background-attachment: local).
        const style = getComputedStyle(element);
        return !(/gradient/.test(style.backgroundImage) && /local/.test(style.backgroundAttachment));
      })
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`);
    const headings = [...document.querySelectorAll("main :is(h1, h2, h3, h4, h5, h6)")].map((h) =>
      Number(h.tagName.slice(1)),
    );
    const twice = [...document.querySelectorAll("main figure")]
      .filter((figure) => {
        const alt = figure.querySelector("img")?.getAttribute("alt");
        const caption = figure.querySelector("figcaption");
        return alt && caption && caption.textContent === alt && caption.getAttribute("aria-hidden") !== "true";
      })
      .map((figure) => figure.querySelector("img")?.getAttribute("src") ?? "");
    return { figures, clipped, headings, twice };
  })) as { figures: { src: string; px: number }[]; clipped: string[]; headings: number[]; twice: string[] };
  return {
    small: found.figures.filter((f) => f.px < 10).map((f) => `${f.src} text at ${f.px.toFixed(1)} px at ${width} px`),
    clipped: found.clipped.map((what) => `${what} at ${width} px`),
    headings: found.headings.flatMap((level, i) =>
      i > 0 && level > found.headings[i - 1] + 1 ? [`h${found.headings[i - 1]} then h${level}`] : [],
    ),
    captions: found.twice.map((src) => `${src}'s caption repeats its alt text`),
  };
}

test("code comments and the two classes' colours have enough contrast, light and dark", async () => {
  const problems: string[] = [];
  const lesson = lessonPages.find((p) => p.file.startsWith("lesson-01"))?.file ?? lessonPages[0].file;
  for (const colorScheme of ["light", "dark"] as const) {
    const { page } = await open(lesson);
    await page.emulateMedia({ colorScheme });
    const pairs = (await page.evaluate(() => {
      const pre = document.querySelector("main pre");
      const background = pre ? getComputedStyle(pre).backgroundColor : "rgb(255, 255, 255)";
      return [...new Set([...document.querySelectorAll("main pre [class^='tok-']")].map((t) => t.className))].map(
        (kind) => ({
          kind,
          colour: getComputedStyle(document.querySelector(`main pre .${kind}`) as Element).color,
          background,
        }),
      );
    })) as { kind: string; colour: string; background: string }[];
    for (const p of pairs) {
      const ratio = contrast(p.colour, p.background);
      if (ratio < 4.5) problems.push(`${colorScheme}: ${p.kind} at ${ratio.toFixed(2)}:1`);
    }
    await page.close();
  }
  // The two classes' point colours, in lesson 10's boundary figure and in the playground.
  const { page } = await open("playground/index.html");
  const colours = (await page.evaluate(async () => {
    const text = await (await fetch("../lesson-10-experiments/results/boundaries.svg")).text();
    const svg = new DOMParser().parseFromString(text, "image/svg+xml");
    const legend = [...svg.querySelectorAll(".role-legend")].find((g) =>
      g.querySelector(".role-legend-title")?.textContent?.includes("true class"),
    );
    const figure = [...(legend?.querySelectorAll(".role-legend-symbol path") ?? [])].map(
      (p) => p.getAttribute("fill") ?? "",
    );
    const swatches = [...document.querySelectorAll(".swatch")].map((s) => getComputedStyle(s).backgroundColor);
    return { figure, swatches };
  })) as { figure: string[]; swatches: string[] };
  await page.close();
  const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(",")})`;
  const figureRatio = contrast(rgb(colours.figure[0]), rgb(colours.figure[1]));
  if (figureRatio < 3) problems.push(`lesson 10's two class colours at ${figureRatio.toFixed(2)}:1`);
  const swatchRatio = contrast(colours.swatches[0], colours.swatches[1]);
  if (swatchRatio < 3) problems.push(`the playground's two class colours at ${swatchRatio.toFixed(2)}:1`);
  expect(problems).toEqual([]);
}, 120_000);

test("lesson 10's figure titles keep their numbers: Model 4's learning rate is 0.000001", async () => {
  const { page } = await open("lesson-10-experiments/index.html");
  const title = await page.evaluate(async () => {
    const text = await (await fetch("results/model4.svg")).text();
    const svg = new DOMParser().parseFromString(text, "image/svg+xml");
    return [...svg.querySelectorAll("text")].map((t) => t.textContent).find((t) => t?.startsWith("Model 4"));
  });
  expect(title).toBe("Model 4: 2 hidden layers, lr 0.000001");
  await page.close();
});

test("the home page sums up each lesson in whole sentences of its own", async () => {
  const { page } = await open("index.html");
  const summaries = await page.$$eval(".course-map li", (items) =>
    items.map((item) => ({
      lesson: item.querySelector(".lesson-number")?.textContent,
      text: item.querySelector("p")?.textContent ?? "",
    })),
  );
  expect(summaries).toHaveLength(listLessons().length);
  for (const { lesson, text } of summaries) {
    expect(text, `lesson ${lesson}: a summary`).not.toBe("");
    expect(text, `lesson ${lesson} ends its summary with a full stop`).toMatch(/[.!?]$/);
    expect(text, `lesson ${lesson}'s summary is about itself`).not.toMatch(/^Lesson \d\d/);
    expect(text, `lesson ${lesson}'s summary points at nothing on the lesson's page`).not.toMatch(
      /\b(below|above|code block)\b/,
    );
  }
  await page.close();
});
