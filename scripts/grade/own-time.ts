/**
 * A run's own time: how long it has run, not counting the time the machine kept it waiting for a processor.
 * The grader's time limits (a test file's, a submission's budget) are counted in it, so that a busy machine
 * never costs an honest submission points: beside two busy processes on its processor, a file that takes 1 s
 * alone takes 3 s of wall clock, and still 1 s of its own time.
 *
 * The kernel counts, for every thread, the time it ran and the time it spent runnable but waiting for a
 * processor (the first two numbers of /proc/<pid>/task/<tid>/schedstat). The run's own time is its wall-clock
 * time minus the waits of all its threads (a thread that computes is charged the time it ran, one that sleeps
 * all of it: a promise that never settles counts in full), and never less than the time its busiest thread
 * ran: where threads wait at the same time, their waits add up to more than the run lost, and a loop must
 * still reach its limit. A thread's wait is added when it next runs, so the clock never goes back: it keeps
 * the largest reading.
 *
 * Everything is read from outside the run, by the grader: nothing the learner's code does can set it. Where
 * the kernel keeps no scheduler statistics, every wait reads as 0 and the clock is the wall clock.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";

const read = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
};

/** Whether this kernel reports the time threads wait for a processor (else the own time is the wall clock). */
export const schedulerStatistics = () => existsSync("/proc/self/schedstat");

/** Process `root` and all its descendants, found through the parent of every process in /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // "pid (name) state ppid ...": the name may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (ppid) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const tree: number[] = [];
  const todo = [root];
  while (todo.length > 0) {
    const pid = todo.pop() as number;
    tree.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** What the kernel says of one thread: the time it ran and the time it waited for a processor, in nanoseconds. */
export interface ThreadTimes {
  runNs: number;
  waitNs: number;
}

/** Each thread of `processes`, by thread id. */
export function threadTimes(processes: number[]): Map<number, ThreadTimes> {
  const times = new Map<number, ThreadTimes>();
  for (const pid of processes) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // ended meanwhile
    }
    for (const tid of threads) {
      const [runNs, waitNs] = read(`/proc/${pid}/task/${tid}/schedstat`).split(" ").map(Number);
      if (Number.isFinite(runNs) && Number.isFinite(waitNs)) times.set(Number(tid), { runNs, waitNs });
    }
  }
  return times;
}

/**
 * The own time of a run after `wallMs` of wall clock, from the times of every thread it has had (those that
 * ended too): the wall clock less all their waits, at least the time of the busiest, at most the wall clock.
 */
export function ownTime(wallMs: number, threads: Iterable<ThreadTimes>): number {
  let waitedNs = 0;
  let busiestNs = 0;
  for (const { runNs, waitNs } of threads) {
    waitedNs += waitNs;
    busiestNs = Math.max(busiestNs, runNs);
  }
  return Math.min(wallMs, Math.max(wallMs - waitedNs / 1e6, busiestNs / 1e6));
}

/** A run's own clock, from the moment it is made. */
export class OwnClock {
  private ownMs = 0;
  private readonly started: number;
  /** Every thread the run has had, with its times when last seen. */
  private readonly threads = new Map<number, ThreadTimes>();

  constructor(now = performance.now()) {
    this.started = now;
  }

  /** Reads the threads of `processes` (the run's, now) and returns the run's own time, in milliseconds. */
  read(processes: number[], now = performance.now()): number {
    for (const [tid, times] of threadTimes(processes)) this.threads.set(tid, times);
    this.ownMs = Math.max(this.ownMs, ownTime(now - this.started, this.threads.values()));
    return this.ownMs;
  }

  /** The own time at the last reading. */
  get latest(): number {
    return this.ownMs;
  }
}
