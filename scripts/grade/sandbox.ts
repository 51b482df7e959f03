/**
 * The operating-system sandbox each grading run goes in, made with bubblewrap (`bwrap`):
 *
 * - a file system of its own: read-only binds of the system (/usr and the like), of the course's tests,
 *   configs, tooling and node_modules at /course (never solutions/, src/, .git, .course or reports), and
 *   of the learner's scratch copy at /learner; a private, size-limited /tmp; nothing else of the host;
 * - new user, PID, IPC, network, UTS and cgroup namespaces: it runs as `nobody` without capabilities, sees
 *   only its own processes, has no network, and everything in it is killed when its first process ends
 *   (`--die-with-parent` does the same if the grader itself is killed);
 * - a minimal environment (nothing of the grader's: no tokens, no $GITHUB_OUTPUT);
 * - limits: a control group per run for total memory and processes (cgroup.ts), and resource limits for
 *   CPU time, file size and core dumps. Where no control group can be made, the grader watches the run's
 *   resident memory instead (testrun.ts). An address-space limit cannot stand in: Node's WebAssembly
 *   (which vitest uses) reserves tens of gigabytes of address space up front.
 *
 * Where bwrap is missing or cannot make namespaces, `detectSandbox()` says why in one line; `npm run
 * grade` then refuses to grade unless told `--no-sandbox`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readlinkSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../lib/target";
import { type CgroupSupport, cgroupSupport, createRunGroup, type RunGroup } from "./cgroup";

/** Where the course and the learner's copy appear inside the sandbox. */
export const SANDBOX_COURSE = "/course";
export const SANDBOX_LEARNER = "/learner";

/** The course's files a test run needs (read-only): never solutions/ or src/. */
const COURSE_VIEW = [
  "node_modules",
  "lessons",
  "scripts/lib",
  "scripts/grade",
  "vitest.config.ts",
  "package.json",
  "tsconfig.json",
];

export interface Sandbox {
  bwrap: string;
  /** bwrap's options that this version supports and this machine allows. */
  namespaces: string[];
  tmpfsSize: boolean;
  prlimit?: string;
  /** util-linux's setpriv, which gives the launcher its parent-death signal (see sandboxed). */
  setpriv?: string;
  cgroups?: CgroupSupport;
  /** Why runs get no control group (their memory is then watched by the grader). */
  cgroupProblem?: string;
}

export type SandboxStatus = { sandbox: Sandbox; summary: string } | { sandbox?: undefined; summary: string };

const which = (name: string) =>
  ["/usr/bin", "/bin", "/usr/local/bin", "/usr/sbin", "/sbin"].map((d) => path.join(d, name)).find(existsSync);

let detected: SandboxStatus | undefined;

/** Finds out once whether runs can be sandboxed here, and how. */
export function detectSandbox(): SandboxStatus {
  detected ??= probe();
  return detected;
}

function probe(): SandboxStatus {
  const bwrap = which("bwrap");
  if (!bwrap)
    return { summary: "no sandbox: bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)" };
  const help = spawnSync(bwrap, ["--help"], { encoding: "utf8" });
  const options = `${help.stdout}${help.stderr}`;
  const root = process.getuid?.() === 0;
  const namespaces = [
    "--unshare-user",
    "--uid",
    "65534",
    "--gid",
    "65534",
    ...(options.includes("--disable-userns") ? ["--disable-userns"] : []),
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-net",
    "--unshare-uts",
    "--unshare-cgroup-try",
    "--die-with-parent",
    "--new-session",
    ...(root ? ["--cap-drop", "ALL"] : []),
  ];
  const sandbox: Sandbox = {
    bwrap,
    namespaces,
    tmpfsSize: options.includes("--size"),
    prlimit: which("prlimit"),
    setpriv: which("setpriv"),
  };
  const check = spawnSync(
    bwrap,
    [...namespaces, ...systemBinds(), "--proc", "/proc", "--", process.execPath, "-e", ""],
    {
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin" },
      timeout: 20_000,
    },
  );
  if (check.status !== 0) {
    const why = (check.stderr || check.error?.message || `exit ${check.status}`).trim().split("\n")[0];
    const hint = /uid map|Permission denied|Operation not permitted/.test(why)
      ? "; on Ubuntu 23.10 and later, user namespaces must be allowed: sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
      : "";
    return { summary: `no sandbox: bwrap cannot make its namespaces here (${why})${hint}` };
  }
  const cgroups = cgroupSupport();
  if ("problem" in cgroups) sandbox.cgroupProblem = cgroups.problem;
  else sandbox.cgroups = cgroups;
  const memory = sandbox.cgroups
    ? `a cgroup v${sandbox.cgroups.version} per run for memory and processes`
    : `memory watched by the grader, no process limit (no cgroup: ${sandbox.cgroupProblem})`;
  return {
    sandbox,
    summary: `sandbox: bubblewrap (no network, own PID namespace, read-only course without solutions/), ${memory}${
      sandbox.prlimit ? ", CPU-time and file-size limits" : ", no CPU-time limit (prlimit missing)"
    }`,
  };
}

/** Read-only binds of the system folders a Node.js process needs, and of Node itself. */
function systemBinds(): string[] {
  const binds = ["--ro-bind", "/usr", "/usr"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    if (!existsSync(dir)) continue;
    if (lstatSync(dir).isSymbolicLink()) binds.push("--symlink", readlinkSync(dir), dir);
    else binds.push("--ro-bind", dir, dir);
  }
  for (const file of ["/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/localtime"]) {
    if (existsSync(file)) binds.push("--ro-bind", file, file);
  }
  // Node installed outside /usr (nvm, a CI tool cache): its own prefix, read-only.
  const prefix = path.dirname(path.dirname(process.execPath));
  if (!prefix.startsWith("/usr/") && prefix !== "/usr" && prefix !== "/") binds.push("--ro-bind", prefix, prefix);
  return binds;
}

export interface SandboxLimits {
  /** Total memory of the run, in megabytes. */
  memoryMb: number;
  /** Processes and threads at once. */
  tasks: number;
  /** CPU seconds each process may use. */
  cpuSeconds: number;
  /** Largest file a process may write, in megabytes (its /tmp holds at most twice that). */
  fileMb: number;
}

export interface Launch {
  command: string;
  args: string[];
  /** The run's control group, if any: check it after the run, then remove it. */
  group?: RunGroup;
}

/**
 * The command that runs `argv` (a Node.js command line, paths as seen inside) in a new sandbox, with
 * `learnerDir` (holding `src/`) at /learner and `env` as its whole environment.
 */
export function sandboxed(
  sandbox: Sandbox,
  learnerDir: string,
  argv: string[],
  env: Record<string, string>,
  limits: SandboxLimits,
): Launch {
  const bwrapArgs = [...sandbox.namespaces, ...systemBinds(), "--proc", "/proc", "--dev", "/dev"];
  if (sandbox.tmpfsSize) bwrapArgs.push("--size", String(limits.fileMb * 2 * 1024 * 1024));
  bwrapArgs.push("--tmpfs", "/tmp");
  for (const entry of COURSE_VIEW) {
    bwrapArgs.push("--ro-bind", path.join(ROOT, entry), path.posix.join(SANDBOX_COURSE, entry));
  }
  bwrapArgs.push("--ro-bind", learnerDir, SANDBOX_LEARNER, "--chdir", SANDBOX_COURSE);
  for (const [name, value] of Object.entries(env)) bwrapArgs.push("--setenv", name, value);
  bwrapArgs.push("--", ...argv);

  let group: RunGroup | undefined;
  if (sandbox.cgroups) group = createRunGroup(sandbox.cgroups, limits.memoryMb * 1024 * 1024, limits.tasks);
  const rlimits = sandbox.prlimit
    ? [sandbox.prlimit, `--cpu=${limits.cpuSeconds}`, `--fsize=${limits.fileMb * 1024 * 1024}`, "--core=0", "--"]
    : [];
  // A tiny launcher, one process whose parent is the grader: setpriv gives it the parent-death signal (SIGKILL
  // when the grader dies, kept across the execs below), then the shell checks that its parent is still the
  // grader, which may have died before the signal was set: bwrap's own --die-with-parent comes too late for a
  // grader killed as the run starts (its run lived on). It joins the control groups before anything else runs
  // (so every process the run starts is counted), then becomes prlimit, which becomes bwrap.
  const procs = group?.procs ?? [];
  const script =
    'g=$1; n=$2; shift 2; [ "$PPID" = "$g" ] || exit 125; while [ "$n" -gt 0 ]; do echo $$ > "$1" || exit 125; shift; n=$((n-1)); done; exec "$@"';
  const launcher = sandbox.setpriv ? [sandbox.setpriv, "--pdeathsig", "KILL", "--", "/bin/sh"] : ["/bin/sh"];
  return {
    command: launcher[0],
    args: [
      ...launcher.slice(1),
      "-c",
      script,
      "sandbox",
      String(process.pid),
      String(procs.length),
      ...procs,
      ...rlimits,
      sandbox.bwrap,
      ...bwrapArgs,
    ],
    group,
  };
}
