/**
 * The course check that every command a lesson text gives the learner works on a copy solved up to that lesson
 * (scripts/maintain/lesson-commands.ts; course:check runs it on every lesson). Here: reading the commands, telling
 * the learner's from the reference's, and what counts as working.
 */
import { describe, expect, it } from "vitest";
import { lessonCommands, runLessonCommand, runsLearnerCode } from "../scripts/maintain/lesson-commands";

describe("lessonCommands", () => {
  it("reads each line of a sh block without its comment, and each inline npm or npx command, once", () => {
    const text = [
      "Run `npx vitest lesson-03`, or `npm run hint -- 03` when stuck; `src/engine.ts` is no command.",
      "",
      "```sh",
      "npm run experiments -- --target src    # your own code",
      "npx vitest lesson-03",
      "```",
      "",
      "```ts skip-check: not a shell",
      "npm run nothing",
      "```",
    ].join("\n");
    expect(lessonCommands(text, "R.md")).toEqual([
      { command: "npx vitest lesson-03", where: "R.md:1" },
      { command: "npm run hint -- 03", where: "R.md:1" },
      { command: "npm run experiments -- --target src", where: "R.md:4" },
    ]);
  });
});

describe("runsLearnerCode", () => {
  it("is true of the commands that run src/: vitest, the learner's scripts, anything told --target src", () => {
    const learner = [
      "npx vitest lesson-01",
      "npx vitest run lesson-01",
      "npm start",
      "npm run lesson -- 3",
      "npm run hint -- 3",
      "npm run ui",
      "npm run experiments -- --target src",
      "npm run measure -- --lesson 12 --target src",
      "npm run site:serve -- --target src",
    ];
    const reference = [
      "npm test",
      "npm run experiments",
      "npm run measure -- --lesson 12",
      "npm run bench",
      "npx vitest --mode solutions",
    ];
    expect(learner.filter((c) => !runsLearnerCode(c))).toEqual([]);
    expect(reference.filter(runsLearnerCode)).toEqual([]);
  });
});

describe("runLessonCommand", () => {
  const node = (code: string) => `node -e ${JSON.stringify(code)}`;
  it("works when the command exits with 0, fails otherwise, with what it printed", async () => {
    expect(await runLessonCommand(node("console.log('fine')"), process.cwd())).toMatchObject({ ok: true });
    const failed = await runLessonCommand(
      node("console.error('stopped: lesson-15 is not done'); process.exit(1)"),
      process.cwd(),
    );
    expect(failed.ok).toBe(false);
    expect(failed.output).toContain("stopped: lesson-15 is not done");
  });

  it("runs without a terminal and without standard input, as CI=true", async () => {
    const outcome = await runLessonCommand(
      node("console.log(process.env.CI, process.stdin.isTTY ?? 'no tty')"),
      process.cwd(),
    );
    expect(outcome.output.trim()).toBe("true no tty");
  });

  it("counts a server as working once it prints its address, and stops it", async () => {
    const server = node("console.log('Serving at http://127.0.0.1:4173/'); setInterval(() => {}, 1000)");
    const outcome = await runLessonCommand(server, process.cwd(), 20_000);
    expect(outcome).toMatchObject({ ok: true });
    expect(outcome.seconds).toBeLessThan(20);
  });

  it("stops a command that hangs, and says so", async () => {
    const outcome = await runLessonCommand(node("setInterval(() => {}, 1000)"), process.cwd(), 1500);
    expect(outcome.ok).toBe(false);
    expect(outcome.output).toContain("(stopped after 1.5 s)");
  });
});
