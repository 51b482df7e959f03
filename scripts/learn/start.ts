/**
 * `npm start`: in a terminal, the guided mode (guided.ts); without one (a pipe, CI), the dashboard printed
 * once (dashboard.ts).
 */
import { dashboardCommand } from "./dashboard";
import { guidedCommand } from "./guided";
import { processTerminal } from "./terminal";

const terminal = processTerminal();
process.exitCode = terminal.interactive ? await guidedCommand() : await dashboardCommand(terminal);
