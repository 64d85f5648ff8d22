/** Probes for lesson 09: each runs one exercise on seeded chorales, inside the grader's probe process. */
import {
  DEFAULT_ENVELOPE, DEFAULT_HARMONICS, Rng, choraleNotes, decodeChorale, encodeChorale, findKey as libFindKey, midiToChorale,
  pitchClassHistogram as libHistogram, synthNote, transposeChorale,
} from "@course/lib";
import type { Chorale, ChoraleStep, Envelope, Key, LessonModule } from "@course/lib";
import { Midi } from "@tonejs/midi";

/**
 * A seeded four-part chorale of `steps` 16th steps: each voice holds a pitch for 1–8 steps inside
 * its usual range, with a few silences.
 */
function randomChorale(steps: number, seed: number): Chorale {
  const rng = new Rng(seed), lows = [60, 53, 47, 38], span = 18;
  const out: Chorale = Array.from({ length: steps }, () => [-1, -1, -1, -1] as ChoraleStep);
  for (let v = 0; v < 4; v++) {
    for (let t = 0; t < steps;) {
      const len = 1 + rng.int(8), p = rng.uniform() < 0.08 ? -1 : lows[v]! + rng.int(span);
      for (let k = t; k < Math.min(steps, t + len); k++) out[k]![v] = p;
      t += len;
    }
  }
  return out;
}

const errorOf = (f: () => unknown): string | null => { try { f(); return null; } catch (e) { return String(e); } };

export const probes = {
  tokens: (m: LessonModule, input: { steps: number; seed: number; key: Key }) => {
    const c = randomChorale(input.steps, input.seed);
    const tokens = m.choraleToTokens(c, input.key) as number[];
    const rng = new Rng(input.seed + 1);
    const noise = [0, 0, 0, 70, ...Array.from({ length: 4 * 6 + 2 }, () => rng.int(85))]; // a header, then any tokens
    return {
      tokens, library: encodeChorale(c, input.key),
      back: m.tokensToChorale(tokens) as Chorale, original: c,
      noHeader: m.tokensToChorale(tokens.slice(4)) as Chorale,
      twoChorales: m.tokensToChorale([...tokens, ...tokens]) as Chorale,
      noise: m.tokensToChorale(noise) as Chorale, noiseLibrary: decodeChorale(noise).chorale,
      tooHigh: errorOf(() => m.choraleToTokens([[95, 60, 50, 40]], input.key)),
    };
  },

  transpose: (m: LessonModule, input: { steps: number; seed: number; shifts: number[] }) => {
    const c = randomChorale(input.steps, input.seed), copy = JSON.stringify(c);
    const moved = input.shifts.map((s) => m.transpose(c, s) as Chorale | null);
    return {
      moved, library: input.shifts.map((s) => transposeChorale(c, s)),
      unchanged: JSON.stringify(c) === copy,
      backAgain: moved[0] ? (m.transpose(moved[0], -input.shifts[0]!) as Chorale) : null, original: c,
    };
  },

  key: (m: LessonModule, input: { count: number; seed: number }) => {
    const chorales = Array.from({ length: input.count }, (_, i) => randomChorale(64, input.seed + i));
    const hist = chorales.map((c) => m.pitchClassHistogram(c) as number[]);
    const keys = hist.map((h) => m.findKey(h) as Key & { r: number });
    // A C-major scale weighted like the profile is C major; moved up 7 semitones, G major.
    const cMajor = [[60, 64, 55, 48], [62, 65, 59, 43], [64, 67, 60, 48], [67, 64, 59, 43]] as Chorale;
    const inG = cMajor.map((s) => s.map((p) => p + 7)) as Chorale;
    return {
      hist, keys,
      libraryHist: chorales.map((c) => Array.from(libHistogram(c))),
      libraryKeys: hist.map((h) => libFindKey(h)),
      cMajor: m.findKey(m.pitchClassHistogram(cMajor)), inG: m.findKey(m.pitchClassHistogram(inG)),
      silent: m.pitchClassHistogram([[-1, -1, -1, -1]]) as number[],
    };
  },

  synth: (m: LessonModule, input: { pitch: number; held: number; sampleRate: number; env: Envelope; harmonics: number[] }) => {
    const note = m.renderNote(input.pitch, input.held, input.sampleRate, input.env, input.harmonics) as Float32Array;
    const library = synthNote(input.pitch, input.held, input.sampleRate, input.env, input.harmonics);
    const peak = note.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
    const pure = m.renderNote(69, 0.5, 8000, DEFAULT_ENVELOPE, [1]) as Float32Array;
    // Zero crossings of a pure A4 over its sustained part: 2 per cycle → about 440 per second.
    let crossings = 0;
    for (let i = 1601; i < 4000; i++) if (pure[i - 1]! < 0 !== pure[i]! < 0) crossings++;
    return {
      note: Array.from(note), library: Array.from(library), length: note.length, peak,
      start: note[0], end: note[note.length - 1],
      crossingsPerSecond: crossings / ((4000 - 1601) / 8000), defaults: Array.from(m.renderNote(60, 0.1, 8000, DEFAULT_ENVELOPE, DEFAULT_HARMONICS) as Float32Array).length,
    };
  },

  midi: (m: LessonModule, input: { steps: number; seed: number; bpm: number }) => {
    const c = randomChorale(input.steps, input.seed);
    const bytes = m.writeMidi(c, input.bpm) as Uint8Array;
    const back = midiToChorale(bytes), file = new Midi(bytes);
    return {
      back, original: c, notes: choraleNotes(c).length, header: Array.from(bytes.slice(0, 4)),
      names: file.tracks.map((t) => t.name), bpm: file.header.tempos[0]?.bpm ?? null, fileNotes: file.tracks.reduce((n, t) => n + t.notes.length, 0),
    };
  },
};
