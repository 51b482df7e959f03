/**
 * The course website's build (scripts/site/pages.ts), on a small fixture course with three lessons, its
 * interactive pages running the reference code; and the stepper's expression language, parsed without a browser.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { ROOT } from "../scripts/lib/target";
import { highlightTypeScript } from "../scripts/site/highlight";
import { buildSite, sitePathOf, slugify } from "../scripts/site/pages";
import { playgroundBody } from "../scripts/site/playground/page";
import { type Expr, ExpressionError, parseProgram } from "../scripts/site/stepper/expression";

const out = path.join(ROOT, ".course", "site-test");
const built = buildSite({
  root: path.join(ROOT, "tests", "fixtures", "course-site"),
  out,
  target: path.join(ROOT, "solutions"),
});
const read = (file: string) => readFileSync(path.join(out, file), "utf8");

describe("buildSite", () => {
  test("writes a home page, one page per lesson, in order, and the three interactive pages", () => {
    expect(built.pages.map((p) => p.file)).toEqual([
      "index.html",
      "lesson-01-alpha/index.html",
      "lesson-02-beta/index.html",
      "lesson-03-gamma/index.html",
      "playground/index.html",
      "stepper/index.html",
      "handwriting/index.html",
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

  test("copies figures next to their page, sized one pixel per point, with the alt text as a caption read once", () => {
    expect(existsSync(path.join(out, "lesson-01-alpha/figures/pic.svg"))).toBe(true);
    expect(read("lesson-01-alpha/index.html")).toContain(
      '<figure class="figure"><img src="figures/pic.svg" alt="A picture" width="120" height="40" loading="lazy"><figcaption aria-hidden="true">A picture</figcaption></figure>',
    );
  });

  test("turns links between READMEs into links between pages, and links to other files into plain text", () => {
    const lesson = read("lesson-01-alpha/index.html");
    expect(lesson).toContain('<a href="../lesson-02-beta/index.html#hints">Beta</a>');
    expect(lesson).toContain(
      '<span class="repo-path" title="In the course repository: ../../notes.txt">notes.txt</span>',
    );
    expect(lesson).toContain('The hints are in <a href="index.html#hints">hints.md</a>');
    expect(read("index.html")).toContain('<a href="lesson-01-alpha/index.html">lesson 1</a>');
  });

  test("ends each lesson page with its hints.md, every hint folded, under the part it helps with", () => {
    const lesson = read("lesson-01-alpha/index.html");
    const hints = lesson.slice(lesson.indexOf('<h2 id="hints">Hints</h2>'));
    expect(hints).toContain("<h3>alpha</h3>");
    expect(hints).toMatch(/<details class="hint"><summary>Hint 1: look<\/summary>\n<p>Look <span class="katex">/);
    expect(hints).toContain('<details class="hint"><summary>Hint 2: the code</summary>');
    expect(hints.indexOf("Hint 1: look")).toBeLessThan(hints.indexOf("Hint 2: the code"));
    expect(hints.indexOf("</section>"), "before the links to the next lesson").toBeLessThan(
      hints.indexOf('rel="next"'),
    );
    expect(read("lesson-03-gamma/index.html"), "no hints.md, no section").not.toContain('id="hints"');
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

test("sitePathOf maps READMEs to pages, lesson files next to them, and the interactive pages' notes to the pages", () => {
  expect(sitePathOf("README.md")).toBe("index.html");
  expect(sitePathOf("docs/playground.md")).toBe("playground/index.html");
  expect(sitePathOf("docs/stepper.md")).toBe("stepper/index.html");
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

describe("the interactive pages", () => {
  const appPages = ["playground/index.html", "stepper/index.html"];

  test("every page's header links to the lessons and to both interactive pages", () => {
    for (const file of built.pages.map((p) => p.file)) {
      const header = /<header class="site-header">[\s\S]*?<\/header>/.exec(read(file))?.[0] ?? "";
      const href = (target: string) =>
        path.posix.relative(path.posix.dirname(file), target) || path.posix.basename(target);
      expect(header, file).toContain(`href="${href("index.html")}#lessons"`);
      expect(header, file).toContain(`href="${href("playground/index.html")}"`);
      expect(header, file).toContain(`href="${href("stepper/index.html")}"`);
    }
    expect(read("playground/index.html")).toContain('<a href="index.html" aria-current="page">Playground</a>');
  });

  test("the home page has a section that links to both", () => {
    const home = read("index.html");
    const section = home.slice(home.indexOf('<h2 id="try-it-in-your-browser">'));
    expect(section).toContain('<a href="playground/index.html">Training playground</a>');
    expect(section).toContain('<a href="stepper/index.html">Backprop stepper</a>');
  });

  test("each loads its script, and every module it imports was compiled next to it", () => {
    for (const file of appPages) {
      const html = read(file);
      const scripts = [...html.matchAll(/<script type="module" src="([^"]+)">/g)].map((m) => m[1]);
      expect(scripts, file).toHaveLength(1);
      const missing: string[] = [];
      const seen = new Set<string>();
      const visit = (module: string) => {
        if (seen.has(module)) return;
        seen.add(module);
        if (!existsSync(module)) {
          missing.push(path.relative(out, module));
          return;
        }
        for (const { fileName } of ts.preProcessFile(readFileSync(module, "utf8"), true, true).importedFiles) {
          if (fileName.startsWith(".")) visit(path.resolve(path.dirname(module), fileName));
        }
      };
      visit(path.resolve(out, path.dirname(file), scripts[0]));
      expect(missing, `${file}: modules imported but not in the site`).toEqual([]);
    }
    // The worker is started by URL, not imported: it must be there too.
    expect(existsSync(path.join(out, "assets/js/site/playground/worker.mjs"))).toBe(true);
  });

  test("each says where the compiled course code is, and that folder holds every module of the target", () => {
    for (const file of appPages) {
      const course = /<body data-course="([^"]+)" data-target="([^"]+)">/.exec(read(file));
      // A target outside the course (here the fixture's) is named by its full path; src/ would be "src".
      expect(course?.[2], file).toBe(path.join(ROOT, "solutions"));
      const folder = path.resolve(out, path.dirname(file), course?.[1] ?? "");
      const modules = readdirSync(folder).sort();
      const sources = readdirSync(path.join(ROOT, "solutions")).filter((name) => name.endsWith(".ts"));
      expect(modules).toEqual(sources.map((name) => name.replace(/\.ts$/, ".mjs")).sort());
    }
  });

  test("each carries the lessons, with links to their pages, for its 'finish lesson NN first' note", () => {
    const json = /<script type="application\/json" id="course-lessons">(.*)<\/script>/.exec(read("stepper/index.html"));
    expect(JSON.parse(json?.[1] ?? "[]")[0]).toEqual({
      id: "lesson-01",
      number: 1,
      title: "Alpha",
      href: "../lesson-01-alpha/index.html",
    });
  });

  test("the playground offers batch sizes, cross-entropy, optimizers and regularization only when the target has them", () => {
    const all = playgroundBody({
      target: "src",
      batches: true,
      crossEntropy: true,
      optimizers: true,
      regularization: true,
    });
    for (const id of ["batch", "loss", "optimizer", "regularization", "rate"]) expect(all).toContain(`id="pg-${id}"`);
    expect(all).toContain("your own code from <code>src/</code>");
    const core = playgroundBody({
      target: "solutions",
      batches: false,
      crossEntropy: false,
      optimizers: false,
      regularization: false,
    });
    expect(core).not.toMatch(/id="pg-(batch|loss|optimizer|regularization|rate)"/);
    expect(core).toContain("the course's reference code (<code>solutions/</code>)");
  });
});

/** An expression back as fully parenthesized text, to see how it was parsed. */
function shape(expr: Expr): string {
  switch (expr.kind) {
    case "number":
      return String(expr.value);
    case "name":
      return expr.name;
    case "negate":
      return `(-${shape(expr.operand)})`;
    case "binary":
      return `(${shape(expr.left)} ${expr.op} ${shape(expr.right)})`;
    case "call":
      return `${shape(expr.target)}.${expr.method}()`;
  }
}

/** The error `source` fails with. */
function parseError(source: string): ExpressionError {
  try {
    parseProgram(source);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} not to parse`);
}

describe("the stepper's expression language", () => {
  const parsed = (source: string) => parseProgram(source).map((s) => (s.name ? `${s.name} = ` : "") + shape(s.expr));

  test("reads the usual precedence: * and / before + and -, left to right", () => {
    expect(parsed("a + b * c - d / e")).toEqual(["((a + (b * c)) - (d / e))"]);
    expect(parsed("a - b - c")).toEqual(["((a - b) - c)"]);
  });

  test("binds ** tighter than unary minus, as Python does, and takes a signed exponent", () => {
    expect(parsed("-a**2")).toEqual(["(-(a ** 2))"]);
    expect(parsed("a**-1")).toEqual(["(a ** (-1))"]);
    expect(parsed("a**2**3")).toEqual(["(a ** (2 ** 3))"]);
  });

  test("reads method calls after any operand, parentheses, numbers in every usual form", () => {
    expect(parsed("(a*b + c).tanh()")).toEqual(["((a * b) + c).tanh()"]);
    expect(parsed("x.exp().log()")).toEqual(["x.exp().log()"]);
    expect(parsed("1.5 + .5 + 2e-3 + 3.")).toEqual(["(((1.5 + 0.5) + 0.002) + 3)"]);
  });

  test("reads one statement per line or per semicolon, names, comments and blank lines", () => {
    const program = parseProgram("a = 2; b = -3  # an input\n\n# a whole comment line\ne = a*b\ne + 1");
    expect(program.map((s) => [s.name, s.line])).toEqual([
      ["a", 1],
      ["b", 1],
      ["e", 4],
      [undefined, 5],
    ]);
  });

  test("keeps each expression's source text, for the names of unnamed nodes", () => {
    const [statement] = parseProgram("(a*b  +  c).tanh()");
    expect(statement.expr.text).toBe("(a*b + c).tanh()");
    expect(statement.expr.kind === "call" && statement.expr.target.text).toBe("a*b + c");
  });

  test("says what is wrong and where, in words a learner can act on", () => {
    expect(parseError("(a + b").message).toBe(
      'Line 1, column 7: expected ")" to close the "(" of column 1, found the end.',
    );
    expect(parseError("a = 2\nb = a +").message).toBe(
      'Line 2, column 8: expected a number, a name or "(", found the end.',
    );
    expect(parseError("a.foo()").message).toBe(
      "Line 1, column 3: .foo() is not an operation of Value: use .tanh() .exp() .relu() .sigmoid() .log() .softplus().",
    );
    expect(parseError("a.tanh").message).toBe('Line 1, column 7: expected "()" after .tanh, found the end.');
    expect(parseError("a.tanh(2)").message).toBe('Line 1, column 8: .tanh() takes no argument, found "2".');
    expect(parseError("a = 2 b = 3").message).toBe(
      'Line 1, column 7: expected an operator or the end of the line, found "b".',
    );
    expect(parseError("x = a @ b").message).toBe('Line 1, column 7: "@" is not part of the language.');
    expect(parseError("  \n # nothing").message).toBe(
      "Line 1, column 1: the program is empty: write an expression, like (a*b + c).tanh().",
    );
  });

  test("never runs the text as code: JavaScript is just an error", () => {
    expect(parseError("alert('hi')").message).toBe("Line 1, column 7: \"'hi')\" is not part of the language.");
    expect(parseError("a = globalThis.process").message).toContain(".process() is not an operation of Value");
  });
});
