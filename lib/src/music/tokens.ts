/**
 * Chorales as token streams (lesson 09). A chorale is a list of 16th-note steps, each the MIDI
 * pitches of soprano, alto, tenor and bass (−1 = silent). The stream reads the four voices of a
 * step in turn, so a language model predicts S, then A given S, then T, then B, then the next
 * step's S. A voice that keeps sounding the pitch it had one step earlier writes HOLD, so a note
 * is its pitch token followed by one HOLD per further 16th. Each chorale opens with a header step
 * `BOS BOS BOS <key>` that says its key, which is what a prompt for a key sets. Every chorale is 4·(steps + 1) tokens, so token i is voice i mod 4.
 */
import { CourseError } from "../errors";
import type { Chorale, ChoraleStep } from "../data/jsbChorales";

/** Lowest and highest pitch the vocabulary holds: the data's 36–81 plus room for transposing by ±6. */
export const PITCH_LOW = 30;
export const PITCH_HIGH = 88;
/** Start of a chorale (three of them, then the key token, make the header step). */
export const BOS = 0;
/** A silent voice. */
export const REST = 1;
/** The voice still sounds the pitch it had one step earlier. */
export const HOLD = 2;
/** Token of pitch p is PITCH_OFFSET + p − PITCH_LOW. */
export const PITCH_OFFSET = 3;
/** Token of key k (0–11 major tonics C…B, 12–23 minor tonics) is KEY_OFFSET + k. */
export const KEY_OFFSET = PITCH_OFFSET + PITCH_HIGH - PITCH_LOW + 1;
/** Vocabulary size V: BOS, REST, HOLD, 59 pitches, 24 keys. */
export const MUSIC_VOCAB_SIZE = KEY_OFFSET + 24;
/** Tokens per step (one per voice) and voice names in stream order. */
export const VOICES = 4;
export const VOICE_NAMES = ["soprano", "alto", "tenor", "bass"] as const;

/** A key: tonic pitch class (0 = C … 11 = B) and mode. */
export interface Key {
  tonic: number;
  mode: "major" | "minor";
}

/** 0–23: major keys C…B, then minor keys C…B. */
export function keyIndex(key: Key): number {
  return ((key.tonic % 12) + 12) % 12 + (key.mode === "minor" ? 12 : 0);
}

export function keyFromIndex(index: number): Key {
  return { tonic: index % 12, mode: index >= 12 ? "minor" : "major" };
}

const NAMES = ["C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"];

/** "G major", "F# minor". */
export function keyName(key: Key): string {
  return `${NAMES[keyIndex(key) % 12]} ${key.mode}`;
}

/** Pitch name with octave, MIDI 60 = "C4". */
export function pitchName(pitch: number): string {
  return `${NAMES[pitch % 12]}${Math.floor(pitch / 12) - 1}`;
}

/** The token of one voice's pitch (−1 → REST). Throws outside PITCH_LOW…PITCH_HIGH. */
export function pitchToken(pitch: number): number {
  if (pitch === -1) return REST;
  if (!Number.isInteger(pitch) || pitch < PITCH_LOW || pitch > PITCH_HIGH) {
    throw new CourseError(`Pitch ${pitch} is outside the vocabulary's ${PITCH_LOW}–${PITCH_HIGH} (or −1 for silence); transpose the chorale back into range.`);
  }
  return PITCH_OFFSET + pitch - PITCH_LOW;
}

/** The pitch a token stands for: −1 for REST and for any non-pitch token. */
export function tokenPitch(token: number): number {
  return token >= PITCH_OFFSET && token < KEY_OFFSET ? token - PITCH_OFFSET + PITCH_LOW : -1;
}

/** The header step of a chorale in `key`. */
export function headerTokens(key: Key): number[] {
  return [BOS, BOS, BOS, KEY_OFFSET + keyIndex(key)];
}

/** Header step, then S A T B of every step: HOLD where a voice sounds the same pitch as one step before. */
export function encodeChorale(chorale: Chorale, key: Key): number[] {
  const out = headerTokens(key);
  chorale.forEach((step, t) => step.forEach((p, v) => out.push(t > 0 && p !== -1 && chorale[t - 1]![v] === p ? HOLD : pitchToken(p))));
  return out;
}

/**
 * Back from tokens: the key of the header (if the stream opens with one) and the steps that
 * follow, up to the next header or the last whole step. HOLD repeats the voice's pitch of the step
 * before (silence if there is none); any other non-pitch token in a voice reads as silence.
 */
export function decodeChorale(tokens: readonly number[]): { key: Key | null; chorale: Chorale } {
  let i = 0, key: Key | null = null;
  if (tokens[0] === BOS && tokens.length >= VOICES) {
    const k = tokens[3] as number;
    key = k >= KEY_OFFSET && k < MUSIC_VOCAB_SIZE ? keyFromIndex(k - KEY_OFFSET) : null;
    i = VOICES;
  }
  const chorale: Chorale = [];
  for (; i + VOICES <= tokens.length; i += VOICES) {
    if (tokens[i] === BOS) break;
    const before = chorale[chorale.length - 1];
    chorale.push(tokens.slice(i, i + VOICES).map((t, v) => (t === HOLD ? (before?.[v] ?? -1) : tokenPitch(t))) as ChoraleStep);
  }
  return { key, chorale };
}

/** Every sounding pitch moved by `semitones`; null when a pitch would leave the vocabulary. */
export function transposeChorale(chorale: Chorale, semitones: number): Chorale | null {
  const out: Chorale = [];
  for (const step of chorale) {
    const moved = step.map((p) => (p < 0 ? -1 : p + semitones)) as ChoraleStep;
    if (moved.some((p) => p !== -1 && (p < PITCH_LOW || p > PITCH_HIGH))) return null;
    out.push(moved);
  }
  return out;
}

export function transposeKey(key: Key, semitones: number): Key {
  return { tonic: (((key.tonic + semitones) % 12) + 12) % 12, mode: key.mode };
}

/**
 * What a model reads when it starts in the middle of a piece: the header step of `tokens` (a
 * chorale's stream), then `length` tokens from step boundary `at` on, with the first step written
 * out — a HOLD there would point at a pitch outside the window, so it becomes the token of the
 * pitch that voice still sounds (or REST). Windows for training, scoring and generating are all
 * cut this way.
 */
export function keyedWindow(tokens: ArrayLike<number>, at: number, length: number): number[] {
  if (at < VOICES || at % VOICES !== 0) throw new CourseError(`keyedWindow: a window starts on a step after the header (a multiple of ${VOICES}, ≥ ${VOICES}), got ${at}.`);
  const out = Array.prototype.slice.call(tokens, 0, VOICES) as number[];
  for (let i = at; i < Math.min(at + length, tokens.length); i++) {
    let t = tokens[i] as number;
    if (i < at + VOICES) {
      // Back along the voice to the token that started its note.
      for (let j = i - VOICES; t === HOLD && j >= VOICES; j -= VOICES) t = tokens[j] as number;
      if (t === HOLD) t = REST;
    }
    out.push(t);
  }
  return out;
}
