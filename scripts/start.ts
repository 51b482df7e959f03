/** `npm start`: the learner's dashboard (see scripts/lib/progress.ts). */
import { dashboardCommand } from "./lib/progress";
import { processTerminal } from "./lib/terminal";

process.exitCode = await dashboardCommand(processTerminal());
