/**
 * The exercise-region markers, parsed in one place for every script that needs them
 * (starter generator, course checks, reset/solve, grading).
 *
 *     // BEGIN lesson-02
 *     ...the code the learner writes...
 *     // END lesson-02
 *
 * A file is a list of segments: plain code, copied as is, and regions, one lesson each.
 */

export interface CodeSegment {
  kind: "code";
  lines: string[];
}

export interface RegionSegment {
  kind: "region";
  lesson: string;
  /** The BEGIN and END lines themselves, kept verbatim. */
  begin: string;
  end: string;
  /** 1-based line number of the BEGIN marker. */
  line: number;
  /** The leading white space of the BEGIN marker, used to indent a stub. */
  indent: string;
  body: string[];
}

export type Segment = CodeSegment | RegionSegment;

/** A malformed marker, reported as `file:line: message` like a compiler would. */
export class MarkerError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = "MarkerError";
  }
}

// Anything that looks like a marker is checked strictly, so a typo is an error rather than plain code.
const LOOKS_LIKE_MARKER = /^\s*\/\/\s*(BEGIN|END)\b/i;
const MARKER = /^(\s*)\/\/ (BEGIN|END) (lesson-\d\d)\s*$/;

/**
 * Splits `text` into code and regions. `lessons` are the lesson ids that exist (like "lesson-03");
 * a marker naming any other lesson is an error, as are unclosed, nested, mismatched and empty regions.
 */
export function parseRegions(text: string, file: string, lessons: ReadonlySet<string>): Segment[] {
  const segments: Segment[] = [];
  let code: string[] = [];
  let open: RegionSegment | undefined;

  text.split("\n").forEach((lineText, index) => {
    const line = index + 1;
    if (!LOOKS_LIKE_MARKER.test(lineText)) {
      (open ? open.body : code).push(lineText);
      return;
    }
    const match = MARKER.exec(lineText);
    if (!match) {
      throw new MarkerError(
        file,
        line,
        `malformed marker "${lineText.trim()}": write "// BEGIN lesson-NN" or "// END lesson-NN".`,
      );
    }
    const [, indent, kind, lesson] = match;
    if (!lessons.has(lesson)) {
      throw new MarkerError(file, line, `unknown lesson "${lesson}": there is no lessons/${lesson}-* folder.`);
    }
    if (kind === "BEGIN") {
      if (open) {
        throw new MarkerError(
          file,
          line,
          `BEGIN ${lesson} inside the region ${open.lesson} opened at line ${open.line}: regions cannot nest.`,
        );
      }
      segments.push({ kind: "code", lines: code });
      code = [];
      open = { kind: "region", lesson, begin: lineText, end: "", line, indent, body: [] };
      return;
    }
    if (!open) {
      throw new MarkerError(file, line, `END ${lesson} without a BEGIN before it.`);
    }
    if (open.lesson !== lesson) {
      throw new MarkerError(
        file,
        line,
        `END ${lesson} closes the region BEGIN ${open.lesson} opened at line ${open.line}.`,
      );
    }
    if (open.body.every((l) => l.trim() === "")) {
      throw new MarkerError(file, open.line, `the region ${lesson} is empty.`);
    }
    open.end = lineText;
    segments.push(open);
    open = undefined;
  });

  if (open) {
    throw new MarkerError(file, open.line, `BEGIN ${open.lesson} is never closed with "// END ${open.lesson}".`);
  }
  segments.push({ kind: "code", lines: code });
  return segments;
}

/** Writes segments back to text; `body` chooses each region's body (its own by default). */
export function renderSegments(segments: Segment[], body: (region: RegionSegment) => string[] = (r) => r.body): string {
  return segments.flatMap((s) => (s.kind === "code" ? s.lines : [s.begin, ...body(s), s.end])).join("\n");
}

/** The regions of a parsed file. */
export function regionsOf(segments: Segment[]): RegionSegment[] {
  return segments.filter((s): s is RegionSegment => s.kind === "region");
}

/**
 * The lesson whose region holds line `line` (1-based) of `text`, or undefined for code outside every region.
 * Forgiving where `parseRegions` is strict: it reads a learner's file as it is now, markers broken or not.
 */
export function regionAt(text: string, line: number): string | undefined {
  let open: string | undefined;
  for (const [index, lineText] of text.split("\n").slice(0, line).entries()) {
    const marker = MARKER.exec(lineText);
    if (index === line - 1) return marker ? undefined : open;
    if (marker) open = marker[2] === "BEGIN" ? marker[3] : undefined;
  }
  return undefined;
}
