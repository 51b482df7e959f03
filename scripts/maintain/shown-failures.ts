/**
 * A lesson text may show what vitest prints for a failing test, so a learner knows what to expect. Output that
 * points at a line of code (a ```text block starting with ` FAIL  <test file> > <test>`, with a ` ❯ ... file:line:col`
 * line) is vitest's output for the starter, checked against a real run (tests/learner-text.test.ts), and a line of
 * code is named nowhere else in the texts: a number written by hand goes stale the day a line is added above it.
 */

/** A block of vitest's output shown in a lesson text. */
export interface ShownFailure {
  /** The text and the line of the block's first line, for messages: "lessons/.../README.md:41". */
  where: string;
  /** The test file, relative to the course root, and the test's name as vitest prints it ("a › b"). */
  testFile: string;
  name: string;
  /** The message's first line, as shown. */
  message: string;
  /** Where the block says the failure points ("src/engine.ts:36:11"), if it shows that. */
  location?: string;
}

const LINE_REFERENCE = /[\w./-]+\.ts:\d+(?::\d+)?/g;

/** The vitest output blocks of a markdown text and the references to lines of code outside them. */
export function readShownFailures(markdown: string, file: string): { shown: ShownFailure[]; stray: string[] } {
  const shown: ShownFailure[] = [];
  const stray: string[] = [];
  const lines = markdown.split("\n");
  let block: { start: number; lines: string[] } | undefined;
  let fence = false;
  lines.forEach((line, index) => {
    if (/^\s*```/.test(line)) {
      if (!fence && line.trim() === "```text") block = { start: index + 2, lines: [] };
      else if (fence && block) {
        const failure = parseFailure(block.lines, `${file}:${block.start}`);
        // Only output that points at a line is the starter's; any other block may not name one.
        if (failure?.location) shown.push(failure);
        else stray.push(...references(block.lines.join("\n"), `${file}:${block.start}`));
        block = undefined;
      }
      fence = !fence;
      return;
    }
    if (block) block.lines.push(line);
    else stray.push(...references(line, `${file}:${index + 1}`));
  });
  return { shown, stray };
}

function references(text: string, where: string): string[] {
  return [...text.matchAll(LINE_REFERENCE)].map(
    (m) =>
      `${where}: names the line ${m[0]}, which goes stale when the code changes: say it without the number, ` +
      "or show vitest's output for the starter in a ```text block (checked against a real run).",
  );
}

/** A block whose first line is vitest's ` FAIL  file > describe > test` line; undefined for any other block. */
function parseFailure(block: string[], where: string): ShownFailure | undefined {
  const head = /^ FAIL {2}(\S+\.test\.ts) > (.+)$/.exec(block[0] ?? "");
  if (!head) return undefined;
  const location = block.map((l) => /^ ❯ .*?(\S+\.ts:\d+:\d+)$/.exec(l)?.[1]).find(Boolean);
  return {
    where,
    testFile: head[1],
    name: head[2].split(" > ").join(" › "),
    message: block[1] ?? "",
    ...(location && { location }),
  };
}
