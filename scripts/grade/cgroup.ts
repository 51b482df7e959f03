/**
 * A control group per grading run: a limit on the run's total memory (the JavaScript heap, Buffers and
 * ArrayBuffers, other processes, files in its private /tmp: everything the kernel charges to it) and on its
 * number of processes and threads. `--max-old-space-size` bounds only the heap; this bounds the rest.
 *
 * Works with cgroup v1 (a `memory` and a `pids` hierarchy, as on this course's machine) and with cgroup v2
 * where the grader may create child groups (root, or a delegated subtree). Where neither is writable,
 * `cgroupSupport()` says why, and the sandbox falls back to resource limits (sandbox.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { atExit } from "./at-exit";

export interface CgroupSupport {
  version: 1 | 2;
  /** Folders under which each run's groups are made: [memory, pids] for v1, [the v2 group] for v2. */
  parents: string[];
}

/** A run's control group: its folders, written into by the sandbox's launcher before anything runs. */
export interface RunGroup {
  /** Every `cgroup.procs` file the launcher writes its process id into. */
  procs: string[];
  /** Processes still in the group (none once the run's sandbox is gone). */
  members(): number[];
  /** Whether the kernel killed a process of the run for going over its memory limit. */
  oomKilled(): boolean;
  /** The most memory the run used, in bytes (undefined where the kernel does not say). */
  peakBytes(): number | undefined;
  /** Kills whatever is left and removes the group. */
  remove(): void;
}

const read = (file: string) => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
};

/** Where each cgroup hierarchy is mounted, by controller ("memory", "pids") or "" for cgroup v2. */
function mounts(): Map<string, { mount: string; root: string }> {
  const found = new Map<string, { mount: string; root: string }>();
  for (const line of read("/proc/self/mountinfo").split("\n")) {
    const [left, right] = line.split(" - ");
    if (!right) continue;
    const fields = left.split(" ");
    const [type, , options] = right.split(" ");
    const entry = { mount: fields[4], root: fields[3] };
    if (type === "cgroup2") found.set("", entry);
    if (type === "cgroup") for (const option of options.split(",")) found.set(option, entry);
  }
  return found;
}

/** This process's own group in each hierarchy: "memory" → "/a/b", "" → v2 path. */
function ownGroups(): Map<string, string> {
  const groups = new Map<string, string>();
  for (const line of read("/proc/self/cgroup").split("\n")) {
    const match = /^\d+:([^:]*):(.*)$/.exec(line);
    if (!match) continue;
    for (const controller of match[1].split(",")) groups.set(controller, match[2]);
  }
  return groups;
}

function groupFolder(controller: string): string | undefined {
  const mount = mounts().get(controller);
  const own = ownGroups().get(controller);
  if (!mount || own === undefined) return undefined;
  const relative = path.posix.relative(mount.root, own);
  if (relative.startsWith("..")) return undefined;
  return path.join(mount.mount, relative);
}

/** Whether a child group can be made (and removed) under `folder`. */
function writable(folder: string): boolean {
  const probe = path.join(folder, `course-grade-probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

/** How runs can be put in control groups here, or why they cannot. */
export function cgroupSupport(): CgroupSupport | { problem: string } {
  const memory = groupFolder("memory");
  const pids = groupFolder("pids");
  if (memory && pids && existsSync(path.join(memory, "memory.limit_in_bytes"))) {
    if (writable(memory) && writable(pids)) {
      removeStaleGroups([memory, pids]);
      return { version: 1, parents: [memory, pids] };
    }
    return { problem: `cannot create control groups under ${memory} and ${pids}` };
  }
  const unified = groupFolder("");
  if (unified && existsSync(path.join(unified, "cgroup.controllers"))) {
    // A v2 group with processes cannot hand controllers to children ("no internal processes"), so runs go
    // in a group of the grader's own that holds no process, under the grader's group.
    const enabled = read(path.join(unified, "cgroup.subtree_control")).split(/\s+/);
    if (!enabled.includes("memory") || !enabled.includes("pids")) {
      return { problem: `the memory and pids controllers are not delegated to ${unified}` };
    }
    removeStaleGroups([unified]);
    const mine = path.join(unified, `course-grade-${process.pid}`);
    try {
      mkdirSync(mine, { recursive: true });
      const support: CgroupSupport = { version: 2, parents: [mine] };
      atExit(() => removeSupport(support));
      writeFileSync(path.join(mine, "cgroup.subtree_control"), "+memory +pids");
      return support;
    } catch (error) {
      return { problem: `cannot create control groups under ${unified} (${(error as Error).message})` };
    }
  }
  return { problem: "no memory and pids control groups are mounted" };
}

/**
 * Groups left by graders that were killed before they could remove them. Their runs nearly always died with them,
 * but bwrap sets its sandbox's parent-death signal only once the sandbox exists: a grader killed in that instant
 * leaves the sandbox running, in its run's group. So whatever is still in a stale group is killed, then the group
 * is removed.
 */
export function removeStaleGroups(parents: string[]): void {
  for (const parent of parents) {
    for (const name of readdirSync(parent)) {
      const owner = /^course-grade-(\d+)(-\d+)?$/.exec(name);
      if (!owner || alive(Number(owner[1]))) continue;
      const folder = path.join(parent, name);
      try {
        // A v2 grader's own group holds its runs' groups; a v1 run's group is the folder itself.
        const runs = readdirSync(folder, { withFileTypes: true }).filter((child) => child.isDirectory());
        for (const group of [...runs.map((run) => path.join(folder, run.name)), folder]) {
          emptyGroup(group);
          removeGroup(group);
        }
      } catch {
        // Not ours to remove: left alone.
      }
    }
  }
}

/** Kills the processes of a group until none is left (they leave it as they die), for about a second at most. */
function emptyGroup(folder: string): void {
  const procs = path.join(folder, "cgroup.procs");
  for (let attempt = 0; attempt < 50; attempt++) {
    const left = read(procs).split("\n").filter(Boolean).map(Number);
    if (left.length === 0) return;
    for (const pid of left) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

let serial = 0;

/** Makes the control group of one run: `memoryBytes` in all, at most `tasks` processes and threads. */
export function createRunGroup(support: CgroupSupport, memoryBytes: number, tasks: number): RunGroup {
  const name = `course-grade-${process.pid}-${++serial}`;
  const folders = support.parents.map((parent) => path.join(parent, name));
  for (const folder of folders) mkdirSync(folder);
  const set = (folder: string, file: string, value: string | number) => {
    if (existsSync(path.join(folder, file))) writeFileSync(path.join(folder, file), String(value));
  };
  if (support.version === 1) {
    const [memory, pids] = folders;
    set(memory, "memory.limit_in_bytes", memoryBytes);
    // With swap, memory + swap must be bounded too (the file exists only where swap accounting is on).
    set(memory, "memory.memsw.limit_in_bytes", memoryBytes);
    set(pids, "pids.max", tasks);
  } else {
    const [group] = folders;
    set(group, "memory.max", memoryBytes);
    set(group, "memory.swap.max", 0);
    set(group, "pids.max", tasks);
  }
  const procsFiles = folders.map((f) => path.join(f, "cgroup.procs"));
  const release = atExit(() => group.remove());
  const members = () => [...new Set(procsFiles.flatMap((file) => read(file).split("\n").filter(Boolean).map(Number)))];
  const memoryFolder = folders[0];
  const group: RunGroup = {
    procs: procsFiles,
    members,
    oomKilled() {
      const text =
        support.version === 1
          ? read(path.join(memoryFolder, "memory.oom_control"))
          : read(path.join(memoryFolder, "memory.events"));
      const kills = /oom_kill (\d+)/.exec(text);
      if (kills) return Number(kills[1]) > 0;
      return Number(read(path.join(memoryFolder, "memory.failcnt")) || 0) > 0;
    },
    peakBytes() {
      const file = support.version === 1 ? "memory.max_usage_in_bytes" : "memory.peak";
      const value = Number(read(path.join(memoryFolder, file)));
      return value > 0 ? value : undefined;
    },
    remove() {
      release();
      for (const folder of folders) {
        emptyGroup(folder);
        removeGroup(folder);
      }
    },
  };
  return group;
}

/**
 * Removes an empty group. The kernel may report it busy for a moment after its last process has gone;
 * a group whose process would not die is left, for members() to report to whoever checks.
 */
export function removeGroup(folder: string): void {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      rmdirSync(folder);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY") throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** Removes the grader's own v2 group (made by cgroupSupport) once every run is over. */
function removeSupport(support: CgroupSupport): void {
  if (support.version !== 2) return;
  for (const parent of support.parents) {
    try {
      for (const child of readdirSync(parent, { withFileTypes: true })) {
        if (child.isDirectory()) rmdirSync(path.join(parent, child.name));
      }
      rmdirSync(parent);
    } catch {
      // Left for the system to clean.
    }
  }
}
