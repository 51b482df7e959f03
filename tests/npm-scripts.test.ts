/**
 * Every npm script runs unchanged in Windows' shells (cmd.exe, PowerShell) as well as on macOS and Linux:
 * npm hands the command to the platform's shell, so anything only a POSIX shell understands breaks there.
 * Variables, redirection and file operations belong in the Node scripts, built with `path`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "vitest";
import { ROOT } from "../scripts/lib/target";

/** What a POSIX shell understands and cmd.exe or PowerShell does not, with what to do instead. */
const POSIX_ONLY: [RegExp, string][] = [
  [/(^|[\s;&|])[A-Za-z_][A-Za-z0-9_]*=\S/, "sets a variable the POSIX way: read it from a flag or in the Node script"],
  [/\$\{?[A-Za-z_]/, "expands a variable the POSIX way ($VAR)"],
  [/'/, "quotes with single quotes, which cmd.exe passes on as they are"],
  [/[;`]|\|\||[<>]|\s\|\s/, "uses shell syntax (;, backticks, pipes or redirection)"],
  [/(^|\s)(rm|cp|mv|mkdir|cat|export|env|test|\[)\s/, "runs a POSIX command: do it in Node (node:fs)"],
  [/(^|\s)\.{1,2}\//, "runs a file by a ./ path: name it as an argument of node, tsx or vitest"],
];

test("no npm script needs a POSIX shell", () => {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const problems = Object.entries(scripts).flatMap(([name, command]) =>
    POSIX_ONLY.filter(([pattern]) => pattern.test(command)).map(([, why]) => `npm run ${name}: "${command}" ${why}`),
  );
  expect(problems).toEqual([]);
});

test("the check catches the POSIX habits it is meant to", () => {
  const caught = (command: string) => POSIX_ONLY.some(([pattern]) => pattern.test(command));
  expect(caught("COURSE_TARGET=solutions vitest run")).toBe(true);
  expect(caught("vitest run && rm -rf site")).toBe(true);
  expect(caught("tsx scripts/a.ts > out.txt")).toBe(true);
  expect(caught("echo $HOME")).toBe(true);
  expect(caught("./node_modules/.bin/vitest")).toBe(true);
  expect(caught("vitest run --mode solutions")).toBe(false);
  expect(caught("node --expose-gc --import tsx scripts/maintain/bench.ts")).toBe(false);
});
