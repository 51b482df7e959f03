/**
 * The message a starter stub throws, written and recognised in one place: the generator writes it, and the
 * lesson setup, the grader and the bench recognise it to tell "not written yet" from "written wrong".
 */

const NOT_DONE = "is not done yet: write this part of";

/** "lesson-03 is not done yet: write this part of src/engine.ts. Read lessons/lesson-03-topo-sort/README.md." */
export function stubMessage(lessonId: string, file: string, readme: string): string {
  return `${lessonId} ${NOT_DONE} src/${file}. Read ${readme}.`;
}

/** The lesson whose stub threw `message` ("lesson-03"), or undefined when it is not a stub's message. */
export function stubbedLesson(message: string): string | undefined {
  return new RegExp(`(lesson-\\d\\d) ${NOT_DONE} `).exec(message)?.[1];
}
