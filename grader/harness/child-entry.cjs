// The probe process's entry point (forked by probe.ts): the course library's loader transpiles
// child.ts with its relative imports and runs it. Plain CommonJS, so it starts on every Node
// version without a TypeScript loader.
"use strict";
const { join } = require("node:path");
require("@course/lib").loadModule(join(__dirname, "child.ts"));
