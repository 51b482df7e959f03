/**
 * Invariant 5: every `ts` block of every lesson README (and of its hints.md) type-checks and runs against solutions/, printing what
 * its `output` block says. One test per block, named by its README and line. The checker itself
 * (scripts/maintain/code-blocks.ts) is tested first, on a fixture README with a block for each kind of mistake.
 * All blocks are type-checked in a single TypeScript program, shared by both halves, to keep this fast.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { hintsPath } from "../scripts/lib/hints";
import { listLessons } from "../scripts/lib/lessons";
import { ROOT } from "../scripts/lib/target";
import {
  type CodeBlock,
  checkBlock,
  extractBlocks,
  type PreparedBlock,
  prepareBlocks,
} from "../scripts/maintain/code-blocks";

const FILE = "tests/fixtures/code-blocks/README.md";
const blocks = extractBlocks(readFileSync(path.join(ROOT, FILE), "utf8"), FILE);
// The lesson texts and their hints: a hint's code is checked as the text's is.
const lessonBlocks = listLessons()
  .flatMap((lesson) => [lesson.readme, hintsPath(lesson)])
  .filter((file) => existsSync(path.join(ROOT, file)))
  .flatMap((file) => extractBlocks(readFileSync(path.join(ROOT, file), "utf8"), file));
let prepared: PreparedBlock[];

beforeAll(() => {
  prepared = prepareBlocks([...blocks, ...lessonBlocks]);
}, 60_000);

function preparedAt(file: string, line: number): PreparedBlock {
  const block = prepared.find((p) => p.block.file === file && p.block.line === line);
  if (!block) throw new Error(`no runnable block at ${file}:${line}`);
  return block;
}

describe("every ts block of the lesson READMEs", () => {
  test("is written with a known info string (skip-check needs a reason)", () => {
    expect(lessonBlocks.flatMap((b) => b.problem ?? [])).toEqual([]);
  });

  for (const block of lessonBlocks) {
    const name = `${block.file}:${block.line}`;
    if (block.skip !== undefined) {
      test.skip(`${name} (skip-check: ${block.skip})`, () => {});
      continue;
    }
    test(name, async () => {
      const problems = await checkBlock(preparedAt(block.file, block.line));
      // The problems already say where and what; an assertion diff would only add noise.
      if (problems.length > 0) throw new Error(problems.join("\n"));
    }, 30_000);
  }
});

async function problemsAt(line: number): Promise<string[]> {
  const block = prepared.find((p) => p.block.file === FILE && p.block.line === line);
  if (!block) throw new Error(`no runnable block at line ${line}`);
  return checkBlock(block);
}

describe("the checker, on a fixture README: extractBlocks", () => {
  test("finds every ts block with the line of its fence, and no other language", () => {
    expect(blocks.map((b) => b.line)).toEqual([5, 20, 28, 40, 47, 51, 55]);
  });

  test("attaches the output block that follows a ts block", () => {
    expect(blocks[0].output).toEqual({ text: "6\ndone { ok: true }\n", line: 14 });
    expect(blocks[1].output).toBeUndefined();
  });

  test("reads the reason of a skip-check block and rejects one without a reason", () => {
    const [withReason, without] = blocks.filter((b: CodeBlock) => b.skip !== undefined);
    expect(withReason.skip).toBe("it shows the mistake of forgetting the children");
    expect(withReason.problem).toBeUndefined();
    expect(without.problem).toMatch(/^tests\/fixtures\/code-blocks\/README.md:51: "skip-check" needs a reason/);
  });
});

describe("the checker, on a fixture README: checking against solutions/", () => {
  test("passes a block that prints what its output block says", async () => {
    expect(await problemsAt(5)).toEqual([]);
  });

  test("reports a type error at its README line", async () => {
    const [problem] = await problemsAt(20);
    expect(problem).toMatch(/^tests\/fixtures\/code-blocks\/README.md:23:15: error TS2339: Property 'times'/);
  });

  test("reports a wrong output at the output block's line, with both texts", async () => {
    const [problem] = await problemsAt(28);
    expect(problem).toMatch(/README.md:35: the output block says "5" but the code printed "4"/);
  });

  test("reports an exception at the line that throws", async () => {
    const [problem] = await problemsAt(40);
    expect(problem).toMatch(/README.md:42: the block throws: RangeError: new Value\(\): got NaN/);
  });

  test("rejects imports from anything but @course", async () => {
    const [problem] = await problemsAt(55);
    expect(problem).toMatch(/README.md:56: imports "node:fs": a lesson's code may import only from "@course"/);
  });

  test("does not type-check or run skip-check blocks", () => {
    expect(prepared.filter((p) => p.block.file === FILE).map((p) => p.block.line)).not.toContain(47);
  });
});
