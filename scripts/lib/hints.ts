/**
 * The lesson hints' file format, shared by the learner's commands (learn/hints.ts) and the site. A lesson's hints
 * live apart from its text, so that reading the lesson never shows an answer, in `lessons/<lesson>/hints.md`,
 * grouped by the part of the lesson they help with:
 *
 *     # Hints for lesson 11
 *     > **Spoiler warning** ...
 *     ## The two losses
 *     Tests: "bceLoss(prob, label): ...", "bceWithLogitsLoss(logit, label): ..."
 *     ### Hint 1: short title
 *     ...markdown...
 *     ### Hint 2: ...
 *
 * A part helps with the tests of the top-level `describe` blocks its `Tests:` line names (without that line, of
 * the one block its heading names).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Lesson } from "./lessons";
import { ROOT } from "./target";

export interface Hint {
  /** 1, 2, ... within its part. */
  number: number;
  title: string;
  /** The hint's markdown, trimmed. */
  body: string;
}

export interface HintPart {
  /** The part's heading. */
  title: string;
  /** The top-level `describe` blocks whose tests the part helps with. */
  tests: string[];
  hints: Hint[];
}

/** Where a lesson's hints are, relative to the course root. */
export function hintsPath(lesson: Lesson): string {
  return `lessons/${lesson.folder}/hints.md`;
}

const FENCE = /^\s*(```|~~~)/;
const TESTS_LINE = /^Tests:\s*(.+)$/;

/** The parts of a hints.md text, each with its hints in order. Headings inside code blocks are code. */
export function parseHints(markdown: string): HintPart[] {
  const parts: HintPart[] = [];
  let hint: { number: number; title: string; lines: string[] } | undefined;
  let inCode = false;
  // The Tests: line of the current part, with the lines that continue its paragraph; undefined once it ended.
  let testsLine: string | undefined;
  const closeHint = () => {
    if (hint) parts.at(-1)?.hints.push({ number: hint.number, title: hint.title, body: hint.lines.join("\n").trim() });
    hint = undefined;
  };
  for (const line of markdown.split("\n")) {
    if (FENCE.test(line)) inCode = !inCode;
    const part = inCode ? null : /^##\s+(.+?)\s*$/.exec(line);
    const heading = inCode ? null : /^###\s+(.+?)\s*$/.exec(line);
    if (part) {
      closeHint();
      parts.push({ title: part[1], tests: [part[1]], hints: [] });
    } else if (heading && parts.length > 0) {
      closeHint();
      const current = parts[parts.length - 1];
      hint = {
        number: current.hints.length + 1,
        title: heading[1].replace(/^Hint\s+\d+\s*[:.—–-]\s*/i, ""),
        lines: [],
      };
    } else if (hint) {
      hint.lines.push(line);
    } else if (parts.length > 0 && (TESTS_LINE.test(line.trim()) || (testsLine && line.trim() !== ""))) {
      testsLine = `${testsLine ?? ""} ${line.trim()}`;
      parts[parts.length - 1].tests = quoted(TESTS_LINE.exec(testsLine.trim())?.[1] ?? "");
      continue;
    }
    testsLine = undefined;
  }
  closeHint();
  return parts;
}

/** `"a", "b, c"` -> ["a", "b, c"] */
function quoted(list: string): string[] {
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

/** The hints of `lesson`, from its hints.md; none when it has no such file. */
export function lessonHints(lesson: Lesson, root = ROOT): HintPart[] {
  const file = path.join(root, hintsPath(lesson));
  return existsSync(file) ? parseHints(readFileSync(file, "utf8")) : [];
}

/** The top-level describe block of a test named "describe › inner › test". */
export function describeOf(testName: string): string {
  return testName.split(" › ")[0];
}

/** The part that helps with the test named `testName`, if any. */
export function partFor(parts: HintPart[], testName: string): HintPart | undefined {
  const block = describeOf(testName);
  return parts.find((part) => part.tests.includes(block));
}

/**
 * What is wrong with a lesson's hints, given the names of all its tests ("describe › ... › test"): every
 * top-level describe block must belong to exactly one part, so that every failing test leads to a hint, and
 * every part must name blocks that exist and hold at least one hint.
 */
export function hintProblems(file: string, parts: HintPart[], testNames: string[]): string[] {
  if (parts.length === 0) return [`${file} has no hints: add the file, one "## part" per group of describe blocks.`];
  const blocks = [...new Set(testNames.map(describeOf))];
  const problems: string[] = [];
  for (const part of parts) {
    if (part.hints.length === 0) problems.push(`${file}: the part "${part.title}" has no "### Hint 1: ..." under it.`);
    for (const name of part.tests.filter((t) => !blocks.includes(t))) {
      problems.push(
        `${file}: the part "${part.title}" names "${name}", which is no describe block of the lesson's tests.`,
      );
    }
  }
  for (const block of blocks) {
    const owners = parts.filter((part) => part.tests.includes(block)).map((part) => `"${part.title}"`);
    if (owners.length !== 1) {
      problems.push(
        owners.length === 0
          ? `${file}: no part helps with the tests of "${block}": name it in a part's Tests: line.`
          : `${file}: "${block}" is named by ${owners.length} parts (${owners.join(", ")}): keep it in one.`,
      );
    }
  }
  return problems;
}
