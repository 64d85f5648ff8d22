// Generated from solutions/09-music.ts by `npm run exercises`: the types `lesson("09")` returns. Do not edit.
import type { Chorale, Envelope, Key } from "../index";
/**
 * Tokens of a chorale in `key`: the header step BOS BOS BOS (KEY_OFFSET + k), with k = tonic for
 * major and 12 + tonic for minor; then per step the tokens of S, A, T, B: REST for −1; HOLD when
 * the voice sounds the same pitch as in the step before (never in the first step); else
 * PITCH_OFFSET + pitch − PITCH_LOW. Throw an Error for a pitch outside PITCH_LOW … PITCH_HIGH.
 */
export declare function choraleToTokens(chorale: Chorale, key: Key): number[];
/**
 * The inverse: skip the header step if the tokens open with BOS, then read groups of four tokens
 * as steps until the next BOS (a new chorale) or the last whole step. A pitch token gives its
 * pitch; HOLD gives the voice's pitch in the step before (−1 in the first step); REST, or any
 * other token in a voice's place, gives −1.
 */
export declare function tokensToChorale(tokens: readonly number[]): Chorale;
/**
 * The chorale moved by `semitones` (silences stay −1), or null if any pitch would leave
 * PITCH_LOW … PITCH_HIGH. Do not change the input.
 */
export declare function transpose(chorale: Chorale, semitones: number): Chorale | null;
/**
 * Share of sounding voice-steps on each pitch class (pitch mod 12, C = 0), as 12 numbers that sum
 * to 1 (all 0 for a silent chorale).
 */
export declare function pitchClassHistogram(chorale: Chorale): number[];
/**
 * Krumhansl–Schmuckler: for each mode (KK_MAJOR, KK_MINOR: ratings with the tonic first) and each
 * tonic 0–11, the Pearson correlation r between the histogram and the profile rotated so that
 * entry pc is profile[(pc − tonic + 12) % 12]. Return the best key and its r; on a tie keep the
 * first found, major before minor, lower tonic first.
 */
export declare function findKey(histogram: readonly number[]): Key & {
    r: number;
};
/**
 * One note as round((held + env.release) · sampleRate) samples: the sum of the harmonics
 * k = 1, 2, … with amplitudes `harmonics[k − 1]`, Σ aₖ·sin(2π·k·f·t) / Σ|aₖ| with f = midiToHz(pitch)
 * and t = i / sampleRate, leaving out harmonics at or above sampleRate / 2; times the ADSR level:
 * rising linearly 0 → 1 over the attack, falling to `sustain` over the decay, holding, and after
 * `held` seconds falling linearly from the level reached then to 0 over the release.
 */
export declare function renderNote(pitch: number, held: number, sampleRate: number, env: Envelope, harmonics: readonly number[]): Float32Array;
/**
 * A Standard MIDI File with @tonejs/midi: tempo `bpm`, four tracks named soprano, alto, tenor,
 * bass (in that order); each run of one pitch in a voice is one note (use the library's
 * `choraleNotes`), starting at step · ppq / 4 ticks and lasting steps · ppq / 4 ticks
 * (ppq = midi.header.ppq), velocity 0.8. Return `midi.toArray()`.
 */
export declare function writeMidi(chorale: Chorale, bpm: number): Uint8Array;
