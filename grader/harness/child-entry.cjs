// The probe process's entry point (spawned by probe.ts, inside the sandbox). It reads nothing
// but this file and packages: its first IPC message carries the harness (child.ts, compiled by
// the test process) and a job; every message carries a job, whose lesson module and probes come
// compiled as well.
"use strict";
const Module = require("node:module");
const { join } = require("node:path");

let harness = null;
process.on("message", (message) => {
  if (harness === null) {
    harness = new Module(join(__dirname, "child.js"), module);
    harness.filename = join(__dirname, "child.js");
    harness.paths = Module._nodeModulePaths(__dirname);
    harness._compile(message.harness, harness.filename);
  }
  harness.exports.run(message.job);
});
