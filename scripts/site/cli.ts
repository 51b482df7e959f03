/** The command-line options that `npm run site` and `npm run site:serve` share. */
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, resolveTarget } from "../lib/target";

export interface SiteArgs {
  /** The course code the interactive pages run, as an absolute folder. */
  target: string;
  /** Only for site:serve. */
  port: string;
}

/** Reads the options (`--port` only if `serves`), or prints what is wrong with the usage line and exits. */
export function siteArgs(command: string, usage: string, serves = false): SiteArgs {
  let values: { target?: string | boolean; port?: string | boolean };
  try {
    ({ values } = parseArgs({
      options: {
        target: { type: "string", default: "solutions" },
        ...(serves ? { port: { type: "string", default: "8080" } } : {}),
      },
    }));
  } catch (error) {
    return fail(`${command}: ${error instanceof Error ? error.message : String(error)}`, usage);
  }
  const target = String(values.target);
  try {
    return { target: resolveTarget(target), port: String(values.port ?? "") };
  } catch {
    return fail(
      `--target ${target}: ${path.resolve(ROOT, target)} is not a copy of the course code (it has no engine.ts).`,
      usage,
    );
  }
}

function fail(message: string, usage: string): never {
  console.error(`${message}\nusage: ${usage}`);
  process.exit(2);
}
