// `npm start [-- JUPYTER-ARGS...]`: register the course's TypeScript kernel, then open Jupyter
// on notebooks/ — JupyterLab when installed, else the classic Notebook. Extra arguments go to
// Jupyter unchanged, e.g. `npm start -- --no-browser --port 8888`. As root (a container) it adds
// `--allow-root`, which Jupyter otherwise demands.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { KERNEL_DISPLAY_NAME, ROOT, UsageError, findJupyter, installHelp, jupyterEnv, registerKernel, runMain, startArgs } from "./jupyter.mjs";

async function main() {
  registerKernel();
  const jupyter = findJupyter(["lab", "notebook"]);
  if (!jupyter) throw new UsageError(installHelp("JupyterLab (or the classic Jupyter Notebook)"));
  const app = jupyter.app === "lab" ? "JupyterLab" : "the classic Jupyter Notebook";
  const { args, notes } = startArgs(process.argv.slice(2));
  for (const note of notes) console.log(note);
  const command = [...jupyter.argv, ...args];
  console.log(`Opening ${app} on notebooks/ with the "${KERNEL_DISPLAY_NAME}" kernel: ${command.join(" ")}`);
  console.log("Stop it with Ctrl-C.");

  const child = spawn(command[0], command.slice(1), { cwd: join(ROOT, "notebooks"), env: jupyterEnv(), stdio: "inherit" });
  // Ctrl-C reaches Jupyter directly (same terminal): wait for its own shutdown dialogue.
  process.on("SIGINT", () => {});
  for (const signal of /** @type {const} */ (["SIGTERM", "SIGHUP"])) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on("error", (err) => {
      console.error(`Could not start ${command[0]}: ${err.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 0 : 1)));
  });
}

await runMain(main);
