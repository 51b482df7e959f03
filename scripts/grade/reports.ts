/**
 * The grader's reports, as strings (the caller writes them):
 *   <learner>.json  the results GitHub Classroom's grading reporter reads (classroom.ts)
 *   <learner>.md    feedback for the learner: per lesson the score and each failing test's name and message
 *   <learner>.xml   JUnit XML, for CI dashboards
 *   gradebook.csv   one row per learner: points per lesson and the total
 * Bonus lessons (graded with --bonus) are reported on their own: the core's total and max stay 100.
 * Messages come from assertions and errors, never from test code. Everything a submission can put in a
 * report (its folder's name, its error messages, the names of its files) is cleaned first: control
 * characters and terminal escape sequences dropped, and in markdown every character with a meaning
 * escaped, so feedback shows the text as written and never runs or renders it.
 */
import { stripVTControlCharacters } from "node:util";
import { clipText, LIMITS } from "./bounds";
import { type Grade, type LessonGrade, points } from "./score";

/**
 * Text without terminal escape sequences, control characters (newlines and tabs kept), bidirectional
 * overrides (which reorder how text reads), and without a "::" at a line's start (a GitHub Actions command
 * when a log prints it).
 */
export function cleanText(text: string): string {
  return Array.from(stripVTControlCharacters(text).replace(/\r\n?/g, "\n"))
    .filter((ch) => !isHidden(ch.codePointAt(0) ?? 0))
    .join("")
    .replace(/^::/gm, ": :");
}

/** Control characters (but newline and tab), DEL, C1 controls, and the marks that reorder bidirectional text. */
export function isHidden(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x0a && code !== 0x09) ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x200e ||
    code === 0x200f ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** One line of text for a terminal or a table cell: cleaned, newlines and tabs as spaces. */
export function oneLine(text: string): string {
  return cleanText(text).replace(/[\n\t]+/g, " ");
}

/** Cleaned text that markdown shows as written: markdown's and HTML's special characters escaped. */
export function markdownText(text: string): string {
  // A list marker or a heading underline only means something at the start of a line.
  return cleanText(text)
    .split("\n")
    .map((line) => markdownInline(line).replace(/^(\s*)([-+=]|\d+[.)])/, "$1\\$2"))
    .join("\n");
}

/** The same, for text inside a line (a title, a table cell): on one line, nothing to do at line starts. */
export function markdownInline(text: string): string {
  return oneLine(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\\`*_[\]#|~]/g, "\\$&");
}

/** A test's message, cut at its limit (a huge diff, a flood of output) with a count of what was left out. */
const clip = (text: string) => clipText(text, LIMITS.messageChars);

/** "lesson-03", or "lesson-12 (bonus)". */
export function lessonName(lesson: LessonGrade): string {
  return lesson.bonus ? `${lesson.id} (bonus)` : lesson.id;
}

/** " + 12.5 / 15 bonus" after the total, when bonus lessons were graded. */
function bonusText(grade: Grade): string {
  return grade.bonus ? ` + ${points(grade.bonus.score)} / ${points(grade.bonus.max)} bonus` : "";
}

function lessonLine(lesson: LessonGrade): string {
  return `${points(lesson.score)} / ${points(lesson.max)} points, ${lesson.passed} of ${lesson.total} tests pass`;
}

/** Markdown feedback for the learner. */
export function feedbackMarkdown(grade: Grade): string {
  const out: string[] = [
    `# Grade for ${markdownInline(grade.learner)}: ${points(grade.score)} / ${points(grade.max)}${bonusText(grade)}`,
    "",
  ];
  if (grade.notes.length > 0) {
    out.push(
      "## About this submission",
      "",
      ...grade.notes.map((n) => `- ${markdownText(n).replace(/\n/g, "  \n  ")}`),
      "",
    );
  }
  out.push("| Lesson | Points | Tests |", "| --- | ---: | ---: |");
  for (const l of grade.lessons) {
    out.push(
      `| ${lessonName(l)} ${markdownInline(l.title)} | ${points(l.score)} / ${points(l.max)} | ${l.passed} / ${l.total} |`,
    );
  }
  out.push("");
  if (grade.bonus) {
    out.push(
      `The bonus lessons add ${points(grade.bonus.score)} of their ${points(grade.bonus.max)} points on top of the ${points(grade.max)}.`,
      "",
    );
  }
  for (const lesson of grade.lessons) {
    out.push(
      `## ${lessonName(lesson)}: ${lesson.title}`,
      "",
      `${lessonLine(lesson)}.${lesson.isolated ? " (Graded in isolation: every other lesson used the reference code.)" : ""}`,
      "",
    );
    for (const reason of lesson.reasons) out.push(`> ${markdownText(reason).replace(/\n/g, "  \n> ")}`, "");
    const failing = lesson.tests.filter((t) => t.status === "failed");
    if (failing.length === 0) {
      out.push("All tests pass.", "");
      continue;
    }
    out.push("Failing tests:", "");
    // Tests that fail for the same reason (a stub, a timeout) share one message.
    const byMessage = new Map<string, string[]>();
    for (const t of failing) byMessage.set(t.message, [...(byMessage.get(t.message) ?? []), t.name]);
    for (const [message, names] of byMessage) {
      for (const name of names) out.push(`- **${markdownInline(name)}**`);
      // In a fenced block nothing is rendered; a fence inside the message cannot close it early.
      const text = clip(cleanText(message)).trim();
      if (text)
        out.push("", "  ```text", ...text.split("\n").map((m) => `  ${m.replace(/`{3,}|~{3,}/g, "ʼʼʼ")}`), "  ```", "");
    }
    out.push("");
  }
  out.push(`Run a lesson's tests yourself with \`npx vitest lesson-NN\`.`, "");
  return out.join("\n");
}

/** Drops characters XML 1.0 cannot hold (control characters a hostile submission may print), then escapes. */
export function xmlEscape(text: string): string {
  return Array.from(cleanText(text))
    .filter((ch) => {
      const c = ch.codePointAt(0) ?? 0;
      return (
        c === 0x9 ||
        c === 0xa ||
        c === 0xd ||
        (c >= 0x20 && c <= 0xd7ff) ||
        (c >= 0xe000 && c !== 0xfffe && c !== 0xffff)
      );
    })
    .join("")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** JUnit XML: one testsuite per lesson, one testcase per test. */
export function junitXml(grade: Grade): string {
  const failures = (l: LessonGrade) => l.total - l.passed;
  const total = grade.lessons.reduce((s, l) => s + l.total, 0);
  const failed = grade.lessons.reduce((s, l) => s + failures(l), 0);
  const seconds = (grade.durationMs / 1000).toFixed(3);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(grade.learner)}" tests="${total}" failures="${failed}" errors="0" time="${seconds}">`,
  ];
  for (const lesson of grade.lessons) {
    out.push(
      `  <testsuite name="${xmlEscape(`${lesson.id} ${lesson.title}`)}" tests="${lesson.total}" failures="${failures(lesson)}" errors="0">`,
    );
    out.push(
      `    <properties><property name="points" value="${points(lesson.score)}"/><property name="max_points" value="${points(lesson.max)}"/></properties>`,
    );
    for (const t of lesson.tests) {
      const open = `    <testcase classname="${xmlEscape(lesson.id)}" name="${xmlEscape(t.name)}" file="${xmlEscape(t.file)}"`;
      if (t.status === "passed") {
        out.push(`${open}/>`);
      } else {
        const message = clip(t.message);
        out.push(
          `${open}>`,
          `      <failure message="${xmlEscape(message.split("\n")[0] ?? "")}">${xmlEscape(message)}</failure>`,
          "    </testcase>",
        );
      }
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>", "");
  return out.join("\n");
}

/** One CSV field, quoted when needed; a leading = + - @ is defused so a spreadsheet does not run it. */
export function csvField(value: string | number): string {
  let text = typeof value === "string" ? oneLine(value) : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * `learner,source,lesson-01,...,total`, one row per learner (and the folder graded), points as numbers; a `bonus`
 * column when bonus lessons were graded.
 */
export function gradebookCsv(grades: Grade[], lessonIds: string[]): string {
  const withBonus = grades.some((g) => g.bonus);
  const rows = [["learner", "source", ...lessonIds, "total", ...(withBonus ? ["bonus"] : [])].map(csvField).join(",")];
  for (const grade of grades) {
    const byId = new Map(grade.lessons.map((l) => [l.id, l]));
    const cells = lessonIds.map((id) => {
      const lesson = byId.get(id);
      return lesson ? points(lesson.score) : "";
    });
    const bonus = withBonus ? [grade.bonus ? points(grade.bonus.score) : ""] : [];
    rows.push([csvField(grade.learner), csvField(grade.source), ...cells, points(grade.score), ...bonus].join(","));
  }
  return `${rows.join("\n")}\n`;
}
