// `npm start` and the one Jupyter install line (scripts/jupyter-packages.txt) that README.md,
// `npm start`, `npm test` and .ci/run all use.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, aptInstallCommand, aptPackages, findJupyter, installHelp, startArgs } from "../jupyter.mjs";

const scratch = mkdtempSync(join(tmpdir(), "start-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the Jupyter install line", () => {
  it("is named once and shown verbatim by README.md, the messages and .ci/run", () => {
    const packages = aptPackages();
    expect(packages).toContain("jupyter-notebook");
    expect(packages).toContain("jupyter-nbconvert");
    const line = `apt install ${packages.join(" ")}`;
    expect(readFileSync(join(ROOT, "README.md"), "utf8")).toContain(line);
    expect(readFileSync(join(ROOT, ".ci", "run"), "utf8")).toContain("scripts/jupyter-packages.txt");
    expect(installHelp("Jupyter")).toContain(aptInstallCommand());
  });

  it("says sudo only when not root", () => {
    expect(aptInstallCommand(true)).toMatch(/^apt install jupyter-notebook/);
    expect(aptInstallCommand(false)).toMatch(/^sudo apt install jupyter-notebook/);
  });
});

describe("finding Jupyter", () => {
  it("finds nothing where there is nothing, and says how to install it", () => {
    expect(findJupyter(["lab", "notebook", "nbconvert"], { path: scratch, systemDirs: [] })).toBeNull();
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.mjs")], {
      env: { ...process.env, GENAI_JUPYTER: join(scratch, "no-such-jupyter") },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(aptInstallCommand());
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("falls back to `python3 -m nbconvert` when no `jupyter nbconvert` command exists", (ctx) => {
    const python = spawnSync("/usr/bin/python3", ["-m", "nbconvert", "--version"], { stdio: "ignore" });
    if (python.status !== 0) ctx.skip("Debian's python3 has no nbconvert module here");
    const bin = mkdtempSync(join(scratch, "bin-"));
    symlinkSync("/usr/bin/python3", join(bin, "python3"));
    expect(findJupyter(["nbconvert"], { path: bin, systemDirs: [] })).toEqual({
      app: "nbconvert",
      argv: [join(bin, "python3"), "-m", "nbconvert"],
    });
  });
});

describe("npm start", () => {
  it("adds --allow-root as root and says so, and keeps the user's arguments", () => {
    const asRoot = startArgs(["--no-browser", "--port", "9999"], true, {});
    expect(asRoot.args).toEqual(["--no-browser", "--port", "9999", "--allow-root"]);
    expect(asRoot.notes.join("\n")).toContain("root");
    expect(startArgs(["--port", "1"], false, {}).args).toEqual(["--port", "1"]);
    const npmKept = startArgs([], false, { npm_config_allow_root: "true" });
    expect(npmKept.args).toEqual(["--allow-root"]);
    expect(npmKept.notes.join("\n")).toContain("npm start -- --no-browser --port 8888");
  });

  it("serves notebooks/ with `npm start -- --no-browser --port N`", async (ctx) => {
    if (!findJupyter(["lab", "notebook"])) ctx.skip("no JupyterLab or classic Notebook installed here");
    const port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs"), "--no-browser", `--port=${port}`], {
      env: { ...process.env, JUPYTER_RUNTIME_DIR: join(scratch, "runtime"), JUPYTER_CONFIG_DIR: join(scratch, "config") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    try {
      const token = await waitFor(() => /[?&]token=([0-9a-f]+)/.exec(output)?.[1], 60_000);
      const listing = await poll(`http://127.0.0.1:${port}/api/contents?token=${token}`, 30_000);
      expect(listing).toContain("01-bigram.ipynb");
      const kernels = await poll(`http://127.0.0.1:${port}/api/kernelspecs?token=${token}`, 10_000);
      expect(kernels).toContain("TypeScript (course)");
    } finally {
      child.kill("SIGTERM");
    }
    expect(output).toContain("Opening");
  }, 300_000); // Jupyter's start and a kernel listing: slow on a loaded machine
});

function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** `probe()`'s first defined value, checked every 300 ms. */
async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let v = probe(); ; v = probe()) {
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`nothing within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** GET `url` until it answers 200 (the server may still be starting). */
async function poll(url: string, timeoutMs: number): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return await r.text();
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
