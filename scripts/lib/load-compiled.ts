/**
 * Loads a target's modules (solutions/, src/ or a copy) as plain JavaScript compiled by TypeScript itself,
 * for tools that time the course's code.
 *
 * Why not just `import()` them under tsx? tsx compiles with esbuild's `keepNames`, which wraps every
 * function expression in a `__name(fn, "name")` call that redefines the function's `name` property. For
 * the engine that means one extra `Object.defineProperty` per `localBackward` closure, that is per graph
 * node: several times the cost of the node itself. No build of the course's code for real use would do
 * that, so a benchmark run under tsx would measure tsx. `ts.transpileModule` only strips the types.
 *
 * The compiler runs in a child process: loaded here it would stay in the heap (some 30 MB) and make every
 * garbage collection of the measured process slower.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT } from "./target";

/** Run by `node -e` with the source folder and the output folder as arguments. */
const COMPILE = `
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");
const [folder, outDir] = process.argv.slice(1);
for (const name of fs.readdirSync(folder)) {
  if (!name.endsWith(".ts") || name.endsWith(".d.ts")) continue;
  const { outputText } = ts.transpileModule(fs.readFileSync(path.join(folder, name), "utf8"), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: name,
  });
  fs.writeFileSync(path.join(outDir, name.replace(/\\.ts$/, ".js")), outputText);
}
// CommonJS resolves the sources' extensionless imports ("./engine") to the compiled .js files.
fs.writeFileSync(path.join(outDir, "package.json"), '{ "type": "commonjs" }\\n');
`;

/**
 * Compiles every `.ts` file of `folder` to CommonJS under .course/compiled/<folder name>/ and returns a
 * `require` that loads them: `loadCompiled(folder)("./engine")`.
 */
export function loadCompiled(folder: string): (module: string) => unknown {
  const outDir = path.join(ROOT, ".course", "compiled", path.relative(ROOT, folder).replaceAll(path.sep, "_"));
  mkdirSync(outDir, { recursive: true });
  execFileSync(process.execPath, ["-e", COMPILE, folder, outDir], { cwd: ROOT, stdio: "inherit" });
  const require = createRequire(path.join(outDir, "index.js"));
  return (module) => require(module);
}
