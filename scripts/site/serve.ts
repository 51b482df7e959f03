/**
 * `npm run site:serve [-- --port 8080] [--target src]`: builds the course website and serves it on
 * http://127.0.0.1:<port>/. `--target src` makes the interactive pages run your own code. Stop it with Ctrl-C.
 */
import { siteArgs } from "./cli";
import { buildSite } from "./pages";
import { serveStatic } from "./static-server";

const values = siteArgs(
  "npm run site:serve",
  "npm run site:serve [-- --port 8080] [--target src|solutions|<folder>]",
  true,
);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port ${values.port}: expected a port number between 0 and 65535.`);
  process.exit(1);
}
const { out, pages, problems } = buildSite({ target: values.target });
for (const problem of problems) console.error(`warning: ${problem}`);
try {
  const { url } = await serveStatic(out, port);
  console.log(`Serving ${pages.length} pages of the course at ${url} (Ctrl-C stops).`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(code === "EADDRINUSE" ? `Port ${port} is in use: try --port ${port + 1}.` : String(error));
  process.exit(1);
}
