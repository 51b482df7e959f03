/** Prints `tests: N passed, M failed` from one or more vitest JSON reports (the closing line of .ci/run). */
import { readFileSync } from "node:fs";
import { ROOT } from "../lib/target";
import { parseJsonReport } from "../lib/vitest";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: tsx scripts/maintain/test-summary.ts <vitest-json-report>...");
  process.exit(2);
}
const results = files.flatMap((file) => parseJsonReport(readFileSync(file, "utf8"), ROOT));
const passed = results.filter((r) => r.status === "passed").length;
const failed = results.filter((r) => r.status === "failed").length;
const skipped = results.length - passed - failed;
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}`);
