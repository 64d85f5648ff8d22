/** Grading loads the compiled packages (engine/dist, lib/dist): rebuild them first when their sources are newer. */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".ts") && !f.endsWith(".d.ts"),
  );
}

/** Why PACKAGE/dist (engine or lib) is out of date, or null when it is current. */
export function staleReason(root: string, pkg = "lib"): string | null {
  const src = join(root, pkg, "src");
  const dist = join(root, pkg, "dist");
  if (!existsSync(join(dist, "index.js"))) return `${pkg}/dist is missing`;
  for (const file of sources(src)) {
    const built = join(dist, file.replace(/\.ts$/, ".js"));
    if (!existsSync(built)) return `${pkg}/dist has no build of ${file}`;
    if (statSync(join(src, file)).mtimeMs > statSync(built).mtimeMs) return `${pkg}/src/${file} changed`;
  }
  return null;
}

/** Run `tsc -p engine` and `tsc -p lib` where stale; throws when one does not compile. */
export function ensureLibBuilt(root: string): void {
  for (const pkg of ["engine", "lib"]) {
    const reason = staleReason(root, pkg);
    if (!reason) continue;
    process.stderr.write(`Building the course's ${pkg} package first (${reason})…\n`);
    const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", pkg], { cwd: root, stdio: ["ignore", 2, 2] });
    if (run.status !== 0) {
      throw new Error(
        `The course's ${pkg}/ package does not compile, so nothing was graded. ` +
          `\`npx tsc -p ${pkg}\` shows the errors.`,
      );
    }
  }
}
