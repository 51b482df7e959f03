/** `npm run reset -- <lesson> [--yes]`: that lesson's regions in src/ back to the starter (see rewrite.ts). */
import { rewriteCommand } from "./rewrite";
import { processTerminal } from "./terminal";

process.exitCode = await rewriteCommand("reset", process.argv.slice(2), processTerminal());
