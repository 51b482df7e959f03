/**
 * Where a failure points in the learner's code, for the guided mode and the dashboard: the innermost frames of
 * the stack in src/, each with whose code it is, and the frames in the lesson being worked on marked. A mistake is
 * often one call away from where the error is thrown: a `log` of 0 throws inside log's check in the engine, but
 * the line to fix is the loss that called it.
 */
import type { TestResult } from "../lib/vitest";

/** The lines that say where `failure` points, `lessonId` being the lesson on screen; the first starts with "at". */
export function failureFrames(failure: TestResult, lessonId: string, arrow = "◀"): string[] {
  const frames = failure.frames ?? [];
  if (frames.length === 0) return failure.location ? [`at ${failure.location}`] : [];
  const places = frames.map((f) => `${f.file}:${f.line}:${f.column}`);
  const width = Math.max(...places.map((p) => p.length));
  return frames.map((frame, i) => {
    const where = `${i === 0 ? "at" : "  "} ${places[i].padEnd(width)}`;
    const fn = frame.fn ? ` ${frame.fn}` : "";
    const whose =
      frame.lesson === undefined
        ? "provided code"
        : frame.lesson === lessonId
          ? `your ${frame.lesson} code ${arrow} this lesson`
          : `your ${frame.lesson} code`;
    return `${where}${fn} (${whose})`;
  });
}
