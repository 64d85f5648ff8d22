/** Grading loads the compiled library (lib/dist): rebuild it first when lib/src is newer. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".d.ts"),
  );
}

/** Why lib/dist is out of date, or null when it is current. */
export function staleReason(root: string): string | null {
  const src = join(root, "lib", "src");
  const dist = join(root, "lib", "dist");
  if (!existsSync(join(dist, "index.js"))) return "lib/dist is missing";
  for (const file of sources(src)) {
    const built = join(dist, file.replace(/\.ts$/, ".js"));
    if (!existsSync(built)) return `lib/dist has no build of ${file}`;
    if (statSync(join(src, file)).mtimeMs > statSync(built).mtimeMs) return `lib/src/${file} changed`;
  }
  return null;
}

/** Run `tsc -p lib` when lib/dist is stale; throws when the library does not compile. */
export function ensureLibBuilt(root: string): void {
  const reason = staleReason(root);
  if (!reason) return;
  process.stderr.write(`Building the course library first (${reason})…\n`);
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", "lib"], { cwd: root, stdio: ["ignore", 2, 2] });
  if (run.status !== 0) {
    throw new Error(
      "The course library (lib/) does not compile, so nothing was graded. " +
        "`npx tsc -p lib` shows the errors.",
    );
  }
}
