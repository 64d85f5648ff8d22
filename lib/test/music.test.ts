import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BOS, HOLD, KEY_OFFSET, MUSIC_VOCAB_SIZE, NGramLM, REST, Rng, choraleKey, choraleNotes, choraleToMidi, copyRate, decodeChorale, encodeChorale,
  findKey, histogramDistance, keyAgreement, loadJsbChorales, midiToChorale, parseJsbChorales, pitchClassHistogram, renderChorale,
  shuffledNotes, keyedWindow, keyedWindows, tokenPieces, synthNote, tf, tokenStream, transposeChorale, voiceQuality, voiceRanges, wavBytes, withKeys, setup,
  extendRows, ngramScores, GptLM, modelScores, generateInKeys,
} from "@course/lib";
import type { Chorale } from "@course/lib";

describe("lesson 09: chorales", () => {
  it("loads the reference split with its checksum, and rejects a malformed file with a fix", () => {
    const d = loadJsbChorales();
    expect([d.train.length, d.valid.length, d.test.length]).toEqual([229, 76, 77]);
    expect(d.train.reduce((n, c) => n + c.length, 0)).toBe(55228);
    expect(d.test[0]![0]).toEqual([65, 60, 57, 53]);
    expect(() => parseJsbChorales('{"train": [[[60, 50]]], "valid": [], "test": []}')).toThrow(/train\[0\].*git checkout -- datasets\/jsb-chorales/);
    expect(() => parseJsbChorales("not json")).toThrow(/does not parse/);
  });

  it("tokens round-trip, transposition stays in the vocabulary, keys move with it", () => {
    const c = loadJsbChorales().test[3]!, key = choraleKey(c);
    const tokens = encodeChorale(c, key);
    expect(tokens.slice(0, 3)).toEqual([BOS, BOS, BOS]);
    expect(tokens[3]! >= KEY_OFFSET && tokens[3]! < MUSIC_VOCAB_SIZE).toBe(true);
    expect(Math.max(...tokens)).toBeLessThan(MUSIC_VOCAB_SIZE);
    expect(decodeChorale(tokens).chorale).toEqual(c);
    expect(decodeChorale(tokens).key).toEqual({ tonic: key.tonic, mode: key.mode });
    const up = transposeChorale(c, 2)!;
    expect(choraleKey(up).tonic).toBe((key.tonic + 2) % 12);
    expect(transposeChorale(c, 40)).toBeNull();
    expect(decodeChorale([BOS, BOS, BOS, KEY_OFFSET, REST, 3, KEY_OFFSET + 1, 5, HOLD, HOLD, 4, HOLD]).chorale).toEqual([[-1, 30, -1, 32], [-1, 30, 31, 32]]);
    expect(encodeChorale([[60, -1, 50, 40], [60, -1, 52, 40]], key).slice(4)).toEqual([33, REST, 23, 13, HOLD, REST, 25, HOLD]);
  });

  it("Krumhansl–Schmuckler finds C major in a C major scale and its relative minor's key when weighted on A", () => {
    const cMajor: Chorale = [60, 62, 64, 65, 67, 69, 71, 72, 60, 64, 67, 60].map((p) => [p, -1, -1, -1]);
    expect(findKey(pitchClassHistogram(cMajor))).toMatchObject({ tonic: 0, mode: "major" });
    const aMinor: Chorale = [57, 59, 60, 62, 64, 65, 68, 69, 57, 60, 64, 57, 64, 57].map((p) => [p, -1, -1, -1]);
    expect(findKey(pitchClassHistogram(aMinor))).toMatchObject({ tonic: 9, mode: "minor" });
  });

  it("keyed windows open with their chorale's header and go on from a step of it; the n-gram gives proper distributions", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const items = withKeys(loadJsbChorales().valid.slice(0, 5));
    const stream = tokenStream(items), pieces = tokenPieces(items);
    const { x, y } = keyedWindows(pieces, 16, 8, new Rng(3));
    const xs = x.arraySync(), ys = y.arraySync();
    for (const [b, row] of xs.entries()) {
      expect(ys[b]!.slice(0, 3)).toEqual([-1, -1, -1]);
      expect(ys[b]!.slice(3, 15)).toEqual(row.slice(4));
      expect(row.slice(4, 8)).not.toContain(HOLD); // the first step is written out
      // Some chorale, cut by keyedWindow at a step, gives this row and ys's last token.
      const found = pieces.some((p) => Array.from({ length: p.length / 4 }, (_, k) => 4 * k).some((i) => i >= 4 &&
        keyedWindow(p, i, 13).join() === [...row, ys[b]![15]].join()));
      expect(found).toBe(true);
    }
    expect(() => keyedWindows(pieces, 14, 2, new Rng(1))).toThrow(/4·k tokens/);
    // A held note at the cut is written out as its pitch; a held rest as REST.
    const held = encodeChorale([[60, -1, 50, 40], [60, -1, 52, 40], [60, -1, 52, 41]], { tonic: 0, mode: "major" });
    expect(held.slice(12)).toEqual([HOLD, REST, HOLD, 14]);
    expect(keyedWindow(held, 12, 4)).toEqual([...held.slice(0, 4), 33, REST, 25, 14]);
    expect(keyedWindow(held, 8, 8)).toEqual([...held.slice(0, 4), 33, REST, 25, 13, ...held.slice(12)]);
    expect(() => keyedWindow(held, 6, 4)).toThrow(/multiple of 4/);
    tf.dispose([x, y]);
    const ngram = new NGramLM(5, MUSIC_VOCAB_SIZE).fit(stream);
    const p = ngram.probs(Array.from(stream.slice(0, 40)));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(ngram.nll(stream)).toBeLessThan(1.5); // on its own training data
    const scores = ngram.chooseOrder(tokenPieces(withKeys(loadJsbChorales().test.slice(0, 3))), 4);
    expect(Object.keys(scores)).toEqual(["2", "3", "4", "5"]);
    const rows = extendRows(ngramScores(ngram), [Array.from(stream.slice(0, 8))], 3, new Rng(1));
    expect(rows[0]!.slice(8).every((t) => t >= REST && t < KEY_OFFSET)).toBe(true); // only voice tokens are drawn
  });

  it("a GPT generates seeded chorales in the asked keys' headers, without leaking tensors", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const gpt = new GptLM({ vocabSize: MUSIC_VOCAB_SIZE, blockSize: 16, embeddingSize: 8, heads: 2, layers: 1 }, new Rng(2));
    const before = tf.memory().numTensors;
    const keys = [{ tonic: 0, mode: "major" as const }, { tonic: 9, mode: "minor" as const }];
    const a = generateInKeys(modelScores(gpt), keys, 3, new Rng(5)), b = generateInKeys(modelScores(gpt), keys, 3, new Rng(5));
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toEqual(b);
    expect(a.map((c) => c.length)).toEqual([3, 3]);
    gpt.dispose();
  });

  it("generation keeps the key in view: past blockSize the header stays and whole steps drop from the front", async () => {
    await setup({ seed: 1, backend: "cpu", quiet: true });
    const seen: number[][][] = [];
    const probe = { name: "probe", blockSize: 16, vocabSize: MUSIC_VOCAB_SIZE, variables: [],
      logits: (idx: tf.Tensor2D) => { seen.push(idx.arraySync()); return tf.zeros([idx.shape[0], idx.shape[1], MUSIC_VOCAB_SIZE]) as tf.Tensor3D; } };
    const [c] = generateInKeys(modelScores(probe), [{ tonic: 2, mode: "minor" }], 6, new Rng(1));
    expect(c!.length).toBe(6);
    expect(seen.length).toBe(24);
    for (const [i, [row]] of seen.entries()) {
      expect(row!.slice(0, 4)).toEqual([BOS, BOS, BOS, KEY_OFFSET + 14]);
      expect(row!.length).toBeLessThanOrEqual(16);
      expect((4 + i - row!.length) % 4).toBe(0); // dropped whole steps only
      if (row!.length < 4 + i) expect(row!.slice(4, 8)).not.toContain(HOLD); // and wrote out the first
    }
    expect(seen[23]![0]!.length).toBe(15); // 4 + 23 tokens → header + the last 2¾ steps
  });

  it("metrics: real music is closer to real music than shuffled notes; copies are found in any key", () => {
    const d = loadJsbChorales();
    const control = shuffledNotes(d.test, d.test, new Rng(1));
    expect(histogramDistance(d.valid, d.test)).toBeLessThan(0.5 * histogramDistance(control, d.test));
    expect(control.map((c) => c.length)).toEqual(d.test.map((c) => c.length));
    const ranges = voiceRanges(d.train);
    expect(voiceQuality(d.train, ranges).inRange).toBe(1);
    expect(voiceQuality(d.test, ranges).noCrossing).toBeGreaterThan(0.9);
    const copied = d.train.slice(0, 3).map((c) => transposeChorale(c.slice(5, 5 + 64), 3)!);
    expect(copyRate(copied, d.train, 2)).toBe(1);
    expect(keyAgreement(d.test.map(choraleKey), d.test)).toEqual({ key: 1, mode: 1 });
  });

  it("MIDI files read back to the same steps; the WAV is valid and sounds at the note's pitch (sox)", () => {
    const c = loadJsbChorales().test[0]!.slice(0, 48);
    expect(midiToChorale(choraleToMidi(c, 90))).toEqual(c);
    expect(choraleNotes([[60, -1, -1, -1], [60, -1, -1, -1], [62, -1, -1, -1]])).toEqual([
      { voice: 0, pitch: 60, start: 0, steps: 2 }, { voice: 0, pitch: 62, start: 2, steps: 1 },
    ]);
    const wav = wavBytes(synthNote(69, 1, 16000, undefined, [1]), 16000);
    expect(Buffer.from(wav.slice(0, 4)).toString()).toBe("RIFF");
    expect(wav.length).toBe(44 + 2 * Math.round(1.15 * 16000));
    const samples = renderChorale(c);
    expect(samples.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeCloseTo(0.9, 5);
    try { execFileSync("sox", ["--version"]); } catch { return; } // sox (Debian) is optional: the pitch check needs it
    const file = join(mkdtempSync(join(tmpdir(), "music-")), "a4.wav");
    writeFileSync(file, wav);
    // `sox FILE -n stat` prints "Rough   frequency:   440" (from zero crossings) on stderr.
    const stat = spawnSync("sox", [file, "-n", "stat"], { encoding: "utf8" }).stderr;
    const rough = Number(/Rough\s+frequency:\s+(\d+)/.exec(stat)?.[1]);
    expect(Math.abs(rough - 440)).toBeLessThan(10);
  });
});
