/** `npm run solve -- <lesson> [--yes]`: that lesson's regions in src/ filled with the reference (see rewrite.ts). */
import { rewriteCommand } from "./rewrite";
import { processTerminal } from "./terminal";

process.exitCode = await rewriteCommand("solve", process.argv.slice(2), processTerminal());
