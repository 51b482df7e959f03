/**
 * Loads a target's modules (solutions/, src/ or a copy) as plain JavaScript compiled by TypeScript itself
 * (scripts/lib/compile-target.ts, which says why not tsx), for tools that time the course's code.
 *
 * The compiler runs in a child process: loaded here it would stay in the heap (some 30 MB) and make every
 * garbage collection of the measured process slower.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../lib/target";

const COMPILER = pathToFileURL(path.join(ROOT, "scripts", "lib", "compile-target.ts")).href;

/**
 * Compiles every `.ts` file of `folder` under .course/compiled/<folder name>/ (or <folder name>-<copy>/, a copy of
 * its own whose modules share nothing with another copy's), and beside them each of the dependency-free
 * `standalone` files, and returns an import of one of them by module name: `(await loadCompiled(folder))("engine")`.
 */
export async function loadCompiled(
  folder: string,
  standalone: string[] = [],
  copy?: string,
): Promise<(module: string) => Promise<unknown>> {
  const name = path.relative(ROOT, folder).replaceAll(path.sep, "_");
  const outDir = path.join(ROOT, ".course", "compiled", copy ? `${name}-${copy}` : name);
  const script = `const { compileTarget, compileModule } = await import(${JSON.stringify(COMPILER)});
const path = await import("node:path");
const [folder, outDir, ...standalone] = process.argv.slice(1);
compileTarget(folder, outDir);
for (const file of standalone) compileModule(file, path.join(outDir, path.basename(file, ".ts") + ".mjs"));`;
  execFileSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script, folder, outDir, ...standalone],
    { cwd: ROOT, stdio: "inherit" },
  );
  return (module) => import(pathToFileURL(path.join(outDir, `${module}.mjs`)).href);
}
