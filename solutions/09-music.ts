/**
 * Lesson 09 — generating music: chorales as tokens, transposition, key finding, a synthesised
 * note and a MIDI file. A chorale is a list of 16th-note steps [S, A, T, B] of MIDI pitches,
 * −1 where a voice is silent.
 */
import { Midi } from "@tonejs/midi";
import { BOS, HOLD, KEY_OFFSET, KK_MAJOR, KK_MINOR, PITCH_HIGH, PITCH_LOW, PITCH_OFFSET, REST, choraleNotes, midiToHz } from "@course/lib";
import type { Chorale, ChoraleStep, Envelope, Key } from "@course/lib";

/**
 * Tokens of a chorale in `key`: the header step BOS BOS BOS (KEY_OFFSET + k), with k = tonic for
 * major and 12 + tonic for minor; then per step the tokens of S, A, T, B: REST for −1; HOLD when
 * the voice sounds the same pitch as in the step before (never in the first step); else
 * PITCH_OFFSET + pitch − PITCH_LOW. Throw an Error for a pitch outside PITCH_LOW … PITCH_HIGH.
 */
export function choraleToTokens(chorale: Chorale, key: Key): number[] {
  // BEGIN SOLUTION exercise=09.tokens section="2. Notes to tokens"
  const out = [BOS, BOS, BOS, KEY_OFFSET + key.tonic + (key.mode === "minor" ? 12 : 0)];
  chorale.forEach((step, t) => {
    step.forEach((p, v) => {
      if (p !== -1 && (p < PITCH_LOW || p > PITCH_HIGH)) throw new Error(`pitch ${p} is outside ${PITCH_LOW}–${PITCH_HIGH}`);
      if (p === -1) out.push(REST);
      else if (t > 0 && chorale[t - 1]![v] === p) out.push(HOLD);
      else out.push(PITCH_OFFSET + p - PITCH_LOW);
    });
  });
  return out;
  // END SOLUTION
}

/**
 * The inverse: skip the header step if the tokens open with BOS, then read groups of four tokens
 * as steps until the next BOS (a new chorale) or the last whole step. A pitch token gives its
 * pitch; HOLD gives the voice's pitch in the step before (−1 in the first step); REST, or any
 * other token in a voice's place, gives −1.
 */
export function tokensToChorale(tokens: readonly number[]): Chorale {
  // BEGIN SOLUTION exercise=09.tokens section="2. Notes to tokens"
  const pitch = (t: number) => (t >= PITCH_OFFSET && t < KEY_OFFSET ? t - PITCH_OFFSET + PITCH_LOW : -1);
  const out: Chorale = [];
  for (let i = tokens[0] === BOS ? 4 : 0; i + 4 <= tokens.length; i += 4) {
    if (tokens[i] === BOS) break;
    const before = out.length > 0 ? out[out.length - 1]! : [-1, -1, -1, -1];
    out.push(tokens.slice(i, i + 4).map((t, v) => (t === HOLD ? before[v]! : pitch(t))) as ChoraleStep);
  }
  return out;
  // END SOLUTION
}

/**
 * The chorale moved by `semitones` (silences stay −1), or null if any pitch would leave
 * PITCH_LOW … PITCH_HIGH. Do not change the input.
 */
export function transpose(chorale: Chorale, semitones: number): Chorale | null {
  // BEGIN SOLUTION exercise=09.transpose section="3. Transposition"
  const out = chorale.map((step) => step.map((p) => (p === -1 ? -1 : p + semitones)) as ChoraleStep);
  const fits = out.every((step) => step.every((p) => p === -1 || (p >= PITCH_LOW && p <= PITCH_HIGH)));
  return fits ? out : null;
  // END SOLUTION
}

/**
 * Share of sounding voice-steps on each pitch class (pitch mod 12, C = 0), as 12 numbers that sum
 * to 1 (all 0 for a silent chorale).
 */
export function pitchClassHistogram(chorale: Chorale): number[] {
  // BEGIN SOLUTION exercise=09.key section="5. Which key?"
  const h = new Array<number>(12).fill(0);
  let n = 0;
  for (const step of chorale) for (const p of step) if (p >= 0) { h[p % 12]! += 1; n++; }
  return n > 0 ? h.map((v) => v / n) : h;
  // END SOLUTION
}

/**
 * Krumhansl–Schmuckler: for each mode (KK_MAJOR, KK_MINOR: ratings with the tonic first) and each
 * tonic 0–11, the Pearson correlation r between the histogram and the profile rotated so that
 * entry pc is profile[(pc − tonic + 12) % 12]. Return the best key and its r; on a tie keep the
 * first found, major before minor, lower tonic first.
 */
export function findKey(histogram: readonly number[]): Key & { r: number } {
  // BEGIN SOLUTION exercise=09.key section="5. Which key?"
  const corr = (a: readonly number[], b: readonly number[]) => {
    const ma = a.reduce((s, v) => s + v, 0) / 12, mb = b.reduce((s, v) => s + v, 0) / 12;
    let ab = 0, aa = 0, bb = 0;
    for (let i = 0; i < 12; i++) { ab += (a[i]! - ma) * (b[i]! - mb); aa += (a[i]! - ma) ** 2; bb += (b[i]! - mb) ** 2; }
    return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
  };
  let best: Key & { r: number } = { tonic: 0, mode: "major", r: -Infinity };
  for (const [mode, profile] of [["major", KK_MAJOR], ["minor", KK_MINOR]] as const) {
    for (let tonic = 0; tonic < 12; tonic++) {
      const r = corr(histogram, Array.from({ length: 12 }, (_, pc) => profile[(pc - tonic + 12) % 12]!));
      if (r > best.r) best = { tonic, mode, r };
    }
  }
  return best;
  // END SOLUTION
}

/**
 * One note as round((held + env.release) · sampleRate) samples: the sum of the harmonics
 * k = 1, 2, … with amplitudes `harmonics[k − 1]`, Σ aₖ·sin(2π·k·f·t) / Σ|aₖ| with f = midiToHz(pitch)
 * and t = i / sampleRate, leaving out harmonics at or above sampleRate / 2; times the ADSR level:
 * rising linearly 0 → 1 over the attack, falling to `sustain` over the decay, holding, and after
 * `held` seconds falling linearly from the level reached then to 0 over the release.
 */
export function renderNote(pitch: number, held: number, sampleRate: number, env: Envelope, harmonics: readonly number[]): Float32Array {
  // BEGIN SOLUTION exercise=09.synth section="7. Hearing it"
  const on = (u: number) => (u < env.attack ? u / env.attack
    : u < env.attack + env.decay ? 1 - ((u - env.attack) / env.decay) * (1 - env.sustain) : env.sustain);
  const level = (t: number) => (t < held ? on(t) : Math.max(0, on(held) * (1 - (t - held) / env.release)));
  const f = midiToHz(pitch), norm = harmonics.reduce((s, a) => s + Math.abs(a), 0);
  const out = new Float32Array(Math.round((held + env.release) * sampleRate));
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    let s = 0;
    harmonics.forEach((a, k) => { if ((k + 1) * f < sampleRate / 2) s += a * Math.sin(2 * Math.PI * (k + 1) * f * t); });
    out[i] = (s / norm) * level(t);
  }
  return out;
  // END SOLUTION
}

/**
 * A Standard MIDI File with @tonejs/midi: tempo `bpm`, four tracks named soprano, alto, tenor,
 * bass (in that order); each run of one pitch in a voice is one note (use the library's
 * `choraleNotes`), starting at step · ppq / 4 ticks and lasting steps · ppq / 4 ticks
 * (ppq = midi.header.ppq), velocity 0.8. Return `midi.toArray()`.
 */
export function writeMidi(chorale: Chorale, bpm: number): Uint8Array {
  // BEGIN SOLUTION exercise=09.midi section="8. A MIDI file"
  const midi = new Midi();
  midi.header.setTempo(bpm);
  const tracks = ["soprano", "alto", "tenor", "bass"].map((name) => { const t = midi.addTrack(); t.name = name; return t; });
  const tick = midi.header.ppq / 4;
  for (const n of choraleNotes(chorale)) tracks[n.voice]!.addNote({ midi: n.pitch, ticks: n.start * tick, durationTicks: n.steps * tick, velocity: 0.8 });
  return midi.toArray();
  // END SOLUTION
}
