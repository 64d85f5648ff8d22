/**
 * `npm run build:wasm [-- --check]`: assembles engine/wasm/*.wat into NAME.shared.wasm and
 * NAME.plain.wasm beside them, with wabt: once importing a shared memory (tfjs-backend-wasm's
 * threaded build) and once a plain one (its single-threaded build), since an imported memory
 * must match in that respect. The binaries are committed (a few hundred bytes each) so that the
 * library needs no assembler at run time; with --check nothing is written and the exit status
 * is 1 if a committed binary differs from what its .wat assembles to (engine/test/wasm-simd.test.ts
 * runs the same comparison).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import wabtModule from "wabt";

export const WASM_DIR = fileURLToPath(new URL("../engine/wasm/", import.meta.url));

/** { file name: bytes } for every .wat in engine/wasm, both variants. */
export async function assembleAll() {
  const wabt = await wabtModule();
  const out = {};
  for (const file of readdirSync(WASM_DIR).filter((f) => f.endsWith(".wat")).sort()) {
    const text = readFileSync(join(WASM_DIR, file), "utf8");
    // wabt's JavaScript build keeps only each character's low byte: ⌊ (U+230A) becomes a line
    // feed and ends a comment early. Such characters are refused with their place named.
    const bad = [...text.matchAll(/[^\x00-\xff]/gu)].find((m) => [0x0a, 0x0d].includes((m[0].codePointAt(0) ?? 0) & 0xff));
    if (bad?.index !== undefined) {
      const line = text.slice(0, bad.index).split("\n").length;
      throw new Error(`${file}:${line}: "${bad[0]}" cannot be assembled by wabt (its low byte is a line break); write it in ASCII`);
    }
    for (const [variant, sharing] of [["shared", "shared"], ["plain", ""]]) {
      const parsed = wabt.parseWat(file, text.replace("MEMORY_SHARING", sharing), { simd: true, threads: true });
      try {
        // wabt 1.0.39's validate() rejects shared memories whatever the features; V8 checks instead
        const { buffer } = parsed.toBinary({});
        if (!WebAssembly.validate(buffer)) throw new Error(`${file} (${variant}): not a valid WebAssembly module`);
        out[file.replace(/\.wat$/, `.${variant}.wasm`)] = buffer;
      } finally {
        parsed.destroy();
      }
    }
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const check = process.argv.includes("--check");
  let stale = 0;
  for (const [name, bytes] of Object.entries(await assembleAll())) {
    const path = join(WASM_DIR, name);
    let same = false;
    try {
      same = Buffer.compare(readFileSync(path), Buffer.from(bytes)) === 0;
    } catch {
      // missing
    }
    if (check) {
      if (!same) {
        stale++;
        console.error(`engine/wasm/${name} is not what its .wat assembles to: run \`npm run build:wasm\``);
      }
    } else if (!same) {
      writeFileSync(path, bytes);
      console.log(`wrote engine/wasm/${name} (${bytes.length} bytes)`);
    }
  }
  process.exitCode = stale ? 1 : 0;
}
