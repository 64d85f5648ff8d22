import { execFileSync } from "node:child_process";

/** Tests import the compiled library (lib/dist) exactly as notebooks do: build it first. */
export default function buildLib(): void {
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "lib"], { stdio: "inherit" });
}
