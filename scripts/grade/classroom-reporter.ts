/**
 * A model of the two sums GitHub Classroom's reporter (classroom-resources/autograding-grading-reporter) makes
 * of the runners the workflow hands it, written from what it does, not from its code:
 * - the log's table: a runner with a max_score scores `(its tests with status "pass" / its tests) * max_score`,
 *   printed `Total points for <runner>: <score.toFixed(2)>/<max_score>`; the table's total row adds the runners'
 *   scores (and max scores) up, in order, from 0, and prints the sum as it is;
 * - the notice Classroom records, `Points <total>/<max>`: over the runners whose max_score is not 0, the sum of
 *   their max scores, and the sum of every one of their tests' `score`, runner after runner, from 0.
 * The self-test applies it to every grade it makes; tests/grading-classroom.test.ts to many more.
 */
import { type ClassroomResult, classroomResults, runnerId } from "./classroom";
import { type Grade, points } from "./score";

export interface ReporterView {
  /** "Total points for lesson03: 4.44/10", one per runner with a max_score. */
  lines: string[];
  /** The table's total row: the runners' scores added up, and their max scores. */
  table: { score: number; max: number };
  /** The notice: "Points 93.06/100". */
  notice: string;
}

/** What the reporter shows for `runners` (id and result, in the order the workflow lists them). */
export function reporterView(runners: [string, ClassroomResult][]): ReporterView {
  const lines: string[] = [];
  const table = { score: 0, max: 0 };
  let noticePoints = 0;
  let noticeMax = 0;
  for (const [id, result] of runners) {
    const max = result.max_score || 0;
    const passing = result.tests.filter((t) => t.status === "pass").length;
    const score = (passing / result.tests.length) * max;
    if (max !== 0) lines.push(`Total points for ${id}: ${score.toFixed(2)}/${max}`);
    table.score += score;
    table.max += result.max_score;
    if (!result.max_score) continue;
    noticeMax += result.max_score;
    for (const test of result.tests) noticePoints += test.score;
  }
  return { lines, table, notice: `Points ${noticePoints}/${noticeMax}` };
}

/** Where the reporter would not show `grade`'s points to the cent; empty when its table and its notice both do. */
export function reporterDisagrees(grade: Grade): string[] {
  const view = reporterView(Object.entries(classroomResults(grade)));
  const problems: string[] = [];
  const lines = grade.lessons
    .filter((l) => !l.bonus)
    .map((l) => `Total points for ${runnerId(l.id)}: ${(l.score / 100).toFixed(2)}/${l.max / 100}`);
  for (const [i, line] of view.lines.entries()) {
    if (line !== lines[i]) problems.push(`the reporter's log reads "${line}", where we say "${lines[i]}"`);
  }
  if (view.lines.length !== lines.length)
    problems.push(`the reporter lists ${view.lines.length} runners, not ${lines.length}`);
  if (view.table.score.toFixed(2) !== (grade.score / 100).toFixed(2) || view.table.max !== grade.max / 100) {
    problems.push(
      `the reporter's table totals ${view.table.score}/${view.table.max}, not ${points(grade.score)}/${points(grade.max)}`,
    );
  }
  const notice = `Points ${points(grade.score)}/${points(grade.max)}`;
  if (view.notice !== notice) problems.push(`the Classroom notice reads "${view.notice}", not "${notice}"`);
  return problems;
}
