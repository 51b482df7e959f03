/**
 * The tooling's layout (scripts/README.md): one folder per audience, each importing only itself and lib/,
 * and lib/ importing only itself. Tests may import anything; the course code imports nothing of scripts/.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { ROOT } from "../scripts/lib/target";

const SCRIPTS = path.join(ROOT, "scripts");
const folders = readdirSync(SCRIPTS).filter((name) => statSync(path.join(SCRIPTS, name)).isDirectory());

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.(ts|mts|mjs|js)$/.test(entry.name) ? [full] : [];
  });
}

/** Every relative import of `file` (static, dynamic and `import type`), as the absolute path it names. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => path.resolve(path.dirname(file), name));
}

/** The scripts/ folder an absolute path lies in ("lib", "grade", ...), or null outside scripts/. */
function scriptsFolder(file: string): string | null {
  const relative = path.relative(SCRIPTS, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return null;
  return relative.split(path.sep)[0];
}

const shown = (file: string) => path.relative(ROOT, file);

describe("scripts/ is grouped by audience", () => {
  test("its top level holds only folders and the README that lists them", () => {
    const loose = readdirSync(SCRIPTS).filter((name) => !folders.includes(name) && name !== "README.md");
    expect(loose, "put a new tool in the folder of the people it serves (see scripts/README.md)").toEqual([]);
    const index = readFileSync(path.join(SCRIPTS, "README.md"), "utf8");
    for (const folder of folders) expect(index, `scripts/README.md should list ${folder}/`).toContain(`${folder}/`);
  });

  test("every folder opens with a README saying what it is for", () => {
    for (const folder of folders) {
      expect(existsSync(path.join(SCRIPTS, folder, "README.md")), `scripts/${folder}/README.md`).toBe(true);
    }
  });

  test("a folder imports only from itself and lib/; lib/ only from itself", () => {
    const broken: string[] = [];
    for (const folder of folders) {
      for (const file of sourceFiles(path.join(SCRIPTS, folder))) {
        for (const target of importsOf(file)) {
          const into = scriptsFolder(target);
          const allowed = into === null || into === folder || into === "lib";
          if (!allowed) broken.push(`${shown(file)} imports ${shown(target)}`);
        }
      }
    }
    expect(broken, "move a shared helper into scripts/lib/, or the command into the folder it uses").toEqual([]);
  });

  test("outside scripts/ and tests/, only scripts/lib/ is imported", () => {
    const outside = [
      ...sourceFiles(path.join(ROOT, "lessons")).filter((file) => !file.endsWith(".test.ts")),
      ...sourceFiles(path.join(ROOT, "solutions")),
      ...sourceFiles(path.join(ROOT, "src")),
      path.join(ROOT, "vitest.config.ts"),
    ];
    const broken = outside.flatMap((file) =>
      importsOf(file)
        .filter((target) => !["lib", null].includes(scriptsFolder(target)))
        .map((target) => `${shown(file)} imports ${shown(target)}`),
    );
    expect(broken).toEqual([]);
  });

  test("every npm script that runs a file runs one that exists", () => {
    const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const missing = Object.entries(scripts).flatMap(([name, command]) =>
      (command.match(/scripts\/[\w./-]+\.ts/g) ?? [])
        .filter((file) => !existsSync(path.join(ROOT, file)))
        .map((file) => `npm run ${name}: ${file}`),
    );
    expect(missing).toEqual([]);
  });
});
