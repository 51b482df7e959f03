/**
 * The grader's logic (points, reports, names, which files run again, time limits, bounded feedback) on
 * fabricated results; its clean-up when stopped, and the own time its limits count, on small child processes. The grader's real runs, on the hostile fixtures of
 * tests/fixtures/grading, are `npm run grade:selftest` (too slow for npm test); GitHub Classroom's view of our
 * points is tests/grading-classroom.test.ts, the check of values tests/grading-trust.test.ts.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, onTestFinished, test } from "vitest";
import { clipText, size, someOf } from "../scripts/grade/bounds";
import { removeGroup, removeStaleGroups } from "../scripts/grade/cgroup";
import { classroomResults } from "../scripts/grade/classroom";
import { learnerNames } from "../scripts/grade/grade";
import { fileLimit, fileTimes, timeBudget } from "../scripts/grade/grader";
import { isolatedFiles } from "../scripts/grade/isolate";
import { OwnClock, ownTime, processTree, schedulerStatistics } from "../scripts/grade/own-time";
import {
  cleanText,
  csvField,
  feedbackMarkdown,
  gradebookCsv,
  junitXml,
  markdownText,
  xmlEscape,
} from "../scripts/grade/reports";
import { Budget, planFiles } from "../scripts/grade/runs";
import { detectSandbox } from "../scripts/grade/sandbox";
import {
  type CatalogueLesson,
  gradeLesson,
  NO_RESULT,
  type Observed,
  shares,
  testKey,
  totalGrade,
} from "../scripts/grade/score";
import { readSubmission } from "../scripts/grade/submission";
import { type Received, type RunOutcome, runningTooLong } from "../scripts/grade/testrun";
import { checkCsv, checkXml } from "../scripts/grade/wellformed";
import { ROOT } from "../scripts/lib/target";

const readProc = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
};

const lessonA: CatalogueLesson = {
  id: "lesson-01",
  title: "Values",
  points: 10,
  files: ["lessons/lesson-01-a/a.test.ts"],
  tests: ["adds", "multiplies", "divides"].map((name) => ({ file: "lessons/lesson-01-a/a.test.ts", name })),
};
const lessonB: CatalogueLesson = {
  id: "lesson-02",
  title: 'tanh & "friends" <3',
  points: 90,
  files: ["lessons/lesson-02-b/b.test.ts"],
  tests: [{ file: "lessons/lesson-02-b/b.test.ts", name: "squashes › big inputs" }],
};

function observed(lesson: CatalogueLesson, statuses: ("passed" | "failed" | undefined)[]): Map<string, Observed> {
  const map = new Map<string, Observed>();
  lesson.tests.forEach((t, i) => {
    const status = statuses[i];
    if (status) map.set(testKey(t.file, t.name), { status, message: status === "failed" ? "expected 6, got 5" : "" });
  });
  return map;
}

describe("points", () => {
  test("a lesson's points are shared over its tests in cents that add up exactly", () => {
    expect(shares(10, 3)).toEqual([334, 333, 333]);
    expect(shares(15, 24).reduce((a, b) => a + b, 0)).toBe(1500);
    expect(shares(5, 0)).toEqual([]);
  });

  test("partial credit: the passing tests' share of the lesson's points; a test with no result earns nothing", () => {
    const grade = gradeLesson(lessonA, observed(lessonA, ["passed", "failed", undefined]));
    expect(grade.score, "1 of 3 tests of a 10-point lesson: 3.33").toBe(333);
    expect(grade.max).toBe(1000);
    expect(grade.passed).toBe(1);
    expect(grade.tests[2].message).toBe(NO_RESULT);
  });

  test("which tests pass does not matter, only how many", () => {
    const first = gradeLesson(lessonA, observed(lessonA, ["passed", "passed", "failed"]));
    const last = gradeLesson(lessonA, observed(lessonA, ["failed", "passed", "passed"]));
    expect([first.score, last.score], "2 of 3 tests of a 10-point lesson: 6.67").toEqual([667, 667]);
  });

  test("the total adds the lessons' exact points and rounds once, as GitHub Classroom's reporter does", () => {
    const nine = {
      ...lessonA,
      id: "lesson-03",
      tests: Array.from({ length: 9 }, (_, i) => ({ file: "f", name: `t${i}` })),
    };
    const four = observed(nine, ["passed", "passed", "passed", "passed"]);
    const lessons = [gradeLesson(nine, four), gradeLesson({ ...nine, id: "lesson-04" }, four)];
    expect(
      lessons.map((l) => l.score),
      "4 of 9 tests of 10 points: 4.444… shown as 4.44",
    ).toEqual([444, 444]);
    expect(totalGrade("ada", "x", lessons, [], 0).score, "8.888… rounds to 8.89").toBe(889);
  });

  test("a lesson where every test hits the starter's stub is explained as not started", () => {
    const stub = new Map(
      lessonA.tests.map((t) => [
        testKey(t.file, t.name),
        { status: "failed" as const, message: "lesson-01 is not done yet: write this part of src/engine.ts." },
      ]),
    );
    expect(gradeLesson(lessonA, stub).reasons.join()).toMatch(/Not started/);
  });

  test("every test passing gives exactly 100", () => {
    const grade = totalGrade(
      "ada",
      "x",
      [
        gradeLesson(lessonA, observed(lessonA, ["passed", "passed", "passed"])),
        gradeLesson(lessonB, observed(lessonB, ["passed"])),
      ],
      [],
      1000,
    );
    expect(grade.score).toBe(10000);
    expect(grade.max).toBe(10000);
  });
});

describe("reports", () => {
  const grade = totalGrade(
    '=ada, "the" learner',
    "x",
    [
      gradeLesson(lessonA, observed(lessonA, ["passed", "failed", "passed"]), ["Stopped after 15 s\u0007 <loop>"]),
      gradeLesson(lessonB, observed(lessonB, ["failed"])),
    ],
    ["Ignored the submission's own vitest.config.ts"],
    1234,
  );

  test("the Classroom results: one runner per lesson, with the lesson's points as max_score", () => {
    const results = classroomResults(grade);
    expect(Object.keys(results)).toEqual(["lesson01", "lesson02"]);
    expect(results.lesson01).toMatchObject({ version: 1, status: "fail", max_score: 10 });
    expect(results.lesson02).toMatchObject({ version: 1, status: "fail", max_score: 90 });
    expect(results.lesson01.tests).toHaveLength(3);
    expect(results.lesson01.tests[0]).toMatchObject({ name: "lesson-01 › adds", status: "pass", score: 3.34 });
    expect(results.lesson01.tests[1]).toMatchObject({ status: "fail", score: 0, message: "expected 6, got 5" });
    expect(results.lesson01.tests[2], "2 of 3 pass: 6.67 in cents, the odd cent to the first").toMatchObject({
      score: 3.33,
    });
    const scores = Object.values(results).flatMap((r) => r.tests.map((t) => t.score));
    expect(scores.reduce((a, b) => a + b, 0)).toBe(6.67);
  });

  test("the feedback gives each lesson's score, its reasons and each failing test's name and message", () => {
    const md = feedbackMarkdown(grade);
    expect(md).toMatch('# Grade for =ada, "the" learner: 6.67 / 100');
    expect(md).toMatch("Ignored the submission's own vitest.config.ts");
    expect(md).toMatch("6.67 / 10 points, 2 of 3 tests pass");
    expect(md).toMatch("> Stopped after 15 s");
    expect(md).toMatch("- **multiplies**");
    expect(md).toMatch("expected 6, got 5");
    expect(md).not.toMatch("- **adds**");
  });

  test("JUnit XML is well-formed even with quotes, ampersands and control characters", () => {
    const xml = junitXml(grade);
    expect(checkXml(xml)).toEqual([]);
    expect(xml).toMatch('<testsuites name="=ada, &quot;the&quot; learner" tests="4" failures="2"');
    expect(xmlEscape("a\u0000b<c>&")).toBe("ab&lt;c&gt;&amp;");
    expect(checkXml("<a><b></a>")).not.toEqual([]);
  });

  test("the gradebook has a row per learner with points per lesson and the total, quoted safely", () => {
    const csv = gradebookCsv([grade], ["lesson-01", "lesson-02"]);
    expect(csv).toBe('learner,source,lesson-01,lesson-02,total\n"\'=ada, ""the"" learner",x,6.67,0,6.67\n');
    expect(checkCsv(csv)).toEqual([]);
    expect(csvField("plain")).toBe("plain");
  });
});

describe("bonus lessons (npm run grade -- --bonus)", () => {
  const lessonC: CatalogueLesson = {
    id: "lesson-11",
    title: "Cross-entropy",
    points: 5,
    bonus: true,
    files: ["lessons/lesson-11-c/c.test.ts"],
    tests: ["sigmoid", "log"].map((name) => ({ file: "lessons/lesson-11-c/c.test.ts", name })),
  };
  const grade = totalGrade(
    "ada",
    "x",
    [
      gradeLesson(lessonA, observed(lessonA, ["passed", "passed", "passed"])),
      gradeLesson(lessonB, observed(lessonB, ["passed"])),
      gradeLesson(lessonC, observed(lessonC, ["passed", "failed"])),
    ],
    [],
    10,
  );

  test("are added up on their own: the core still scores out of 100", () => {
    expect([grade.score, grade.max], "the core: 100 of 100").toEqual([10000, 10000]);
    expect(grade.bonus, "the bonus: 2.5 of 5").toEqual({ score: 250, max: 500 });
  });

  test("are runners with max_score 0 for GitHub Classroom: their tests show, the 100 stays the core's", () => {
    const results = classroomResults(grade);
    expect(results.lesson11).toMatchObject({ status: "fail", max_score: 0 });
    expect(results.lesson11.tests[0]).toMatchObject({
      name: "lesson-11 (bonus) › sigmoid",
      status: "pass",
      score: 2.5,
    });
    expect(Object.values(results).reduce((sum, r) => sum + r.max_score, 0)).toBe(100);
  });

  test("are reported apart in the feedback and in a bonus column of the gradebook", () => {
    expect(feedbackMarkdown(grade)).toMatch("# Grade for ada: 100 / 100 + 2.5 / 5 bonus");
    expect(feedbackMarkdown(grade)).toMatch("## lesson-11 (bonus): Cross-entropy");
    const csv = gradebookCsv([grade], ["lesson-01", "lesson-02", "lesson-11"]);
    expect(csv).toBe("learner,source,lesson-01,lesson-02,lesson-11,total,bonus\nada,x,10,90,2.5,100,2.5\n");
    expect(checkCsv(csv)).toEqual([]);
  });
});

describe("isolation", () => {
  const ids = new Set(["lesson-01", "lesson-02"]);
  const reference = new Map([
    [
      "m.ts",
      "a\n  // BEGIN lesson-01\n  ref1\n  // END lesson-01\nb\n  // BEGIN lesson-02\n  ref2\n  // END lesson-02\n",
    ],
  ]);

  test("takes lesson N's regions from the submission and everything else from the reference", () => {
    const submission = new Map([
      [
        "m.ts",
        "X\n  // BEGIN lesson-01\n  broken\n  // END lesson-01\nY\n  // BEGIN lesson-02\n  mine2\n  // END lesson-02\n",
      ],
    ]);
    const built = isolatedFiles("lesson-02", submission, reference, ids);
    expect("files" in built && built.files.get("m.ts")).toBe(
      "a\n  // BEGIN lesson-01\n  ref1\n  // END lesson-01\nb\n  // BEGIN lesson-02\n  mine2\n  // END lesson-02\n",
    );
  });

  test("says why when the submission's markers are missing", () => {
    const built = isolatedFiles("lesson-02", new Map([["m.ts", "no markers at all"]]), reference, ids);
    expect("problem" in built && built.problem).toMatch('has 0 "// BEGIN lesson-02" regions where the course has 1');
  });
});

describe("names and text from a submission", () => {
  test("learners' names are unique, stable whatever the order, and keep accents", () => {
    const folders = ["class-a/ada", "class-b/ada", "ada-2", "José", "class-c/Ada/src"];
    const names = learnerNames(folders);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(folders.length);
    expect(names[2]).toBe("ada-2");
    expect(names[3]).toBe("José");
    expect(names[0]).toMatch(/^ada-[0-9a-f]{6}$/);
    expect(names[4]).toMatch(/^Ada-[0-9a-f]{6}$/);
    expect(learnerNames([...folders].reverse()).reverse()).toEqual(names);
    expect(learnerNames(["we\u001b[31mird\n# name"])).toEqual(["we-31mird-name"]);
  });

  test("cleaned text has no escape sequences, control characters or bidi marks; markdown shows it as written", () => {
    expect(cleanText("a\u001b[31mred\u001b[0m\u0007 b\u202e\r\n::error::x")).toBe("ared b\n: :error::x");
    expect(markdownText("<script>x</script>\n# Owned\n- item *bold* [a](b)")).toBe(
      "&lt;script&gt;x&lt;/script&gt;\n\\# Owned\n\\- item \\*bold\\* \\[a\\](b)",
    );
  });
});

describe("which files run again", () => {
  const files = ["lessons/a/a.test.ts", "lessons/b/b.test.ts", "lessons/c/c.test.ts"];
  const expected = new Map(files.map((f) => [f, new Set([testKey(f, "t")])]));
  const context = { learnerDir: "/tmp/copy", fileLimitMs: () => 1000, memoryMb: 256, budget: new Budget(30_000) };
  const outcome = (events: Received[], extra: Partial<RunOutcome> = {}): RunOutcome => ({
    events,
    exitCode: 1,
    output: "",
    timedOut: false,
    outOfMemory: false,
    elapsedMs: 0,
    ownMs: 0,
    ...extra,
  });
  const queued = (file: string, at = 0): Received => ({ event: "queued", file, at });
  const passed = (file: string): Received => ({ event: "test", file, name: "t", status: "passed", message: "", at: 0 });
  const end = (file: string, errors: string[] = [], at = 0): Received => ({
    event: "end",
    file,
    errors,
    printed: 0,
    at,
  });

  test("in the shared run, a file that failed to load or never ended is run again, not given 0", () => {
    const [a, b, c] = files;
    const plan = planFiles(
      files,
      expected,
      outcome([queued(a), passed(a), end(a), queued(b), end(b, ["boom"])]),
      true,
      context,
    );
    expect([...plan.done.keys()]).toEqual([a]);
    expect(plan.again).toEqual([b, c]);
  });

  test("in the shared run, the file that went over its time limit is the one running: it gets the reason", () => {
    const [a, b, c] = files;
    const plan = planFiles(files, expected, outcome([queued(a), queued(b)], { stalledFile: b }), true, context);
    expect(plan.done.get(b)?.reason).toMatch(/Stopped after 1 s without finishing \(it had not even finished loading/);
    expect(plan.again).toEqual([a, c]);
  });

  test("a file that failed to load because the gate refused a module it imports is final at once", () => {
    const [a, b, c] = files;
    const refused = "src/loss.ts was not run: the grader's safety check refused it (src/loss.ts:1:1: x).";
    const plan = planFiles(
      files,
      expected,
      outcome([queued(a), end(a, [refused]), queued(b), passed(b), end(b)]),
      true,
      context,
    );
    expect(plan.done.get(a)?.reason).toMatch(/^The tests could not load the code: src\/loss.ts was not run/);
    expect(plan.again).toEqual([c]);
  });

  test("on its own, a failed load is final, and the file running when the run stopped gets the reason", () => {
    const [a, b, c] = files;
    const events = [
      queued(a),
      end(a, ["src/loss.ts was not run: the grader's safety check refused it (x)"]),
      queued(b),
    ];
    const plan = planFiles(files, expected, outcome(events, { stalledFile: b }), false, context);
    expect(plan.done.get(a)?.reason).toMatch(/refused/);
    expect(plan.done.get(b)?.reason).toMatch(/Stopped after 1 s/);
    expect(plan.again).toEqual([c]);
  });

  test("a run in which no file started is not retried file by file", () => {
    const plan = planFiles(files, expected, outcome([], { output: "vitest could not start" }), true, context);
    expect(plan.again).toEqual([]);
    expect(plan.done.get(files[2])?.reason).toMatch(/stopped unexpectedly/);
  });

  test("only the file that started last is blamed for running too long, each against its own limit", () => {
    const [a, b] = files;
    const second = () => 1000;
    expect(runningTooLong([queued(a, 0), queued(b, 900)], second, 1500)).toBeUndefined();
    expect(runningTooLong([queued(a, 0), queued(b, 900)], second, 2000)).toBe(b);
    expect(runningTooLong([queued(a, 0), end(a)], second, 5000)).toBeUndefined();
    const longerForB = (file: string) => (file === b ? 5000 : 1000);
    expect(runningTooLong([queued(a, 0), end(a), queued(b, 900)], longerForB, 5000)).toBeUndefined();
    expect(runningTooLong([queued(a, 0), end(a), queued(b, 900)], longerForB, 6000)).toBe(b);
  });

  test("a file may take --timeout, or five times the reference's time for it if that is more, in whole seconds", () => {
    const [a, b, c] = files;
    const times = fileTimes([queued(a, 100), end(a, [], 400), queued(b, 400), end(b, [], 4_400), queued(c, 4_400)]);
    expect([...times], "c never ended: it has no time").toEqual([
      [a, 300],
      [b, 4_000],
    ]);
    const limitOf = fileLimit({ timeoutMs: 15_000, memoryMb: 512 }, times);
    expect([a, b, c].map(limitOf)).toEqual([15_000, 20_000, 15_000]);
    expect(fileLimit({ timeoutMs: 6_000, memoryMb: 512 }, new Map([[a, 1_234]]))(a), "6.17 s, up to 7").toBe(7_000);
  });

  test("a submission's time budget is ten times the reference run, at least 30 s and three file limits", () => {
    expect(timeBudget(1000, false)).toBe(30_000);
    expect(timeBudget(5000, false)).toBe(50_000);
    expect(timeBudget(5000, true)).toBe(100_000);
    expect(timeBudget(1000, false, 20_000)).toBe(60_000);
  });
});

describe("bounded feedback", () => {
  test("a long text is cut at its limit, with a count of what was left out", () => {
    expect(clipText("abcdef", 4)).toBe("abcd… (2 more characters)");
    expect(clipText("abcd", 4)).toBe("abcd");
  });

  test("a list names its first items and counts the rest", () => {
    const names = Array.from({ length: 20 }, (_, i) => `f${i}.ts`);
    expect(someOf(names)).toBe(`${names.slice(0, 12).join(", ")} and 8 more`);
    expect(someOf(["a.ts", "b.ts"], 20_000), "two names kept of 20,000 read").toBe("a.ts, b.ts and 19,998 more");
    expect(someOf(["a.ts"])).toBe("a.ts");
  });

  test("what was printed is said in megabytes or kilobytes", () => {
    expect(size(600 * 2 ** 20)).toBe("600 MB");
    expect(size(70 * 1024)).toBe("70 KB");
  });

  test("a submission's extra files are listed by their first names, sorted, and counted", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "course-grading-test-"));
    try {
      mkdirSync(path.join(dir, "src"));
      writeFileSync(path.join(dir, "src", "engine.ts"), "export {};\n");
      for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, "src", `extra-${String(i).padStart(2, "0")}.ts`), "");
      const notes = readSubmission(path.join(dir, "src"), "ada", ["engine.ts"]).notes.join("\n");
      expect(notes).toMatch("ignored: extra-00.ts, extra-01.ts, ");
      expect(notes).toMatch("extra-11.ts and 18 more.");
      expect(notes).not.toMatch("extra-12.ts");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a grader stopped from outside (at-exit.ts)", () => {
  /** Runs a script that registers a clean-up step and waits, stops it with `signal`, and says what happened. */
  async function stopped(signal: NodeJS.Signals): Promise<{ code: number | null; cleaned: boolean }> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "course-at-exit-"));
    const marker = path.join(dir, "cleaned");
    const script = `import { writeFileSync } from "node:fs";
      import { atExit } from ${JSON.stringify(path.join(ROOT, "scripts", "grade", "at-exit.ts"))};
      atExit(() => writeFileSync(${JSON.stringify(marker)}, "yes"));
      setInterval(() => {}, 1000);
      console.log("ready");`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
    child.kill(signal);
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    const cleaned = existsSync(marker);
    rmSync(dir, { recursive: true, force: true });
    return { code, cleaned };
  }

  test("SIGINT and SIGTERM run the clean-up, then exit with 128 + the signal's number", async () => {
    expect(await stopped("SIGINT")).toEqual({ code: 130, cleaned: true });
    expect(await stopped("SIGTERM")).toEqual({ code: 143, cleaned: true });
  });

  const alive = (pid: number) => {
    const stat = readProc(`/proc/${pid}/stat`);
    return stat !== "" && !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  };

  test.skipIf(!detectSandbox().sandbox)(
    "a grader killed (SIGKILL) the moment it starts a sandboxed run takes its launcher with it, and the next grader removes what bwrap kept",
    async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "course-sandbox-orphan-"));
      // The grader: starts a run that would sleep 20 s, says where it is, and is killed at once.
      const script = `import { spawn } from "node:child_process";
        import { writeSync } from "node:fs";
        import { detectSandbox, sandboxed } from ${JSON.stringify(path.join(ROOT, "scripts", "grade", "sandbox.ts"))};
        const limits = { memoryMb: 256, tasks: 16, cpuSeconds: 30, fileMb: 1 };
        const launch = sandboxed(detectSandbox().sandbox, ${JSON.stringify(dir)}, ["/usr/bin/sleep", "20"], { PATH: "/usr/bin" }, limits);
        const run = spawn(launch.command, launch.args, { stdio: "ignore" });
        writeSync(1, JSON.stringify({ launcher: run.pid, procs: launch.group?.procs ?? [] }) + "\\n");
        process.kill(process.pid, "SIGKILL");`;
      const grader = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "inherit"],
      });
      let out = "";
      grader.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
      });
      await new Promise((resolve) => grader.once("exit", resolve));
      const { launcher, procs } = JSON.parse(out) as { launcher: number; procs: string[] };
      const members = () => procs.flatMap((file) => readProc(file).split("\n").filter(Boolean).map(Number));
      // The launcher dies with the grader: setpriv's parent-death signal, and its check that its parent is still
      // the grader. The sandbox nearly always does too, but bwrap sets the sandbox's own parent-death signal only
      // once the sandbox exists: a grader killed in that instant leaves it running in the run's control group
      // (once in ten runs of npm test beside two busy loops). The next grader empties and removes such groups.
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && [launcher, ...members()].some(alive)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const launcherAlive = alive(launcher);
      // What the next grader does when it starts (the parents of the run's groups: a v2 run's group sits in its
      // grader's own).
      const parentOf = (group: string) =>
        path.basename(path.dirname(group)).startsWith("course-grade-")
          ? path.dirname(path.dirname(group))
          : path.dirname(group);
      removeStaleGroups([...new Set(procs.map((file) => parentOf(path.dirname(file))))]);
      const left = [...new Set([launcher, ...members()])].filter(alive);
      const groupsLeft = procs.map((file) => path.dirname(file)).filter((group) => existsSync(group));
      try {
        process.kill(launcher, "SIGKILL");
      } catch {
        // Gone.
      }
      for (const group of groupsLeft) removeGroup(group);
      rmSync(dir, { recursive: true, force: true });
      expect(launcherAlive, "the launcher still alive 10 s after its grader was killed").toBe(false);
      expect(left, "processes of the run alive after the next grader's clean-up").toEqual([]);
      expect(groupsLeft, "control groups left after the next grader's clean-up").toEqual([]);
    },
    30_000,
  );
  test.skipIf(!detectSandbox().sandbox?.cgroups)(
    "the next grader kills what is still in a killed grader's control groups, then removes them",
    async () => {
      const cgroups = detectSandbox().sandbox?.cgroups;
      if (!cgroups) return;
      // A grader that is gone: a process that has exited, whose pid names the groups.
      const gone = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
      await new Promise((resolve) => gone.once("exit", resolve));
      const name = `course-grade-${gone.pid}`;
      // Where that grader's run groups were: v1, in each parent; v2, in the grader's own group beside ours.
      const parents = cgroups.version === 1 ? cgroups.parents : [path.dirname(cgroups.parents[0])];
      const groups =
        cgroups.version === 1
          ? parents.map((parent) => path.join(parent, `${name}-1`))
          : [path.join(parents[0], name, `${name}-1`)];
      for (const group of groups) mkdirSync(group, { recursive: true });
      // What bwrap may keep: a sandbox still running in the run's groups.
      const kept = spawn("/usr/bin/sleep", ["30"], { stdio: "ignore" });
      onTestFinished(() => {
        kept.kill("SIGKILL");
      });
      for (const group of groups) writeFileSync(path.join(group, "cgroup.procs"), String(kept.pid));
      removeStaleGroups(parents);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && alive(kept.pid ?? 0)) await new Promise((resolve) => setTimeout(resolve, 50));
      const keptAlive = alive(kept.pid ?? 0);
      const groupsLeft = groups.filter((group) => existsSync(group));
      for (const group of groupsLeft) removeGroup(group);
      expect(keptAlive, "the process in the stale group is still alive").toBe(false);
      expect(groupsLeft, "stale groups left").toEqual([]);
    },
    30_000,
  );
});

describe("the hardened test process (harden.setup.ts)", () => {
  /** Runs `body` in a fresh Node process, after harden.setup.ts when `hardened`, and returns what it printed. */
  async function inProcess(body: string, hardened: boolean): Promise<string> {
    const setup = JSON.stringify(path.join(ROOT, "scripts", "grade", "harden.setup.ts"));
    const builtIns = JSON.stringify(path.join(ROOT, "scripts", "grade", "built-ins.ts"));
    const script = `${hardened ? `import ${setup};` : ""} import { builtIns } from ${builtIns}; ${body}`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    await new Promise((resolve) => child.once("exit", resolve));
    return out.trim();
  }

  test("every built-in is frozen but Error, whose members are locked but stackTraceLimit", async () => {
    const report = await inProcess(
      `const open = [...builtIns()].filter((b) => b !== Error && !Object.isFrozen(b)).length;
       const limit = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit");
       const locked = Reflect.ownKeys(Error).every((k) => !Object.getOwnPropertyDescriptor(Error, k).configurable);
       console.log(JSON.stringify({ open, limitWritable: limit.writable, locked, extensible: Object.isExtensible(Error) }));`,
      true,
    );
    expect(JSON.parse(report)).toEqual({ open: 0, limitWritable: true, locked: true, extensible: false });
  });

  test("typed arrays keep their speed: a matrix product takes about as long as in a process not hardened", async () => {
    const product = `const n = 200, a = new Float64Array(n * n).fill(1.5), b = new Float64Array(n * n).fill(2), c = new Float64Array(n * n);
      const run = () => { for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const x = a[i * n + k]; for (let j = 0; j < n; j++) c[i * n + j] += x * b[k * n + j]; } };
      run(); const t = process.cpuUsage(); run(); run(); const u = process.cpuUsage(t); console.log(u.user + u.system);`;
    const plain = Number(await inProcess(product, false));
    const hardened = Number(await inProcess(product, true));
    // Object.freeze on Object.prototype made it twenty times slower; measured in processor time, not wall clock.
    expect(hardened / plain).toBeLessThan(4);
  });
});

describe("the run's own time (own-time.ts): what the time limits count", () => {
  const thread = (runMs: number, waitMs: number) => ({ runNs: runMs * 1e6, waitNs: waitMs * 1e6 });

  test("a thread that computes is charged the time it ran; one that sleeps, all of it", () => {
    expect(ownTime(1000, [thread(400, 600)]), "ran 400 ms, waited 600").toBe(400);
    expect(ownTime(1000, [thread(10, 0)]), "asleep: no wait").toBe(1000);
  });

  test("the waits of all threads count, but never below the time the busiest thread ran", () => {
    expect(ownTime(1000, [thread(300, 200), thread(100, 300)]), "one waits while the other runs").toBe(500);
    expect(ownTime(1000, [thread(300, 700), thread(300, 700)]), "both wait at once").toBe(300);
    expect(ownTime(1000, [thread(2000, 0), thread(2000, 0)]), "never more than the wall clock").toBe(1000);
  });

  /** Runs `code` in a Node process on processor 0 only, and measures its own time and its wall-clock time. */
  async function measure(code: string): Promise<{ ownMs: number; wallMs: number }> {
    const child = spawn("taskset", ["-c", "0", process.execPath, "-e", code], { stdio: "ignore" });
    const clock = new OwnClock();
    const started = performance.now();
    const poll = setInterval(() => clock.read(child.pid === undefined ? [] : processTree(child.pid)), 20);
    await new Promise((resolve) => child.once("exit", resolve));
    clearInterval(poll);
    return { ownMs: clock.read([]), wallMs: performance.now() - started };
  }
  const work = "let x = 0; for (let i = 0; i < 1e8; i++) x = (x * 31 + i) | 0; if (x === 0.5) console.log(x);";

  test.skipIf(!schedulerStatistics() || !existsSync("/usr/bin/taskset"))(
    "beside two busy processes on its processor, a run takes three times longer, in its own time as long as alone",
    async () => {
      const alone = await measure(work);
      // Busy for a minute at most, and killed when the test ends however it ends (a timeout too).
      const busyLoop = "const end = Date.now() + 60_000; while (Date.now() < end);";
      const hogs = [0, 1].map(() => spawn("taskset", ["-c", "0", process.execPath, "-e", busyLoop]));
      const stopHogs = () => {
        for (const hog of hogs) hog.kill("SIGKILL");
      };
      onTestFinished(stopHogs);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const busy = await measure(work);
      stopHogs();
      expect(busy.wallMs / busy.ownMs, "it got a third of the processor").toBeGreaterThan(2);
      expect(busy.ownMs / alone.ownMs, "its own time is what it needs alone").toBeLessThan(1.6);
      expect(busy.ownMs / alone.ownMs).toBeGreaterThan(0.6);
      const asleep = await measure("setTimeout(() => {}, 800);");
      expect(asleep.ownMs, "a wait is all its own time").toBeGreaterThan(750);
      expect(asleep.ownMs).toBeLessThanOrEqual(asleep.wallMs);
    },
    // On a machine already busy, a third of one processor can be a tenth.
    120_000,
  );
});
