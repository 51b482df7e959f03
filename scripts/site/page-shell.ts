/** What every page of the site shares: the HTML around its content, the header's links, relative links. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { escapeHtml } from "./highlight";

/** The interactive pages, linked from every page's header; `doc` is the note that stands for a page on GitHub. */
export const APP_PAGES = {
  playground: {
    file: "playground/index.html",
    doc: "docs/playground.md",
    title: "Training playground",
    nav: "Playground",
    summary:
      "watch a network learn the moons, a circle, XOR or a spiral with the course's code (or yours), neuron by neuron, and change what it learns with while it trains.",
  },
  stepper: {
    file: "stepper/index.html",
    doc: "docs/stepper.md",
    title: "Backprop stepper",
    nav: "Backprop stepper",
    summary: "see an expression as a graph and run backward() through it one node at a time.",
  },
  handwriting: {
    file: "handwriting/index.html",
    doc: "docs/handwriting.md",
    title: "Read my handwriting",
    nav: "Handwriting",
    summary: "draw a digit and watch lesson 17's network read it, trained and run by the course's code.",
  },
} as const;

export function relativeHref(fromPage: string, to: string): string {
  return path.posix.relative(path.posix.dirname(fromPage), to) || path.posix.basename(to);
}

export interface PageParts {
  courseTitle: string;
  title: string;
  /** The page's path inside the site. */
  file: string;
  body: string;
  /** A class for <main> besides "content" (the interactive pages are wider). */
  mainClass?: string;
  /** Attributes of <body>, already escaped, for the interactive pages' scripts. */
  bodyAttributes?: string;
  /** Module scripts, as paths inside the site. */
  scripts?: string[];
}

export function page(p: PageParts): string {
  const to = (target: string) => relativeHref(p.file, target);
  const title = p.title === p.courseTitle ? p.title : `${p.title} · ${p.courseTitle}`;
  const nav = [
    `<a href="${to("index.html")}#lessons">Lessons</a>`,
    ...Object.values(APP_PAGES).map(
      (app) => `<a href="${to(app.file)}"${app.file === p.file ? ' aria-current="page"' : ""}>${app.nav}</a>`,
    ),
  ].join("");
  const scripts = (p.scripts ?? []).map((script) => `<script type="module" src="${to(script)}"></script>\n`).join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${to("assets/katex/katex.min.css")}">
<link rel="stylesheet" href="${to("assets/site.css")}">
${scripts}</head>
<body${p.bodyAttributes ? ` ${p.bodyAttributes}` : ""}>
<a class="skip-link" href="#content">Skip to the content</a>
<header class="site-header"><a class="site-title" href="${to("index.html")}">${escapeHtml(p.courseTitle)}</a><nav class="site-nav" aria-label="Site">${nav}</nav></header>
<main id="content" tabindex="-1" class="content${p.mainClass ? ` ${p.mainClass}` : ""}">
${p.body}
</main>
</body>
</html>
`;
}

export function writePage(out: string, file: string, html: string): void {
  mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
  writeFileSync(path.join(out, file), html);
}
