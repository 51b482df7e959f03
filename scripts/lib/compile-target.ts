/**
 * Compiles a copy of the course code (solutions/, src/ or a grading folder) to plain JavaScript modules that
 * worker threads can import without a TypeScript loader, and a browser as they are (the site's interactive pages).
 *
 * Why not run the workers under tsx: tsx compiles with esbuild's `keepNames`, which wraps every arrow
 * function in a `__name(...)` call that redefines its `name`. The engine creates one closure per `Value`,
 * so that roughly doubles the cost of training (measured on the experiments). TypeScript's own
 * `transpileModule` strips the types and leaves the code as written.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { courseFileNames } from "./starter";

/** Relative imports ("./engine") in import, export and dynamic import statements. */
const RELATIVE_IMPORT = /((?:\bfrom|\bimport)\s*\(?\s*)(["'])(\.\.?\/[^"']+?)(?:\.ts|\.js)?\2/g;

/** Writes every `.ts` file of `folder` as a `.mjs` module into `outDir` (emptied first); returns `outDir`. */
export function compileTarget(folder: string, outDir: string): string {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  for (const name of courseFileNames(folder)) {
    compileModule(path.join(folder, name), path.join(outDir, name.replace(/\.ts$/, ".mjs")));
  }
  return outDir;
}

/**
 * Writes one TypeScript file as a plain JavaScript module at `outFile` (relative imports get `.mjs`, so the
 * file's neighbours must be compiled beside it); returns `outFile`.
 */
export function compileModule(sourceFile: string, outFile: string): string {
  const { outputText } = ts.transpileModule(readFileSync(sourceFile, "utf8"), {
    fileName: path.basename(sourceFile),
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  });
  const esm = outputText.replace(RELATIVE_IMPORT, (_, lead: string, quote: string, specifier: string) => {
    return `${lead}${quote}${specifier}.mjs${quote}`;
  });
  writeFileSync(outFile, esm);
  return outFile;
}
