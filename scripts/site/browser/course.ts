/**
 * What both interactive pages share: where the compiled course modules are, the lessons (for links), and the
 * friendly notice shown when the code stops at a lesson the learner has not written yet.
 */
import { stubbedLesson } from "../../lib/stub-message";

export interface LessonLink {
  id: string;
  number: number;
  title: string;
  /** The lesson's page, relative to the current page. */
  href: string;
}

/** The page says where it was built from: `data-course` (the modules' folder) and `data-target` ("solutions"). */
export function courseUrl(): string {
  return new URL(document.body.dataset.course ?? "", location.href).href;
}

export function courseTarget(): string {
  return document.body.dataset.target ?? "solutions";
}

/** Imports one compiled course module by name ("engine"). */
export function loadCourseModule<T>(name: string): Promise<T> {
  return import(`${courseUrl()}${name}.mjs`) as Promise<T>;
}

/** The lessons, written into the page at build time. */
export function pageLessons(): LessonLink[] {
  return JSON.parse(document.getElementById("course-lessons")?.textContent ?? "[]") as LessonLink[];
}

/** The lesson whose stub threw `error`, if it was one. */
export function stubLesson(error: unknown): string | undefined {
  return stubbedLesson(error instanceof Error ? error.message : String(error));
}

/**
 * Fills `notice` with "finish lesson NN first": where the code stopped, the stub's own message, and how to carry
 * on. `alternative` is a way round it that the page offers, if any ("Or choose plain SGD.").
 */
export function showStubNotice(notice: HTMLElement, lessonId: string, message: string, alternative = ""): void {
  const lesson = pageLessons().find((l) => l.id === lessonId);
  const number = lessonId.slice(-2);
  const target = courseTarget();
  const done = element("p", `When lesson ${number}'s tests pass (`);
  done.append(
    element("code", `npx vitest ${lessonId}`),
    "), build the site again with ",
    element("code", `npm run site -- --target ${target}`),
    ` and reload this page. ${alternative ? `${alternative} ` : ""}`,
  );
  if (lesson) {
    const link = element("a", `Lesson ${number}: ${lesson.title}`);
    link.href = lesson.href;
    done.append(link);
  }
  notice.replaceChildren(
    element("h2", `Finish lesson ${number} first`),
    element("p", `This page runs your code from ${target}/, and it stopped at a part you have not written yet:`),
    Object.assign(element("pre", message), { className: "stub-message" }),
    done,
  );
  notice.hidden = false;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.textContent = text;
  return node;
}
