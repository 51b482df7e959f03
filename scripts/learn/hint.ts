/** `npm run hint -- <lesson> [--all] [--reset]` (see hints.ts). */
import { hintCommand } from "./hints";
import { processTerminal } from "./terminal";

process.exitCode = await hintCommand(process.argv.slice(2), processTerminal());
