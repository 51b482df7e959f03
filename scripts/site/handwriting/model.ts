/**
 * The handwriting page's network, made when the site is built: lesson 17's recipe trained for SITE_EPOCHS epochs with
 * the course code the site runs (solutions/, or a learner's src/), in a child process (train-model.ts). Training takes
 * some seconds, so the result is kept in .course/site-models/, named by a hash of the code and the settings: the next
 * build with the same code copies it instead. The network is never committed: it is always the code's own.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ROOT } from "../../lib/target";
import { COURSE_V8_FLAGS } from "../../lib/v8-flags";

/** Enough for about 91 % of the test digits (the page shows the figure), in about ten seconds on an idle 2-core machine. */
export const SITE_EPOCHS = 3;
const TRAINER = path.join(path.dirname(fileURLToPath(import.meta.url)), "train-model.ts");
const CACHE = path.join(ROOT, ".course", "site-models");

/**
 * Writes `outFile` (model.json) for the course code in `target`, compiled in `courseDir`. A target whose lesson 17 is
 * not done gets a model.json that says so, for the page to show.
 */
export function buildHandwritingModel(target: string, courseDir: string, outFile: string): void {
  const hash = createHash("sha256").update(String(SITE_EPOCHS));
  for (const name of readdirSync(target)
    .filter((n) => n.endsWith(".ts"))
    .sort()) {
    hash.update(name).update(readFileSync(path.join(target, name)));
  }
  const cached = path.join(CACHE, `${hash.digest("hex").slice(0, 16)}.json`);
  if (!existsSync(cached)) {
    mkdirSync(CACHE, { recursive: true });
    // Written beside, then renamed: a build stopped halfway leaves no half-written network to copy next time.
    const fresh = `${cached}.${process.pid}`;
    execFileSync(
      process.execPath,
      [...COURSE_V8_FLAGS, "--import", "tsx", TRAINER, courseDir, fresh, String(SITE_EPOCHS)],
      { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
    );
    renameSync(fresh, cached);
  }
  copyFileSync(cached, outFile);
}
