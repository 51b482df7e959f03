/**
 * The course website: a static site built from the lesson READMEs with markdown-it.
 *
 *   index.html                   the home page: the repository README's introduction and the course map (the core
 *                                lessons, then each bonus part of course.json under its own heading)
 *   <lesson-folder>/index.html   one page per lesson, formulas typeset by KaTeX, code highlighted,
 *                                the lesson's figures next to it, previous/next links
 *   playground/, stepper/        the interactive pages, running the course's code in the browser (apps.ts)
 *   assets/                      the stylesheet, KaTeX's CSS and fonts (served locally: no network), the
 *                                interactive pages' scripts and the course code they run
 *
 * Links between READMEs become links between pages; links to other files of the repository become plain
 * text (the site does not carry the code). A link or image that points nowhere stops the build.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { katex } from "@mdit/plugin-katex";
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { hintsPath, lessonHints } from "../lib/hints";
import { type Lesson, listLessons, shortTitle } from "../lib/lessons";
import { ROOT } from "../lib/target";
import { buildApps } from "./apps";
import { escapeHtml, highlightTypeScript } from "./highlight";
import { APP_PAGES, page, relativeHref, writePage } from "./page-shell";

const DEFAULT_TITLE = "Backprop from Scratch";

export interface SiteOptions {
  /** The course repository (its root). */
  root?: string;
  /** Where the site is written; emptied first. */
  out?: string;
  /** The course code the interactive pages run: `<root>/solutions` unless told (`--target src`). */
  target?: string;
}

export interface BuiltPage {
  /** Path inside the site, like "lesson-02-tanh/index.html". */
  file: string;
  title: string;
  /** How many formulas KaTeX typeset on the page. */
  formulas: number;
  /** The images the page shows, as paths inside the site. */
  images: string[];
}

export interface SiteResult {
  out: string;
  pages: BuiltPage[];
  /** Broken links, missing images, formulas KaTeX could not read: the build fails on any. */
  problems: string[];
}

/** Per-page state that the markdown-it rules read and fill in while rendering. */
interface RenderEnv {
  /** The README being rendered, relative to the root. */
  source: string;
  /** The page being written, relative to the site. */
  page: string;
  root: string;
  problems: string[];
  /** Files to copy into the site: site path -> absolute source path. */
  copies: Map<string, string>;
  images: string[];
  /** Heading ids used so far on the page, and the `#anchors` its links point at. */
  ids: Set<string>;
  anchors: string[];
  /** For each open link: whether it was turned into plain text. */
  linkStack: boolean[];
}

/** Where a file of the repository lives in the site, or undefined if the site does not carry it. */
export function sitePathOf(repoPath: string): string | undefined {
  if (repoPath === "README.md") return "index.html";
  // Each interactive page has a note in docs/ that tells a reader on GitHub how to open it; on the site, the
  // link leads to the page itself.
  const app = Object.values(APP_PAGES).find((a) => a.doc === repoPath);
  if (app) return app.file;
  const lesson = /^lessons\/(lesson-\d\d-[^/]+)\/(.+)$/.exec(repoPath);
  if (!lesson) return undefined;
  if (lesson[2] === "README.md") return `${lesson[1]}/index.html`;
  // The hints are on the lesson's page, folded, under its "Hints" heading.
  if (lesson[2] === "hints.md") return `${lesson[1]}/index.html#hints`;
  return `${lesson[1]}/${lesson[2]}`;
}

export function buildSite(options: SiteOptions = {}): SiteResult {
  const root = options.root ?? ROOT;
  const out = options.out ?? path.join(root, "site");
  const lessons = listLessons(root);
  const md = createMarkdown();
  const problems: string[] = [];
  const pages: BuiltPage[] = [];
  const copies = new Map<string, string>();
  const readmePath = path.join(root, "README.md");
  const readme = existsSync(readmePath) ? readFileSync(readmePath, "utf8") : "";
  const courseTitle = /^#\s+(.+)$/m.exec(readme)?.[1].trim() ?? DEFAULT_TITLE;

  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });

  // `headings`: ids the page has outside this markdown (the hints section), which its links may point at.
  const render = (markdown: string, source: string, page: string, headings: string[] = []) => {
    const env: RenderEnv = {
      source,
      page,
      root,
      problems,
      copies,
      images: [],
      ids: new Set(headings),
      anchors: [],
      linkStack: [],
    };
    const html = md.render(markdown, env);
    for (const anchor of env.anchors) {
      if (!env.ids.has(anchor)) problems.push(`${source}: the link to #${anchor} points at no heading of the page.`);
    }
    // Text like "$x^2$" left in the page is a formula markdown-it could not see (inside raw HTML, or a "$" glued
    // to a word): the reader would get TeX source instead of math.
    const text = html.replace(/<(pre|code|annotation)[\s\S]*?<\/\1>/g, "").replace(/<[^>]+>/g, "");
    for (const raw of text.match(/\$\$?[^$\n]*[\\^_{}=][^$\n]*\$\$?/g) ?? []) {
      problems.push(
        `${source}: the formula ${raw} is not typeset: put math outside raw HTML, with blank lines around blocks.`,
      );
    }
    for (const error of html.match(/class="katex-error"[^>]*title="[^"]*"/g) ?? []) {
      problems.push(`${source}: KaTeX could not typeset a formula: ${/title="([^"]*)"/.exec(error)?.[1]}`);
    }
    return { html, images: env.images };
  };

  // The home page: the README's introduction (up to its first "##" section), then the course map.
  const intro = readme ? readme.replace(/^#\s+.+\n/m, "").split(/^## /m)[0] : packageDescription(root);
  const home = render(intro, "README.md", "index.html");
  const map = (part: Lesson[]) => part.map((lesson) => courseMapEntry(lesson, md, root)).join("\n");
  const parts = [...new Set(lessons.map((l) => l.part))];
  const partMaps = parts.map((part) => {
    const own = lessons.filter((l) => l.part === part);
    const list = `<ol class="course-map">\n${map(own)}\n</ol>`;
    if (part === undefined) return `<h2 id="lessons">The lessons</h2>\n${list}`;
    const range = `lessons ${own[0].number} to ${own[own.length - 1].number}`;
    return `<h2 id="${slugify(part)}">${escapeHtml(part)}</h2>\n<p class="part-note">Bonus ${range}: they build on the lessons above and count as bonus points.</p>\n${list}`;
  });
  const tryIt = Object.values(APP_PAGES)
    .map((app) => `<li><a href="${app.file}">${app.title}</a>: ${app.summary}</li>`)
    .join("\n");
  const homeBody = [
    `<h1>${escapeHtml(courseTitle)}</h1>`,
    home.html,
    ...partMaps,
    `<h2 id="try-it-in-your-browser">Try it in your browser</h2>\n<ul class="app-list">\n${tryIt}\n</ul>`,
  ].join("\n");
  writePage(out, "index.html", page({ courseTitle, title: courseTitle, file: "index.html", body: homeBody }));
  pages.push({ file: "index.html", title: courseTitle, formulas: countFormulas(homeBody), images: home.images });

  lessons.forEach((lesson, i) => {
    const file = `${lesson.folder}/index.html`;
    const markdown = readFileSync(path.join(root, lesson.readme), "utf8");
    const hints = foldedHints(lesson, root, (text) => render(text, hintsPath(lesson), file).html);
    const rendered = render(markdown, lesson.readme, file, hints ? ["hints"] : []);
    const title = lesson.title || lesson.folder;
    const nav = pager(file, lessons[i - 1], lessons[i + 1]);
    const part = lesson.part === undefined ? "" : ` · ${escapeHtml(lesson.part)} (bonus)`;
    const crumb = `<p class="crumb">Lesson ${lesson.number} of ${lessons.length}${part}</p>`;
    const body = `${crumb}\n${rendered.html}\n${hints}${nav}`;
    writePage(out, file, page({ courseTitle, title, file, body }));
    pages.push({ file, title, formulas: countFormulas(body), images: rendered.images });
  });

  for (const [sitePath, source] of copies) {
    mkdirSync(path.dirname(path.join(out, sitePath)), { recursive: true });
    cpSync(source, path.join(out, sitePath));
  }
  const target = options.target ?? path.join(root, "solutions");
  for (const app of buildApps({ root, out, target, lessons, courseTitle })) {
    pages.push({ ...app, formulas: 0, images: [] });
  }
  copyAssets(out);
  return { out, pages, problems };
}

/**
 * A lesson's hints.md as the end of its page: a "Hints" heading, then each part with its hints folded, one
 * `<details>` each, so that a reader opens them one at a time, as `npm run hint` shows them.
 */
function foldedHints(lesson: Lesson, root: string, render: (markdown: string) => string): string {
  const parts = lessonHints(lesson, root);
  if (parts.length === 0) return "";
  const number = String(lesson.number).padStart(2, "0");
  const folded = parts.map((part) => {
    const hints = part.hints.map(
      (hint) =>
        `<details class="hint"><summary>Hint ${hint.number}: ${escapeHtml(hint.title)}</summary>\n${render(hint.body)}</details>`,
    );
    return `<h3>${escapeHtml(part.title)}</h3>\n${hints.join("\n")}`;
  });
  const note =
    "<p>Each hint is folded: open one at a time, the first ones nudge and the last one of each part shows the code. " +
    `In a terminal, <code>npm run hint -- ${number}</code> shows the next one for the first test that fails.</p>`;
  return `<section class="hints">\n<h2 id="hints">Hints</h2>\n${note}\n${folded.join("\n")}\n</section>\n`;
}

function createMarkdown(): MarkdownIt {
  const md = new MarkdownIt({
    html: true, // the hints are <details> blocks
    highlight: (code, language) =>
      ["ts", "typescript", "js", "javascript"].includes(language) ? highlightTypeScript(code) : escapeHtml(code),
  });
  md.use(katex, { throwOnError: false });

  // Headings get GitHub-style ids, so links to "#hints" work on the site as on GitHub.
  md.core.ruler.push("heading_ids", (state) => {
    const ids = (state.env as Partial<RenderEnv>).ids ?? new Set<string>();
    state.tokens.forEach((token, i) => {
      if (token.type !== "heading_open") return;
      const base = slugify(state.tokens[i + 1]?.content ?? "");
      let id = base;
      for (let n = 1; ids.has(id); n++) id = `${base}-${n}`;
      ids.add(id);
      token.attrSet("id", id);
    });
  });

  const defaultFence = md.renderer.rules.fence ?? (() => "");
  md.renderer.rules.fence = (tokens, i, options, env, self) => {
    const token = tokens[i];
    const info = token.info.trim();
    const html = defaultFence(tokens, i, options, env, self);
    const skip = /^ts\s+skip-check:\s*(.+)$/.exec(info);
    if (skip)
      return `<figure class="code not-run">${html}<figcaption>Not run: ${escapeHtml(skip[1])}</figcaption></figure>\n`;
    if (info === "output") return `<figure class="code output"><figcaption>Output</figcaption>${html}</figure>\n`;
    return html;
  };

  md.renderer.rules.link_open = (tokens, i, options, env: RenderEnv, self) => {
    const token = tokens[i];
    const href = token.attrGet("href") ?? "";
    const target = resolveLink(href, env);
    env.linkStack.push(target === undefined);
    if (target === undefined) {
      return `<span class="repo-path" title="${escapeHtml(`In the course repository: ${href}`)}">`;
    }
    token.attrSet("href", target);
    return self.renderToken(tokens, i, options);
  };
  md.renderer.rules.link_close = (tokens, i, options, env: RenderEnv, self) =>
    env.linkStack.pop() ? "</span>" : self.renderToken(tokens, i, options);

  // A paragraph holding only an image is a figure: it gets the full width and its alt text as a caption, which
  // screen readers skip (they read the alt text already).
  const isFigure = (tokens: Token[], inline: number) =>
    tokens[inline]?.children?.length === 1 && tokens[inline].children?.[0].type === "image";
  md.renderer.rules.paragraph_open = (tokens, i, options, _env, self) =>
    isFigure(tokens, i + 1) ? '<figure class="figure">' : self.renderToken(tokens, i, options);
  md.renderer.rules.paragraph_close = (tokens, i, options, _env, self) => {
    if (!isFigure(tokens, i - 1)) return self.renderToken(tokens, i, options);
    const alt = tokens[i - 1].children?.[0].content ?? "";
    return alt ? `<figcaption aria-hidden="true">${escapeHtml(alt)}</figcaption></figure>\n` : "</figure>\n";
  };

  const defaultImage = md.renderer.rules.image ?? (() => "");
  md.renderer.rules.image = (tokens, i, options, env: RenderEnv, self) => {
    const token = tokens[i];
    const src = token.attrGet("src") ?? "";
    if (!isExternal(src)) {
      const repoPath = resolveRepoPath(src, env);
      const sitePath = repoPath && sitePathOf(repoPath);
      if (!repoPath || !existsSync(path.join(env.root, repoPath))) {
        env.problems.push(`${env.source}: the image ${src} does not exist.`);
      } else if (!sitePath) {
        env.problems.push(
          `${env.source}: the image ${src} is outside the lessons' folders, so the site cannot show it.`,
        );
      } else {
        env.copies.set(sitePath, path.join(env.root, repoPath));
        env.images.push(sitePath);
        token.attrSet("src", relativeHref(env.page, sitePath));
        setSvgSize(token, path.join(env.root, repoPath));
      }
    }
    token.attrSet("loading", "lazy");
    return defaultImage(tokens, i, options, env, self);
  };
  return md;
}

/**
 * Graphviz sizes its SVGs in points; shown at one CSS pixel per point, a graph's 12 pt labels read as 12 px
 * text, small but clear. Explicit sizes also keep the page from jumping while figures load.
 */
function setSvgSize(token: Token, file: string): void {
  if (!file.endsWith(".svg")) return;
  const size = /<svg[^>]*\swidth="([\d.]+)pt"[^>]*\sheight="([\d.]+)pt"/.exec(readFileSync(file, "utf8"));
  if (!size) return;
  token.attrSet("width", String(Math.round(Number(size[1]))));
  token.attrSet("height", String(Math.round(Number(size[2]))));
}

/** The href a link gets on the site, or undefined if it should become plain text. */
function resolveLink(href: string, env: RenderEnv): string | undefined {
  if (isExternal(href)) return href;
  if (href.startsWith("#")) {
    env.anchors.push(decodeURIComponent(href.slice(1)));
    return href;
  }
  const [file, hash] = href.split("#");
  const repoPath = resolveRepoPath(file, env);
  if (!repoPath || !existsSync(path.join(env.root, repoPath))) {
    env.problems.push(`${env.source}: the link ${href} points at a file that does not exist.`);
    return href;
  }
  const sitePath = sitePathOf(repoPath);
  if (!sitePath || statSync(path.join(env.root, repoPath)).isDirectory()) return undefined;
  if (!sitePath.endsWith(".html")) env.copies.set(sitePath, path.join(env.root, repoPath));
  return relativeHref(env.page, sitePath) + (hash ? `#${hash}` : "");
}

/** A link's target as a path relative to the repository root, or undefined if it leaves the repository. */
function resolveRepoPath(href: string, env: RenderEnv): string | undefined {
  const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(env.source), decodeURI(href)));
  return resolved.startsWith("../") || resolved === ".." ? undefined : resolved;
}

function isExternal(href: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("//");
}

/** The course's one-line description from package.json, for a home page without a README. */
function packageDescription(root: string): string {
  try {
    return (
      (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { description?: string }).description ?? ""
    );
  } catch {
    return "";
  }
}

function countFormulas(html: string): number {
  return html.match(/class="katex"/g)?.length ?? 0;
}

/** GitHub's heading ids: lower case, punctuation dropped, spaces as dashes. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, "")
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .trim()
    .replace(/\s/g, "-");
}

function courseMapEntry(lesson: Lesson, md: MarkdownIt, root: string): string {
  const summary = lesson.summary ?? readmeOpening(lesson, md, root);
  return [
    `<li><a href="${lesson.folder}/index.html">`,
    `<span class="lesson-number">${String(lesson.number).padStart(2, "0")}</span>`,
    `<span class="lesson-title">${escapeHtml(shortTitle(lesson))}</span></a>`,
    // Links are dropped (they are relative to the README, not to the home page); math is kept.
    summary ? `<p>${md.renderInline(summary.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"))}</p>` : "",
    "</li>",
  ].join("");
}

/**
 * Without a summary in course.json, the map shows the first sentence or two of the lesson's first paragraph (an
 * opening that leans on the lesson before it reads badly there: course:check asks the course for summaries).
 */
function readmeOpening(lesson: Lesson, md: MarkdownIt, root: string): string {
  const tokens = md.parse(readFileSync(path.join(root, lesson.readme), "utf8"), {});
  const first = tokens.findIndex((t: Token) => t.type === "paragraph_open");
  return first >= 0 ? firstSentences(tokens[first + 1]?.content ?? "") : "";
}

/** Whole sentences of `text`, as many as fit in about 200 characters (at least one). */
function firstSentences(text: string): string {
  const sentences = text
    .replace(/\s+/g, " ")
    .trim()
    .split(/(?<=[.!?])\s+/);
  let summary = sentences[0] ?? "";
  for (const sentence of sentences.slice(1)) {
    if (summary.length + sentence.length > 200) break;
    summary += ` ${sentence}`;
  }
  return summary;
}

function pager(file: string, previous: Lesson | undefined, next: Lesson | undefined): string {
  const link = (lesson: Lesson | undefined, rel: string, label: string) =>
    lesson
      ? `<a rel="${rel}" href="${relativeHref(file, `${lesson.folder}/index.html`)}"><small>${label}</small>${escapeHtml(lesson.title || lesson.folder)}</a>`
      : `<a rel="home" href="${relativeHref(file, "index.html")}"><small>${label}</small>Course home</a>`;
  return `<nav class="pager" aria-label="Lessons">${link(previous, "prev", "Previous")}${link(next, "next", "Next")}</nav>`;
}

function copyAssets(out: string): void {
  const katexDist = path.join(path.dirname(createRequire(import.meta.url).resolve("katex/package.json")), "dist");
  const assets = path.join(out, "assets");
  mkdirSync(path.join(assets, "katex"), { recursive: true });
  cpSync(path.join(katexDist, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
  cpSync(path.join(katexDist, "fonts"), path.join(assets, "katex", "fonts"), { recursive: true });
  cpSync(path.join(ROOT, "scripts", "site", "site.css"), path.join(assets, "site.css"));
}
