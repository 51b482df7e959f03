/**
 * The site's interactive pages: the training playground, the backprop stepper and the handwriting page. They run
 * the course's own code in the browser, with no bundler:
 *
 *   assets/course/*.mjs   the target (solutions/, or a learner's src/) compiled module by module by TypeScript
 *                         (lib/compile-target.ts): plain ES modules with relative imports, loaded as they are
 *   assets/js/**.mjs      the pages' scripts (playground/, stepper/, browser/ and the lib/ modules they import),
 *                         compiled the same way, at their paths under scripts/
 *
 * The pages find the course modules through their <body data-course>, and the lessons (for "finish lesson NN
 * first") in a JSON script element.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { compileModule, compileTarget } from "../lib/compile-target";
import { type Lesson, shortTitle } from "../lib/lessons";
import { buildHandwritingModel } from "./handwriting/model";
import { handwritingBody } from "./handwriting/page";
import { escapeHtml } from "./highlight";
import { APP_PAGES, page, relativeHref, writePage } from "./page-shell";
import { playgroundBody } from "./playground/page";
import { stepperBody } from "./stepper/page";

const SCRIPTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const COURSE_DIR = "assets/course";
const JS_DIR = "assets/js";
const ENTRIES = {
  playground: ["site/playground/main.ts", "site/playground/worker.ts"],
  stepper: ["site/stepper/main.ts"],
  handwriting: ["site/handwriting/main.ts"],
};

/**
 * Opened as a file, the page would stay at "Loading…": browsers load modules only from a server. A classic script
 * still runs there, and says what to do.
 */
const FILE_NOTE = `<script>
if (location.protocol === "file:") {
  document.querySelector('[role="status"]').textContent =
    "This page runs JavaScript modules, which browsers load only from a web server: run npm run site:serve and open it there.";
}
</script>`;

export interface AppOptions {
  root: string;
  out: string;
  /** The folder of course code the pages run. */
  target: string;
  lessons: Lesson[];
  courseTitle: string;
}

/** Writes both pages and their scripts into `out`; returns the pages' files and titles. */
export function buildApps({ root, out, target, lessons, courseTitle }: AppOptions): { file: string; title: string }[] {
  compileTarget(target, path.join(out, COURSE_DIR));
  compileBrowserModules(Object.values(ENTRIES).flat(), path.join(out, JS_DIR));
  const inRoot = path.relative(root, target);
  const targetName = inRoot.startsWith("..") || path.isAbsolute(inRoot) ? target : inRoot.replaceAll(path.sep, "/");

  const write = (app: keyof typeof APP_PAGES, body: string) => {
    const { file, title } = APP_PAGES[app];
    const lessonLinks = lessons.map((lesson) => ({
      id: lesson.id,
      number: lesson.number,
      title: shortTitle(lesson),
      href: relativeHref(file, `${lesson.folder}/index.html`),
    }));
    const json = JSON.stringify(lessonLinks).replace(/</g, "\\u003c");
    writePage(
      out,
      file,
      page({
        courseTitle,
        title,
        file,
        mainClass: `app ${app}`,
        bodyAttributes: `data-course="${escapeHtml(relativeHref(file, `${COURSE_DIR}/`))}/" data-target="${escapeHtml(targetName)}"`,
        scripts: [`${JS_DIR}/${ENTRIES[app][0].replace(/\.ts$/, ".mjs")}`],
        body: [body, `<script type="application/json" id="course-lessons">${json}</script>`, FILE_NOTE].join("\n"),
      }),
    );
    return { file, title };
  };
  return [
    write(
      "playground",
      playgroundBody({
        target: targetName,
        batches: courseHas(target, "batches.ts", "miniBatches"),
        crossEntropy: courseHas(target, "loss.ts", "bceWithLogitsLoss"),
        optimizers: courseHas(target, "optim.ts", "Adam"),
        regularization: courseHas(target, "loss.ts", "l2Penalty") && courseHas(target, "optim.ts", "decayWeights"),
      }),
    ),
    write("stepper", stepperBody({ target: targetName })),
    writeHandwriting(),
  ];

  /** The handwriting page, with the network the target's code trains (lesson 17), when the target has that lesson. */
  function writeHandwriting() {
    const page = write("handwriting", handwritingBody({ target: targetName }));
    buildHandwritingModel(target, path.join(out, COURSE_DIR), path.join(out, path.dirname(page.file), "model.json"));
    return page;
  }
}

/** Whether the course code in `target` has `file` exporting `name` (the bonus lessons' parts are optional). */
function courseHas(target: string, file: string, name: string): boolean {
  const source = path.join(target, file);
  return (
    existsSync(source) &&
    new RegExp(`^export (?:function|class|const) ${name}\\b`, "m").test(readFileSync(source, "utf8"))
  );
}

/**
 * Compiles each entry (a path under scripts/) and every module its compiled code imports, transitively, to
 * `<outDir>/<same path>.mjs`. Following the compiled code, not the source, leaves out what only types used
 * (the course's `@course/...` imports, the worker's message types).
 */
function compileBrowserModules(entries: string[], outDir: string): void {
  const pending = entries.map((entry) => path.join(SCRIPTS, entry));
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const outFile = path.join(outDir, path.relative(SCRIPTS, file).replace(/\.ts$/, ".mjs"));
    mkdirSync(path.dirname(outFile), { recursive: true });
    compileModule(file, outFile);
    const { importedFiles } = ts.preProcessFile(readFileSync(outFile, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith(".")) pending.push(path.resolve(path.dirname(file), fileName.replace(/\.mjs$/, ".ts")));
    }
  }
}
