/**
 * The shipped pages in a real browser: `npm run ship` builds lesson 05's and 07's folders, a
 * localhost server serves them, headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core) types a prompt or presses Draw, and the page's text and digits must equal what
 * onnxruntime-node makes in Node from the same model.onnx with the same seeded sampler. One
 * browser for both pages keeps the cost to a few seconds. Skipped (with the reason) where
 * Chromium is not installed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Rng, digitInputs, encodeChars, loadOrt, ortDrawDigits, ortNextLogits, ortSession, sampleWith, setup } from "@course/lib";
import type { BrowserContext } from "playwright-core";
import { buildShip } from "../ship/build.ts";
import { serveFolder } from "../ship/serve.ts";

const CHROMIUM = process.env.GENAI_CHROMIUM ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run",
  "--disable-component-update", "--disable-sync",
];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.log(`ship-page test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set GENAI_CHROMIUM)`);

describe.skipIf(!haveChromium)("shipped pages run in headless Chromium and match Node", () => {
  const root = mkdtempSync(join(tmpdir(), "ship-test-"));
  let browser: BrowserContext;
  let url: string;
  let close: () => void;

  beforeAll(async () => {
    await setup({ seed: 0, backend: "cpu", quiet: true });
    await buildShip("05", join(root, "05"));
    await buildShip("07", join(root, "07"));
    const served = await serveFolder(root);
    url = served.url;
    close = () => served.server.close();
    const { chromium } = await import("playwright-core");
    browser = await chromium.launchPersistentContext(join(root, "profile"), { executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    close?.();
    rmSync(root, { recursive: true, force: true });
  });

  it("05: a typed prompt samples the same text as sampleWith in onnxruntime-node", async () => {
    const page = await browser.newPage();
    await page.goto(`${url}05/`);
    await page.waitForSelector("#status:text('ready')", { timeout: 60_000 });
    const prompt = "The whale ", seed = 1234, length = 80;
    await page.fill("#prompt", prompt);
    await page.fill("#seed", String(seed));
    await page.fill("#length", String(length));
    await page.click("#sample");
    await page.waitForSelector("#status:text('done')", { timeout: 60_000 });
    const shown = await page.textContent("#output");
    const config = JSON.parse(readFileSync(join(root, "05", "model.json"), "utf8"));
    const ort = await loadOrt();
    const session = await ortSession(readFileSync(join(root, "05", "model.onnx")));
    const ids = await sampleWith(ortNextLogits(ort, session), encodeChars(prompt, config.itos), config.blockSize, new Rng(seed), {
      maxNewTokens: length, temperature: config.temperature, topK: config.topK,
    });
    const expected = ids.map((i) => config.itos[i]).join("");
    expect(shown).toHaveLength(length);
    expect(shown).toBe(expected);
  }, 120_000);

  it("07: the Draw button draws the digits onnxruntime-node draws for the same seed", async () => {
    const page = await browser.newPage();
    await page.goto(`${url}07/`);
    await page.waitForSelector("#status:text('ready')", { timeout: 60_000 });
    await page.fill("#digit-seed", "99");
    await page.selectOption("#digit", "3");
    await page.click("#draw");
    await page.waitForSelector("#status:text('done')", { timeout: 60_000 });
    const shown = (await page.evaluate("window.lastImages")) as number[];
    const config = JSON.parse(readFileSync(join(root, "07", "model.json"), "utf8"));
    const ort = await loadOrt();
    const session = await ortSession(readFileSync(join(root, "07", "model.onnx")));
    const { z, labels } = digitInputs(new Rng(99), config.batch, config.zDim, config.classes);
    const expected = await ortDrawDigits(ort, session, z, labels, config.zDim);
    expect(shown).toHaveLength(config.batch * 784);
    let diff = 0;
    shown.forEach((v, i) => { diff = Math.max(diff, Math.abs(v - expected[i]!)); });
    expect(diff).toBeLessThan(1e-4);
    const ink = await page.evaluate(() => {
      const c = document.getElementById("big") as HTMLCanvasElement;
      return Array.from(c.getContext("2d")!.getImageData(0, 0, 28, 28).data).filter((v, i) => i % 4 === 0 && v > 128).length;
    });
    expect(ink).toBeGreaterThan(20); // the large canvas shows a drawn digit, not a blank square
  }, 120_000);
});
