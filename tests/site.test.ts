/** The course website's build (scripts/site/pages.ts), on a small fixture course with two lessons. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test } from "vitest";
import { ROOT } from "../scripts/lib/target";
import { highlightTypeScript } from "../scripts/site/highlight";
import { buildSite, sitePathOf, slugify } from "../scripts/site/pages";

const out = path.join(ROOT, ".course", "site-test");
const built = buildSite({ root: path.join(ROOT, "tests", "fixtures", "course-site"), out });
const read = (file: string) => readFileSync(path.join(out, file), "utf8");

describe("buildSite", () => {
  test("writes a home page and one page per lesson, in order", () => {
    expect(built.pages.map((p) => p.file)).toEqual([
      "index.html",
      "lesson-01-alpha/index.html",
      "lesson-02-beta/index.html",
      "lesson-03-gamma/index.html",
    ]);
  });

  test("shows a bonus part of course.json after the core lessons, under its own heading", () => {
    const home = read("index.html");
    const core = home.indexOf('<h2 id="lessons">The lessons</h2>');
    const bonus = home.indexOf('<h2 id="further-on">Further on</h2>');
    expect(core, "the core lessons come first").toBeGreaterThan(0);
    expect(bonus, "then the bonus part").toBeGreaterThan(home.indexOf("lesson-02-beta/index.html"));
    expect(home.slice(bonus)).toContain('<a href="lesson-03-gamma/index.html"><span class="lesson-number">03</span>');
    expect(home.slice(0, bonus)).not.toContain("lesson-03-gamma");
    expect(read("lesson-03-gamma/index.html")).toContain('<p class="crumb">Lesson 3 of 3 · Further on (bonus)</p>');
  });

  test("puts the README's introduction (not its other sections) and the course map on the home page", () => {
    const home = read("index.html");
    expect(home).toContain("<h1>Fixture Course</h1>");
    expect(home).not.toContain("Getting started");
    expect(home).toContain('<a href="lesson-01-alpha/index.html"><span class="lesson-number">01</span>');
    expect(home).toContain("<p>The first lesson, about");
  });

  test("typesets formulas with KaTeX and serves KaTeX's CSS and fonts from the site itself", () => {
    const lesson = read("lesson-01-alpha/index.html");
    expect(lesson).toContain('class="katex-display"');
    expect(built.pages[1].formulas).toBe(3);
    expect(lesson).toContain('href="../assets/katex/katex.min.css"');
    expect(existsSync(path.join(out, "assets/katex/fonts/KaTeX_Main-Regular.woff2"))).toBe(true);
  });

  test("highlights ts code, labels output blocks and says why a block is not run", () => {
    const lesson = read("lesson-01-alpha/index.html");
    expect(lesson).toContain('<span class="tok-keyword">const</span>');
    expect(lesson).toContain("<figcaption>Output</figcaption>");
    expect(lesson).toContain("<figcaption>Not run: a fragment</figcaption>");
  });

  test("copies figures next to their page, sized one pixel per point, with the alt text as caption", () => {
    expect(existsSync(path.join(out, "lesson-01-alpha/figures/pic.svg"))).toBe(true);
    expect(read("lesson-01-alpha/index.html")).toContain(
      '<figure class="figure"><img src="figures/pic.svg" alt="A picture" width="120" height="40" loading="lazy"><figcaption>A picture</figcaption></figure>',
    );
  });

  test("turns links between READMEs into links between pages, and links to other files into plain text", () => {
    const lesson = read("lesson-01-alpha/index.html");
    expect(lesson).toContain('<a href="../lesson-02-beta/index.html#hints">Beta</a>');
    expect(lesson).toContain(
      '<span class="repo-path" title="In the course repository: ../../notes.txt">notes.txt</span>',
    );
    expect(lesson).toContain('<h2 id="hints">Hints</h2>');
    expect(read("index.html")).toContain('<a href="lesson-01-alpha/index.html">lesson 1</a>');
  });

  test("links each lesson to the previous and next one, the first and last to the home page", () => {
    expect(read("lesson-01-alpha/index.html")).toMatch(
      /<a rel="home" href="..\/index.html">.*<a rel="next" href="..\/lesson-02-beta\/index.html">/,
    );
    expect(read("lesson-02-beta/index.html")).toMatch(/<a rel="prev" href="..\/lesson-01-alpha\/index.html">/);
    expect(read("lesson-03-gamma/index.html")).toMatch(/<a rel="home" href="..\/index.html"><small>Next/);
  });

  test("reports every broken link, missing anchor, missing image, untypeset or unreadable formula", () => {
    expect(built.problems).toEqual([
      "lessons/lesson-02-beta/README.md: the link ../lesson-09-nowhere/README.md points at a file that does not exist.",
      "lessons/lesson-02-beta/README.md: the image figures/missing.svg does not exist.",
      "lessons/lesson-02-beta/README.md: the link to #nowhere points at no heading of the page.",
      "lessons/lesson-02-beta/README.md: the formula $x^2$ is not typeset: put math outside raw HTML, with blank lines around blocks.",
      expect.stringMatching(/^lessons\/lesson-02-beta\/README.md: KaTeX could not typeset a formula: /),
    ]);
  });
});

test("sitePathOf maps READMEs to pages and lesson files next to them", () => {
  expect(sitePathOf("README.md")).toBe("index.html");
  expect(sitePathOf("lessons/lesson-03-topo-sort/README.md")).toBe("lesson-03-topo-sort/index.html");
  expect(sitePathOf("lessons/lesson-03-topo-sort/figures/a.svg")).toBe("lesson-03-topo-sort/figures/a.svg");
  expect(sitePathOf("src/engine.ts")).toBeUndefined();
});

test("slugify makes GitHub's heading ids", () => {
  expect(slugify("Hints")).toBe("hints");
  expect(slugify("The chain rule, by hand!")).toBe("the-chain-rule-by-hand");
});

test("highlightTypeScript colours tokens and escapes HTML without changing the text", () => {
  const code = 'const a = x < 2 ? "<b>" : f(1); // done';
  const html = highlightTypeScript(code);
  expect(html).toContain('<span class="tok-string">&quot;&lt;b&gt;&quot;</span>');
  expect(html).toContain('<span class="tok-call">f</span>');
  expect(html).toContain('<span class="tok-comment">// done</span>');
  expect(
    html
      .replace(/<[^>]+>/g, "")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"'),
  ).toBe(code);
});
