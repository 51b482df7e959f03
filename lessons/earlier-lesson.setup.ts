/**
 * Test setup for the lessons (vitest's `setupFiles`). A lesson's tests build on the lessons before it:
 * on a fresh starter, lesson 03's tests stop at `new Value(...)`, whose stub is lesson 01's. The stub's
 * message is right but says nothing of the lesson being run, so here a failure caused by an earlier
 * lesson's stub says both: which lesson to finish first, and where to come back to.
 */
import { beforeEach } from "vitest";
import { stubbedLesson } from "../scripts/lib/stub-message";

const LESSON_FILE = /lessons\/((lesson-\d\d)-[^/]+)\//;

beforeEach(({ task, onTestFailed }) => {
  const lesson = LESSON_FILE.exec(task.file?.name ?? "");
  if (!lesson) return;
  const [, folder, current] = lesson;
  onTestFailed(({ task: failed }) => {
    for (const error of failed.result?.errors ?? []) {
      const earlier = stubbedLesson(error.message ?? "");
      if (!earlier || earlier >= current) continue;
      const explained =
        `${current} builds on ${earlier}, which is not done yet. ${error.message} ` +
        `Then come back to lessons/${folder}/README.md.`;
      error.stack = error.stack?.replace(error.message, explained);
      error.message = explained;
    }
  });
});
