/**
 * What the guided mode shows, as a pure function of its state and the terminal's size: the whole screen is
 * drawn again after every change (nothing scrolls away), so it must fit. Long messages and hints are wrapped
 * and cut to the rows left; every line is cut to the width. Without colour (NO_COLOR, or not a terminal) the
 * text is plain ASCII, as the dashboard's.
 */

import { shortTitle } from "../lib/lessons";
import type { TestResult } from "../lib/vitest";
import { isDone, type LessonProgress } from "./dashboard";
import { failureFrames } from "./failure-frames";
import { type GuidedState, isStale, progressOf } from "./guided-state";
import { type Paint, paint } from "./terminal";

export interface ScreenSize {
  width: number;
  height: number;
}

type Style = keyof Paint;
interface Segment {
  text: string;
  style?: Style;
}
type Line = Segment[];

/** Lines of one part of the screen: the first `keep` are shown whenever they fit, the rest if rows are left. */
interface Block {
  lines: Line[];
  keep: number;
  /** Replaces the last line shown when the block is cut. */
  more?: string;
  /** Gets spare rows only after the other blocks. */
  spareLast?: boolean;
}

const line = (text: string, style?: Style): Line => [{ text, style }];
const id = (number: number) => String(number).padStart(2, "0");

/** The screen as lines, at most `size.height` of them, each at most `size.width - 1` characters wide. */
export function renderScreen(state: GuidedState, size: ScreenSize, color: boolean): string[] {
  const width = Math.max(size.width - 1, 20);
  const progress = progressOf(state);
  const footer = state.view === "list" ? listKeys(color) : "n next  p previous  l list  h hint  r re-run  q quit";
  const blocks =
    state.current === -1
      ? [{ lines: [line("Checking your code in src/ against every lesson...")], keep: 1 }]
      : state.view === "list"
        ? [listBlock(state, progress, color)]
        : lessonBlocks(state, progress, color, width);
  const top = [...brokenBlocks(state, progress, width, color), titleBlock(state, progress, color)];
  const body = layout([...top, ...blocks], Math.max(size.height - 1, 1));
  const rows = [...body, ...Array<Line>(Math.max(size.height - 1 - body.length, 0)).fill([]), line(footer, "dim")];
  const p = paint(color);
  const cut = color ? "…" : "~";
  return rows.map((row) =>
    clip(row, width, cut)
      .map((s) => (s.style ? p[s.style](s.text) : s.text))
      .join(""),
  );
}

/** Before anything else: the lessons that passed and fail since a save. */
function brokenBlocks(state: GuidedState, progress: LessonProgress[], width: number, color: boolean): Block[] {
  const broken = state.lessons.filter((l) => state.broken.includes(l.id));
  if (broken.length === 0) return [];
  const numbers = broken.map((l) => id(l.number));
  const which = numbers.length === 1 ? `lesson ${numbers[0]}` : `lessons ${numbers.join(", ")}`;
  const failure = progress[state.lessons.indexOf(broken[0])].failures[0];
  return [
    {
      lines: [
        line(`! Your last save broke ${which}, which passed before:`, "red"),
        ...(failure ? failureLines(failure, width, "  ", color) : []),
        [],
      ],
      keep: 4,
    },
  ];
}

function titleBlock(state: GuidedState, progress: LessonProgress[], color: boolean): Block {
  const status = state.running ? "checking..." : "watching src/ for saves";
  const done = progress.filter(isDone).length;
  const cells: Line = state.lessons.flatMap((lesson, i) => {
    const mark = state.broken.includes(lesson.id)
      ? ["!", "red"]
      : isDone(progress[i])
        ? [color ? "✓" : "+", isStale(state, lesson) ? "dim" : "green"]
        : [color ? "·" : "-", "dim"];
    const cell: Segment = { text: `${mark[0]}${id(lesson.number)}`, style: mark[1] as Style };
    const current = i === state.current && state.view === "lesson";
    return [{ text: current ? "[" : " " }, current ? { ...cell, style: "bold" } : cell, { text: current ? "]" : " " }];
  });
  return {
    lines: [
      [
        { text: "Backprop from Scratch, guided", style: "bold" },
        { text: `   ${status}`, style: "dim" },
      ],
      [...cells, { text: `  ${done} of ${state.lessons.length} done` }],
      [],
    ],
    keep: 3,
  };
}

function lessonBlocks(state: GuidedState, progress: LessonProgress[], color: boolean, width: number): Block[] {
  const lesson = state.lessons[state.current];
  const own = progress[state.current];
  const finished = state.finished.map(({ lessonId, skipped }) => {
    const number = lessonId.slice(-2);
    const text = skipped
      ? `Lesson ${number} already passes: skipped.`
      : `Lesson ${number} done: you wrote ${state.work[lessonId] ?? "its code"}.`;
    return wrap(`${color ? "✓" : "*"} ${text}`, width, "  ").map((l) => line(l, "green"));
  });
  const count = isStale(state, lesson) && state.running ? "checking..." : `${own.passed}/${own.total} tests pass`;
  const blocks: Block[] = [
    { lines: finished.length > 0 ? [...finished.flat(), []] : [], keep: 2, more: "  ...", spareLast: true },
    {
      lines: [[{ text: lesson.title, style: "bold" }, { text: `   ${count}` }], line(`Read ${lesson.readme}`), []],
      keep: 3,
    },
  ];
  if (state.errors.length > 0) {
    blocks.push({ lines: wrap(`Vitest: ${state.errors[0]}`, width).map((l) => line(l, "red")), keep: 2 });
  }
  const failure = own.failures[0];
  if (progress.every((p, i) => p.total === 0 || (isDone(p) && !isStale(state, state.lessons[i])))) {
    blocks.push({
      lines: [line("Every lesson passes. Well done: you built backprop from scratch.", "green")],
      keep: 1,
    });
  } else if (failure) {
    blocks.push({ lines: [...failureLines(failure, width, "", color), []], keep: 3, more: "  ..." });
  } else if (isDone(own)) {
    blocks.push({ lines: [line(`All ${own.total} tests of this lesson pass.`, "green"), []], keep: 1 });
  }
  const hint = state.hint;
  if (hint?.lessonId === lesson.id) {
    const number = id(lesson.number);
    blocks.push(
      hint.count === 0
        ? { lines: wrap(hint.note ?? "", width).map((l) => line(l)), keep: 1 }
        : {
            lines: [
              ...wrap(`Hint ${hint.number} of ${hint.count} for "${hint.part}": ${hint.title}`, width).map((l) =>
                line(l, "bold"),
              ),
              ...reflow(hint.body).flatMap((l) => wrap(l, width).map((w) => line(w))),
            ],
            keep: 2,
            more: `... (cut to fit: npm run hint -- ${number} --all shows every hint in full)`,
          },
    );
  }
  return blocks;
}

/** The test's name, where it points and its message, wrapped to the width. */
function failureLines(failure: TestResult, width: number, indent: string, color: boolean): Line[] {
  const message = failure.message
    .split("\n")
    .filter((l) => l.trim() !== "")
    .flatMap((l) => wrap(l, width - indent.length - 2));
  return [
    ...wrap(`${indent}${color ? "✗" : "x"} ${failure.name}`, width, `${indent}  `).map((l) => line(l, "red")),
    ...failureFrames(failure, failure.lesson, color ? "◀" : "<-").flatMap((l, i) =>
      wrap(`${indent}  ${l}`, width, `${indent}     `).map((w) => line(w, i === 0 ? "bold" : undefined)),
    ),
    ...message.map((l) => line(`${indent}  ${l}`)),
  ];
}

function listBlock(state: GuidedState, progress: LessonProgress[], color: boolean): Block {
  const titleWidth = Math.max(...state.lessons.map((l) => shortTitle(l).length));
  const rows = state.lessons.map((lesson, i) => {
    const p = progress[i];
    const status = state.broken.includes(lesson.id)
      ? "broken by a save"
      : isStale(state, lesson)
        ? "not checked since your last save"
        : isDone(p)
          ? "done"
          : "";
    const cursor = i === state.cursor;
    const text = `${cursor ? ">" : " "} ${id(lesson.number)}  ${shortTitle(lesson).padEnd(titleWidth)}  ${`${p.passed}/${p.total}`.padStart(5)}  ${status}`;
    return line(text.trimEnd(), cursor ? "bold" : isDone(p) ? "green" : undefined);
  });
  const header = line(color ? "Pick a lesson (↑ ↓ Enter):" : "Pick a lesson (up, down, Enter):");
  return { lines: [header, [], ...rows], keep: rows.length + 2 };
}

function listKeys(color: boolean): string {
  return `${color ? "↑ ↓" : "up down"} choose  Enter open  Esc back  q quit`;
}

/** Shows the blocks in order, each cut to what fits in `rows`: kept lines first, then spare rows top-down. */
function layout(blocks: Block[], rows: number): Line[] {
  const shown = blocks.map((b) => Math.min(b.lines.length, b.keep));
  let spare = rows - shown.reduce((sum, n) => sum + n, 0);
  for (const last of [false, true]) {
    blocks.forEach((b, i) => {
      if ((b.spareLast ?? false) !== last) return;
      const more = Math.max(Math.min(b.lines.length - shown[i], spare), 0);
      shown[i] += more;
      spare -= more;
    });
  }
  return blocks
    .flatMap((b, i) => {
      if (shown[i] >= b.lines.length || shown[i] === 0) return b.lines.slice(0, shown[i]);
      return [...b.lines.slice(0, shown[i] - 1), line(b.more ?? "...", "dim")];
    })
    .slice(0, rows);
}

/**
 * Markdown's lines as the reader sees them: the lines of a paragraph or a list item joined, so that they can
 * be wrapped to the terminal's width; code, tables and headings as they are.
 */
export function reflow(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  let joinable = false;
  for (const raw of markdown.split("\n")) {
    const text = raw.trimEnd();
    if (text.trimStart().startsWith("```")) fenced = !fenced;
    const own = fenced || text.trimStart().startsWith("```") || /^\s*(\||#)/.test(text);
    if (joinable && !own && text.trim() !== "" && !/^\s*([-*+]|\d+[.)])\s/.test(text)) {
      lines[lines.length - 1] += ` ${text.trim()}`;
      continue;
    }
    lines.push(text);
    joinable = !own && text.trim() !== "";
  }
  return lines;
}

/**
 * `text` broken into lines of at most `width` characters, at spaces where possible. Continuation lines start
 * with `hang`, by default the first line's indentation (code in hints), up to half the width.
 */
export function wrap(text: string, width: number, hang?: string): string[] {
  const lines: string[] = [];
  let rest = text.trimEnd();
  const lead = Math.min((hang ?? rest.slice(0, rest.length - rest.trimStart().length)).length, Math.floor(width / 2));
  while (rest.length > width) {
    const space = rest.lastIndexOf(" ", width);
    const cut = space > lead ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = `${" ".repeat(lead)}${rest.slice(cut).trimStart()}`;
  }
  lines.push(rest);
  return lines;
}

/** The segments of a line cut to `width` characters, the cut marked with `cut`. */
function clip(row: Line, width: number, cut: string): Line {
  const out: Line = [];
  let left = width;
  for (const segment of row) {
    if (segment.text.length <= left) {
      out.push(segment);
      left -= segment.text.length;
      continue;
    }
    if (left > 0) out.push({ ...segment, text: `${segment.text.slice(0, left - 1)}${cut}` });
    break;
  }
  return out;
}
