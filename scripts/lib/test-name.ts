import type { TestCase } from "vitest/node";

/** "describe › test": how every course tool names a test (the reporters, and scripts/lib/vitest.ts). */
export function testName(test: TestCase): string {
  const names = [test.name];
  for (let parent = test.parent; parent.type === "suite"; parent = parent.parent) names.unshift(parent.name);
  return names.join(" › ");
}
