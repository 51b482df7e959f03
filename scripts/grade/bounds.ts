/**
 * How much of what a submission controls the grader keeps for a report: its file names, its error messages,
 * what it printed. Each part is cut at its own limit, and what was cut is counted, so a report says what it
 * left out ("... and 19,994 more", "... (3,200 more characters)") and never grows with the submission.
 */

/** The limits, in characters or items. */
export const LIMITS = {
  /** One note about the submission (a list of its files, a gate finding, type errors). */
  noteChars: 2000,
  /** One line of a note that holds the submission's text (a gate finding, a type error). */
  lineChars: 300,
  /** Names listed in one note; the rest are counted. */
  listItems: 12,
  /** Notes about one submission (each kind of note comes at most once, or once per exercise file). */
  notes: 16,
  /** One test's message, in the learner's feedback. */
  messageChars: 800,
  /** One reason a lesson lost points (a crash's output, a load error). */
  reasonChars: 1000,
  /** What a submission's code may print before its feedback says how much it printed (all of it is dropped). */
  printedChars: 64 * 1024,
};

/** Where quiet.setup.ts leaves, in a test file's meta, how many characters its code printed (result-reporter.ts reads it). */
export const PRINTED_META = "coursePrintedCharacters";

const count = (n: number) => n.toLocaleString("en-US");

/** `text`, cut to `limit` characters, with how many were left out. */
export function clipText(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${count(text.length - limit)} more characters)` : text;
}

/** A number of characters as a size: "600 MB", "72 KB". */
export function size(characters: number): string {
  return characters >= 2 ** 20
    ? `${count(Math.round(characters / 2 ** 20))} MB`
    : `${count(Math.round(characters / 1024))} KB`;
}

/** "a, b, c and 19,988 more": the first `LIMITS.listItems` of `items` (of `total` in all), then a count of the rest. */
export function someOf(items: string[], total = items.length): string {
  const shown = items.slice(0, LIMITS.listItems);
  const rest = total - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${count(rest)} more` : shown.join(", ");
}

/** The parts of a report over their limits, described for the self-test (empty when every part is bounded). */
export function overLimits(parts: { notes: string[]; reasons: string[]; messages: string[] }): string[] {
  // A clipped text ends in "… (N more characters)": allow for that suffix.
  const slack = 40;
  const problems: string[] = [];
  if (parts.notes.length > LIMITS.notes) problems.push(`${parts.notes.length} notes, over ${LIMITS.notes}`);
  for (const [what, texts, limit] of [
    ["a note", parts.notes, LIMITS.noteChars],
    ["a reason", parts.reasons, LIMITS.reasonChars],
    ["a message", parts.messages, LIMITS.messageChars],
  ] as const) {
    const longest = Math.max(0, ...texts.map((t) => t.length));
    if (longest > limit + slack) problems.push(`${what} of ${count(longest)} characters, over ${count(limit)}`);
  }
  return problems;
}
