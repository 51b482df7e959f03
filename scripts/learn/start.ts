/** `npm start`: the learner's dashboard (see dashboard.ts). */
import { dashboardCommand } from "./dashboard";
import { processTerminal } from "./terminal";

process.exitCode = await dashboardCommand(processTerminal());
