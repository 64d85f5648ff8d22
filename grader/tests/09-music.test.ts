import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe, probeTargetOnly } from "../harness/index.ts";

const probes = new URL("../probes/09-music.ts", import.meta.url);
const ex = exercisesOf("09", "notebooks/09-music.ipynb");

const tokens = ex("tokens", 2, "2. Notes to tokens");
const transpose = ex("transpose", 1, "3. Transposition");
const key = ex("key", 2, "5. Which key?");
const synth = ex("synth", 2, "7. Hearing it");
const midi = ex("midi", 2, "8. A MIDI file");

type Steps = number[][];
type Tok = { tokens: number[]; library: number[]; back: Steps; original: Steps; noHeader: Steps; twoChorales: Steps; noise: Steps; noiseLibrary: Steps; tooHigh: string | null };
type Tr = { moved: (Steps | null)[]; library: (Steps | null)[]; unchanged: boolean; backAgain: Steps | null; original: Steps };
type K = { tonic: number; mode: string; r: number };
type Keys = { hist: number[][]; keys: K[]; libraryHist: number[][]; libraryKeys: K[]; cMajor: K; inG: K; silent: number[] };
type Syn = { note: number[]; library: number[]; length: number; peak: number; start: number; end: number; crossingsPerSecond: number; defaults: number };
type Mid = { back: Steps; original: Steps; notes: number; header: number[]; names: string[]; bpm: number | null; fileNotes: number };

const env = { attack: 0.01, decay: 0.05, sustain: 0.6, release: 0.1 };

describe("lesson 09: generating music", () => {
  graded(tokens, "tokens of a seeded 40-step chorale in A minor, and decoding, match the reference", async () => {
    const r = await probe<Tok>("09", probes, "tokens", { steps: 40, seed: 3, key: { tonic: 9, mode: "minor" } });
    expect(r.actual.tokens, "choraleToTokens(chorale, A minor)").toEqual(r.expected.tokens);
    expect(r.actual.noise, "tokensToChorale of a header and arbitrary tokens").toEqual(r.expected.noise);
  });
  graded(tokens, "header + 4 tokens a step, equal to the library's; decoding inverts it and stops at the next chorale", async () => {
    const r = await probeTargetOnly<Tok>("09", probes, "tokens", { steps: 33, seed: 8, key: { tonic: 7, mode: "major" } });
    expect(r.actual.tokens.length, "4 header tokens + 4 per step").toBe(4 + 4 * 33);
    expect(r.actual.tokens, "choraleToTokens vs the library's encodeChorale").toEqual(r.actual.library);
    expect(r.actual.back, "tokensToChorale(choraleToTokens(c)) = c").toEqual(r.actual.original);
    expect(r.actual.noHeader, "tokens without their header decode to the same steps").toEqual(r.actual.original);
    expect(r.actual.twoChorales, "two chorales in a row: only the first").toEqual(r.actual.original);
    expect(r.actual.noise, "arbitrary tokens vs the library's decodeChorale").toEqual(r.actual.noiseLibrary);
    expect(r.actual.tooHigh, "a pitch of 95 must throw").not.toBeNull();
  });

  graded(transpose, "transposed seeded chorales match the reference; out-of-range gives null, the input is untouched", async () => {
    const r = await probe<Tr>("09", probes, "transpose", { steps: 30, seed: 5, shifts: [3, -6, 0, 12, -20] });
    expect(r.actual.moved, "transpose(c, s) for s = 3, −6, 0, 12, −20").toEqual(r.expected.moved);
    expect(r.actual.moved, "vs the library's transposeChorale").toEqual(r.actual.library);
    expect(r.actual.unchanged, "the input chorale must not change").toBe(true);
    expect(r.actual.backAgain, "transpose(transpose(c, 3), −3) = c").toEqual(r.actual.original);
    expect(r.actual.moved[4], "−20 semitones leaves the vocabulary: null").toBeNull();
  });

  graded(key, "pitch-class histograms and Krumhansl–Schmuckler keys of 12 seeded chorales match the reference", async () => {
    const r = await probe<Keys>("09", probes, "key", { count: 12, seed: 21 });
    expectClose(r.actual.hist, r.expected.hist, { rtol: 1e-9, atol: 1e-12, what: "pitchClassHistogram" });
    expectClose(r.actual.keys, r.expected.keys, { rtol: 1e-9, atol: 1e-9, what: "findKey(histogram)" });
  });
  graded(key, "equal to the library's; sums to 1; a C-major scale is C major and moves to G major up a fifth", async () => {
    const r = await probeTargetOnly<Keys>("09", probes, "key", { count: 6, seed: 40 });
    expectClose(r.actual.hist, r.actual.libraryHist, { rtol: 1e-9, atol: 1e-12, what: "pitchClassHistogram vs the library's" });
    expectClose(r.actual.keys, r.actual.libraryKeys, { rtol: 1e-9, atol: 1e-9, what: "findKey vs the library's" });
    for (const h of r.actual.hist) expectClose(h.reduce((a, b) => a + b, 0), 1, { rtol: 0, atol: 1e-9, what: "histogram sum" });
    expect(r.actual.silent, "a silent chorale's histogram").toEqual(new Array(12).fill(0));
    expect([r.actual.cMajor.tonic, r.actual.cMajor.mode], "key of C E G / D F B / E G C / G E B").toEqual([0, "major"]);
    expect([r.actual.inG.tonic, r.actual.inG.mode], "the same moved up 7 semitones").toEqual([7, "major"]);
  });

  graded(synth, "a seeded note (E4, 0.25 s at 8 kHz, 3 harmonics) matches the reference sample by sample", async () => {
    const input = { pitch: 64, held: 0.25, sampleRate: 8000, env, harmonics: [1, 0.4, 0.2] };
    const r = await probe<Syn>("09", probes, "synth", input);
    expect(r.actual.length, "samples: round((held + release) · sampleRate)").toBe(r.expected.length);
    expectClose(r.actual.note, r.expected.note, { rtol: 1e-4, atol: 1e-5, what: "renderNote samples" });
  });
  graded(synth, "equals the library's synthNote; starts and ends silent, peaks ≤ 1; a pure A4 crosses zero ~880 times a second", async () => {
    const r = await probeTargetOnly<Syn>("09", probes, "synth", { pitch: 57, held: 0.2, sampleRate: 11025, env, harmonics: [1, 0.5, 0.25, 0.125, 0.1] });
    expectClose(r.actual.note, r.actual.library, { rtol: 1e-4, atol: 1e-5, what: "renderNote vs the library's synthNote" });
    expect(Math.abs(r.actual.start), "first sample (envelope at 0)").toBeLessThan(1e-6);
    expect(Math.abs(r.actual.end), "last sample (end of the release)").toBeLessThan(0.05);
    expect(r.actual.peak, "peak amplitude").toBeLessThanOrEqual(1);
    expect(r.actual.peak, "peak amplitude").toBeGreaterThan(0.3);
    expect(Math.abs(r.actual.crossingsPerSecond - 880), "zero crossings per second of a 440 Hz sine").toBeLessThan(10);
  });

  graded(midi, "a MIDI file of a seeded chorale reads back (with @tonejs/midi) to the same steps", async () => {
    const r = await probeTargetOnly<Mid>("09", probes, "midi", { steps: 48, seed: 9, bpm: 90 });
    expect(r.actual.header, "a Standard MIDI File starts with MThd").toEqual([0x4d, 0x54, 0x68, 0x64]);
    expect(r.actual.back, "midiToChorale(writeMidi(c)) = c").toEqual(r.actual.original);
  });
  graded(midi, "tempo, track names and note count as the reference writes them", async () => {
    const r = await probe<Mid>("09", probes, "midi", { steps: 32, seed: 2, bpm: 72 });
    expect(r.actual.back, "steps read back").toEqual(r.expected.back);
    expect(r.actual.names, "track names").toEqual(r.expected.names);
    expect(r.actual.names, "track names").toEqual(["soprano", "alto", "tenor", "bass"]);
    expectClose(r.actual.bpm, 72, { rtol: 1e-6, atol: 1e-6, what: "the file's tempo (bpm)" });
    expect(r.actual.fileNotes, "notes in the file: one per run of a pitch in a voice").toBe(r.actual.notes);
  });
});
