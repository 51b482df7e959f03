/**
 * What the grader must undo however it ends: its runs' processes, their control groups, its scratch folder.
 * Each step runs once, at a normal exit, after an uncaught error, or on SIGINT (Ctrl-C), SIGTERM or SIGHUP,
 * after which the grader exits with 128 + the signal's number. SIGKILL cannot be answered: the sandbox's
 * processes die with the grader (bubblewrap's --die-with-parent), and the scratch folder and the empty
 * control groups it leaves are removed by the next grader when it starts (grade.ts, cgroup.ts).
 */

const steps: (() => void)[] = [];
let installed = false;

const SIGNALS: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

/** Runs `step` when the grader ends; the function returned takes it back (call it once the step is done). */
export function atExit(step: () => void): () => void {
  install();
  steps.push(step);
  return () => {
    const at = steps.lastIndexOf(step);
    if (at >= 0) steps.splice(at, 1);
  };
}

/** The latest first: a run's processes go before its control group, the group before the scratch folder. */
function runAll(): void {
  for (let step = steps.pop(); step; step = steps.pop()) {
    try {
      step();
    } catch {
      // One step that fails does not keep the others from running.
    }
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on("exit", runAll);
  for (const [signal, number] of Object.entries(SIGNALS)) {
    process.once(signal, () => {
      runAll();
      process.exit(128 + (number as number));
    });
  }
}
