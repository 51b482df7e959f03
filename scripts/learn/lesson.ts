/** `npm run lesson -- <lesson> [vitest options]`: that lesson's tests against src/, in watch mode. */
import { lessonArgs, runVitest } from "./launch";

const [query, ...extra] = process.argv.slice(2);
let args: string[];
try {
  if (!query) throw new Error("Which lesson? Give its number.");
  args = lessonArgs(query, extra);
} catch (error) {
  console.error(`${(error as Error).message}\nusage: npm run lesson -- <lesson>   (for example: npm run lesson -- 3)`);
  process.exit(2);
}
process.exitCode = await runVitest(args);
