// Exercise file generated from solutions/09-music.ts by `npm run exercises`.
// Replace each TODO + throw with your code; `npm run grade` checks it. The generator never
// overwrites this file once you have changed it.
/**
 * Lesson 09 — generating music: chorales as tokens, transposition, key finding, a synthesised
 * note and a MIDI file. A chorale is a list of 16th-note steps [S, A, T, B] of MIDI pitches,
 * −1 where a voice is silent.
 */
import { Midi } from "@tonejs/midi";
import { NotImplementedError, BOS, HOLD, KEY_OFFSET, KK_MAJOR, KK_MINOR, PITCH_HIGH, PITCH_LOW, PITCH_OFFSET, REST, choraleNotes, midiToHz } from "@course/lib";
import type { Chorale, ChoraleStep, Envelope, Key } from "@course/lib";

/**
 * Tokens of a chorale in `key`: the header step BOS BOS BOS (KEY_OFFSET + k), with k = tonic for
 * major and 12 + tonic for minor; then per step the tokens of S, A, T, B: REST for −1; HOLD when
 * the voice sounds the same pitch as in the step before (never in the first step); else
 * PITCH_OFFSET + pitch − PITCH_LOW. Throw an Error for a pitch outside PITCH_LOW … PITCH_HIGH.
 */
export function choraleToTokens(chorale: Chorale, key: Key): number[] {
  // TODO(09.tokens): write choraleToTokens — notebooks/09-music.ipynb, section "2. Notes to tokens" explains it.
  throw new NotImplementedError("09.tokens", "exercises/09-music.ts", "choraleToTokens", "notebooks/09-music.ipynb, section \"2. Notes to tokens\"");
}

/**
 * The inverse: skip the header step if the tokens open with BOS, then read groups of four tokens
 * as steps until the next BOS (a new chorale) or the last whole step. A pitch token gives its
 * pitch; HOLD gives the voice's pitch in the step before (−1 in the first step); REST, or any
 * other token in a voice's place, gives −1.
 */
export function tokensToChorale(tokens: readonly number[]): Chorale {
  // TODO(09.tokens): write tokensToChorale — notebooks/09-music.ipynb, section "2. Notes to tokens" explains it.
  throw new NotImplementedError("09.tokens", "exercises/09-music.ts", "tokensToChorale", "notebooks/09-music.ipynb, section \"2. Notes to tokens\"");
}

/**
 * The chorale moved by `semitones` (silences stay −1), or null if any pitch would leave
 * PITCH_LOW … PITCH_HIGH. Do not change the input.
 */
export function transpose(chorale: Chorale, semitones: number): Chorale | null {
  // TODO(09.transpose): write transpose — notebooks/09-music.ipynb, section "3. Transposition" explains it.
  throw new NotImplementedError("09.transpose", "exercises/09-music.ts", "transpose", "notebooks/09-music.ipynb, section \"3. Transposition\"");
}

/**
 * Share of sounding voice-steps on each pitch class (pitch mod 12, C = 0), as 12 numbers that sum
 * to 1 (all 0 for a silent chorale).
 */
export function pitchClassHistogram(chorale: Chorale): number[] {
  // TODO(09.key): write pitchClassHistogram — notebooks/09-music.ipynb, section "5. Which key?" explains it.
  throw new NotImplementedError("09.key", "exercises/09-music.ts", "pitchClassHistogram", "notebooks/09-music.ipynb, section \"5. Which key?\"");
}

/**
 * Krumhansl–Schmuckler: for each mode (KK_MAJOR, KK_MINOR: ratings with the tonic first) and each
 * tonic 0–11, the Pearson correlation r between the histogram and the profile rotated so that
 * entry pc is profile[(pc − tonic + 12) % 12]. Return the best key and its r; on a tie keep the
 * first found, major before minor, lower tonic first.
 */
export function findKey(histogram: readonly number[]): Key & { r: number } {
  // TODO(09.key): write findKey — notebooks/09-music.ipynb, section "5. Which key?" explains it.
  throw new NotImplementedError("09.key", "exercises/09-music.ts", "findKey", "notebooks/09-music.ipynb, section \"5. Which key?\"");
}

/**
 * One note as round((held + env.release) · sampleRate) samples: the sum of the harmonics
 * k = 1, 2, … with amplitudes `harmonics[k − 1]`, Σ aₖ·sin(2π·k·f·t) / Σ|aₖ| with f = midiToHz(pitch)
 * and t = i / sampleRate, leaving out harmonics at or above sampleRate / 2; times the ADSR level:
 * rising linearly 0 → 1 over the attack, falling to `sustain` over the decay, holding, and after
 * `held` seconds falling linearly from the level reached then to 0 over the release.
 */
export function renderNote(pitch: number, held: number, sampleRate: number, env: Envelope, harmonics: readonly number[]): Float32Array {
  // TODO(09.synth): write renderNote — notebooks/09-music.ipynb, section "7. Hearing it" explains it.
  throw new NotImplementedError("09.synth", "exercises/09-music.ts", "renderNote", "notebooks/09-music.ipynb, section \"7. Hearing it\"");
}

/**
 * A Standard MIDI File with @tonejs/midi: tempo `bpm`, four tracks named soprano, alto, tenor,
 * bass (in that order); each run of one pitch in a voice is one note (use the library's
 * `choraleNotes`), starting at step · ppq / 4 ticks and lasting steps · ppq / 4 ticks
 * (ppq = midi.header.ppq), velocity 0.8. Return `midi.toArray()`.
 */
export function writeMidi(chorale: Chorale, bpm: number): Uint8Array {
  // TODO(09.midi): write writeMidi — notebooks/09-music.ipynb, section "8. A MIDI file" explains it.
  throw new NotImplementedError("09.midi", "exercises/09-music.ts", "writeMidi", "notebooks/09-music.ipynb, section \"8. A MIDI file\"");
}
