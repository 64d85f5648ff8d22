import { execFileSync } from "node:child_process";

/** Tests import the compiled packages (engine/dist, lib/dist) exactly as notebooks do: build them first. */
export default function buildLib(): void {
  for (const project of ["engine", "lib"]) {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", project], { stdio: "inherit" });
  }
}
