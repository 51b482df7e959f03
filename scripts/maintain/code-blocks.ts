/**
 * The code in the lesson text is tested (invariant 5 of COURSE.md). In a lesson README:
 *
 *   ```ts                        a complete program: it must type-check and run against solutions/
 *   ```output                    right after a ts block: exactly what that program prints (console.log)
 *   ```ts skip-check: <reason>   a block that is shown but not run (a deliberate mistake, a fragment)
 *
 * Blocks may import only from `@course` and `@course/<module>`. All blocks are type-checked together in one
 * TypeScript program (fast), then each runs on its own with console.log captured. Every problem is reported
 * as `README-path:line: message`, at the line of the README where it is.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format } from "node:util";
import MarkdownIt from "markdown-it";
import ts from "typescript";
import { ROOT } from "../lib/target";

export interface CodeBlock {
  /** The README, relative to the course root: "lessons/lesson-01-value-ops/README.md". */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The code, ending in a newline; its first line is README line `line + 1`. */
  code: string;
  /** Why the block is not run (`ts skip-check: <reason>`), or undefined for a block that runs. */
  skip?: string;
  /** The `output` block right after it, if any, and the README line of that block's first line. */
  output?: { text: string; line: number };
  /** What is wrong with how the block is written (a skip-check without reason...), or undefined. */
  problem?: string;
}

const RUN_LANGUAGES = new Set(["ts", "typescript"]);
const ALLOWED_IMPORT = /^@course(\/[\w-]+)?$/;

/** The `ts` blocks of one markdown text, with their expected output. `file` is used in messages. */
export function extractBlocks(markdown: string, file: string): CodeBlock[] {
  const tokens = new MarkdownIt().parse(markdown, {});
  const blocks: CodeBlock[] = [];
  tokens.forEach((token, i) => {
    if (token.type !== "fence" || !token.map) return;
    const [language, ...rest] = token.info.trim().split(/\s+/);
    const line = token.map[0] + 1;
    const next = tokens[i + 1];
    const output =
      next?.type === "fence" && next.info.trim() === "output" && next.map
        ? { text: next.content, line: next.map[0] + 2 }
        : undefined;
    if (!RUN_LANGUAGES.has(language)) return;
    const block: CodeBlock = { file, line, code: token.content, output };
    const attributes = rest.join(" ");
    const skip = /^skip-check(?::\s*(.*))?$/.exec(attributes);
    if (skip) {
      block.skip = skip[1]?.trim() ?? "";
      if (block.skip === "") {
        block.problem = `${file}:${line}: "skip-check" needs a reason: write \`\`\`ts skip-check: <why this block is not run>.`;
      } else if (output) {
        block.problem = `${file}:${output.line - 1}: this output block follows a skip-check block, so nothing checks it.`;
      }
    } else if (attributes !== "") {
      block.problem = `${file}:${line}: unknown "${attributes}" after ts: the only option is "skip-check: <reason>".`;
    }
    blocks.push(block);
  });
  return blocks;
}

export interface PreparedBlock {
  block: CodeBlock;
  /** Type errors and forbidden imports, as `file:line:column: message`. */
  errors: string[];
  /** The runnable copy of the block (imports pointing into the target folder). */
  runnable: string;
}

export interface PrepareOptions {
  /** The folder `@course` means: solutions/ by default. */
  target?: string;
  /** Where runnable copies are written (an ignored folder, holding only the current copies afterwards). */
  scratch?: string;
}

/** Type-checks every block that runs, all in one TypeScript program, and writes each one's runnable copy. */
export function prepareBlocks(blocks: CodeBlock[], options: PrepareOptions = {}): PreparedBlock[] {
  const target = options.target ?? path.join(ROOT, "solutions");
  const scratch = options.scratch ?? path.join(ROOT, ".course", "blocks");
  const runs = blocks.filter((b) => b.skip === undefined);
  // Virtual files, one per block, each a module (`export {}`) so blocks do not share top-level names.
  const virtual = new Map(runs.map((b) => [path.join(scratch, `${slug(b)}.ts`), b]));
  const texts = new Map([...virtual].map(([name, b]) => [name, `${b.code}\nexport {};\n`]));
  texts.set(path.join(scratch, "globals.d.ts"), GLOBALS);

  const options_ = compilerOptions(target);
  const host = ts.createCompilerHost(options_);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, language, ...rest) => {
    const text = texts.get(path.resolve(name));
    return text === undefined ? getSourceFile(name, language, ...rest) : ts.createSourceFile(name, text, language);
  };
  host.fileExists = (name) => texts.has(path.resolve(name)) || fileExists(name);
  host.readFile = (name) => texts.get(path.resolve(name)) ?? readFile(name);
  const program = ts.createProgram([...texts.keys()], options_, host);

  mkdirSync(scratch, { recursive: true });
  const prepared = [...virtual].map(([name, block]) => {
    const source = program.getSourceFile(name);
    if (!source) throw new Error(`internal: no source file for ${name}`);
    const { text, importErrors } = pointImportsAt(source, block, target);
    // A forbidden import also fails to type-check; saying why it is forbidden is the more useful message.
    const errors =
      importErrors.length > 0
        ? importErrors
        : ts.getPreEmitDiagnostics(program, source).map((d) => describeDiagnostic(d, block));
    // The content hash in the name keeps a watching vitest from running an old copy of an edited block.
    const runnable = path.join(scratch, `${slug(block)}-${hash(text)}.ts`);
    // Unchanged copies are left alone, so a watching vitest does not see a change and rerun in a loop.
    if (!existsSync(runnable)) writeFileSync(runnable, text);
    return { block, errors, runnable };
  });
  const current = new Set(prepared.map((p) => path.basename(p.runnable)));
  for (const name of readdirSync(scratch)) {
    if (!current.has(name)) rmSync(path.join(scratch, name), { force: true });
  }
  return prepared;
}

/** Runs one prepared block and compares what it prints with its output block. Returns the problems found. */
export async function runBlock(prepared: PreparedBlock): Promise<string[]> {
  const { block, runnable } = prepared;
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => {
    printed.push(`${format(...args)}\n`);
  };
  try {
    await import(pathToFileURL(runnable).href);
  } catch (error) {
    return [`${block.file}:${errorLine(error, block, runnable)}: the block throws: ${firstLine(error)}`];
  } finally {
    console.log = log;
  }
  return block.output ? compareOutput(printed.join(""), block) : [];
}

/** Everything wrong with one block: how it is written, its types and imports, then what running it gives. */
export async function checkBlock(prepared: PreparedBlock): Promise<string[]> {
  if (prepared.block.problem) return [prepared.block.problem];
  if (prepared.errors.length > 0) return prepared.errors;
  return runBlock(prepared);
}

function compareOutput(actual: string, block: CodeBlock): string[] {
  const expected = block.output?.text ?? "";
  if (actual === expected) return [];
  const want = expected.split("\n");
  const got = actual.split("\n");
  const i = want.findIndex((line, k) => line !== got[k]);
  const at = i >= 0 ? i : want.length;
  const shown = (line: string | undefined) => (line === undefined ? "nothing" : JSON.stringify(line));
  return [
    `${block.file}:${(block.output?.line ?? block.line) + at}: the output block says ${shown(want[at])} but the code printed ${shown(got[at])}.\n` +
      `  The code printed:\n${indent(actual)}`,
  ];
}

/**
 * What a block may use besides the language and `@course`. Node's own types are left out on purpose: a lesson's
 * code needs only console.log, and leaving them out makes the type-check several times faster.
 */
const GLOBALS = "declare const console: { log(...data: unknown[]): void };\n";

/** The project's compiler options, with `@course` pointing at `target` and no Node types. */
function compilerOptions(target: string): ts.CompilerOptions {
  const configFile = path.join(ROOT, "tsconfig.json");
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile);
  return {
    ...parsed.options,
    noEmit: true,
    types: [],
    paths: { "@course": [path.join(target, "index.ts")], "@course/*": [path.join(target, "*")] },
  };
}

/** The block's text with each `@course...` import pointing at a file of `target`; other imports are errors. */
function pointImportsAt(source: ts.SourceFile, block: CodeBlock, target: string) {
  const importErrors: string[] = [];
  const edits: { start: number; end: number; text: string }[] = [];
  for (const statement of source.statements) {
    if (!(ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement))) continue;
    const specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    if (!ALLOWED_IMPORT.test(specifier.text)) {
      const line = block.line + 1 + source.getLineAndCharacterOfPosition(specifier.getStart(source)).line;
      importErrors.push(
        `${block.file}:${line}: imports "${specifier.text}": a lesson's code may import only from "@course" or "@course/<module>".`,
      );
      continue;
    }
    const module = specifier.text === "@course" ? "index" : specifier.text.slice("@course/".length);
    edits.push({
      start: specifier.getStart(source),
      end: specifier.getEnd(),
      text: JSON.stringify(path.join(target, `${module}.ts`)),
    });
  }
  let text = source.text;
  for (const edit of edits.reverse()) text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  return { text, importErrors };
}

function describeDiagnostic(diagnostic: ts.Diagnostic, block: CodeBlock): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
  if (!diagnostic.file || diagnostic.start === undefined) return `${block.file}:${block.line}: ${message}`;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${block.file}:${block.line + 1 + line}:${character + 1}: error TS${diagnostic.code}: ${message}`;
}

/** The README line an error was thrown from, found in its stack; the fence line if it is not there. */
function errorLine(error: unknown, block: CodeBlock, runnable: string): number {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  const escaped = path.basename(runnable).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`${escaped}:(\\d+)`).exec(stack);
  return match ? block.line + Number(match[1]) : block.line;
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).split("\n")[0];
}

function slug(block: CodeBlock): string {
  return `${block.file.replace(/\.md$/, "").replace(/[^\w-]+/g, "_")}-L${block.line}`;
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split("\n")
    .map((line) => `    ${line}`)
    .join("\n");
}
