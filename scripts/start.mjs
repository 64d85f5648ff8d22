// `npm start [-- JUPYTER-ARGS...]`: register the course's TypeScript kernel, then open Jupyter
// on notebooks/ — JupyterLab when installed, else the classic Notebook. Extra arguments go to
// Jupyter unchanged, e.g. `npm start -- --port 9999 --no-browser`.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { KERNEL_DISPLAY_NAME, ROOT, UsageError, findJupyter, installHelp, jupyterEnv, registerKernel, runMain } from "./jupyter.mjs";

async function main() {
  registerKernel();
  const jupyter = findJupyter(["lab", "notebook"]);
  if (!jupyter) throw new UsageError(installHelp("JupyterLab (or the classic Jupyter Notebook)"));
  const app = jupyter.subcommand === "lab" ? "JupyterLab" : "Jupyter Notebook";
  console.log(`Opening ${app} on notebooks/ with the "${KERNEL_DISPLAY_NAME}" kernel (${jupyter.command}). Stop it with Ctrl-C.`);

  const child = spawn(jupyter.command, [jupyter.subcommand, ...process.argv.slice(2)], {
    cwd: join(ROOT, "notebooks"),
    env: jupyterEnv(),
    stdio: "inherit",
  });
  // Ctrl-C reaches Jupyter directly (same terminal): wait for its own shutdown dialogue.
  process.on("SIGINT", () => {});
  for (const signal of /** @type {const} */ (["SIGTERM", "SIGHUP"])) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => {
    child.on("error", (err) => {
      console.error(`Could not start ${jupyter.command}: ${err.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal === "SIGINT" ? 0 : 1)));
  });
}

await runMain(main);
