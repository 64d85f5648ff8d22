/**
 * Sound from notes, in plain TypeScript: each note is a sum of a few harmonics of its frequency
 * (additive synthesis) shaped by an ADSR envelope; a chorale's notes are summed and written as a
 * 16-bit mono WAV file, which a notebook embeds in an <audio> player as a data: URI.
 */
import { CourseError } from "../errors";
import type { Chorale } from "../data/jsbChorales";
import { choraleNotes } from "./notes";

/** Attack, decay and release in seconds; sustain is a level in [0, 1]. */
export interface Envelope {
  attack: number;
  decay: number;
  sustain: number;
  release: number;
}

export const DEFAULT_ENVELOPE: Envelope = { attack: 0.02, decay: 0.1, sustain: 0.7, release: 0.15 };
/** Relative amplitudes of harmonics 1, 2, 3, 4 (a soft organ-like tone). */
export const DEFAULT_HARMONICS = [1, 0.5, 0.25, 0.125];

/** Equal temperament, A4 = MIDI 69 = 440 Hz. */
export function midiToHz(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

/**
 * The envelope's level at time t (seconds) of a note held for `held` seconds: rise 0 → 1 over
 * the attack, fall to the sustain level over the decay, hold, then fall linearly from the level
 * reached at note-off to 0 over the release.
 */
export function envelopeLevel(t: number, held: number, env: Envelope): number {
  const on = (u: number): number => {
    if (u < env.attack) return u / env.attack;
    if (u < env.attack + env.decay) return 1 - ((u - env.attack) / env.decay) * (1 - env.sustain);
    return env.sustain;
  };
  if (t < 0) return 0;
  if (t < held) return on(t);
  const r = (t - held) / env.release;
  return r >= 1 ? 0 : on(held) * (1 - r);
}

/**
 * One note as samples: Σₖ aₖ·sin(2π·k·f·t) / Σₖ aₖ times the envelope, for `held` seconds plus
 * the release. Harmonics above the Nyquist frequency are left out.
 */
export function synthNote(pitch: number, held: number, sampleRate: number, env: Envelope = DEFAULT_ENVELOPE, harmonics: readonly number[] = DEFAULT_HARMONICS): Float32Array {
  if (!(held >= 0 && sampleRate > 0)) throw new CourseError(`synthNote needs held ≥ 0 and sampleRate > 0, got ${held} and ${sampleRate}.`);
  const f = midiToHz(pitch), n = Math.round((held + env.release) * sampleRate);
  const norm = harmonics.reduce((a, b) => a + Math.abs(b), 0);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    let s = 0;
    harmonics.forEach((a, k) => { if ((k + 1) * f < sampleRate / 2) s += a * Math.sin(2 * Math.PI * (k + 1) * f * t); });
    out[i] = (s / norm) * envelopeLevel(t, held, env);
  }
  return out;
}

export interface RenderOptions {
  /** Quarter notes per minute (default 80): a 16th step lasts 15 / bpm seconds. */
  bpm?: number;
  sampleRate?: number;
  envelope?: Envelope;
}

/** A chorale as samples: every voice's notes summed, then scaled to a peak of 0.9. */
export function renderChorale(chorale: Chorale, options: RenderOptions = {}): Float32Array {
  const { bpm = 80, sampleRate = 16000, envelope = DEFAULT_ENVELOPE } = options;
  const step = 15 / bpm;
  const out = new Float32Array(Math.round((chorale.length * step + envelope.release) * sampleRate) + 1);
  for (const note of choraleNotes(chorale)) {
    const samples = synthNote(note.pitch, note.steps * step, sampleRate, envelope);
    const at = Math.round(note.start * step * sampleRate);
    for (let i = 0; i < samples.length && at + i < out.length; i++) out[at + i]! += samples[i]!;
  }
  let peak = 0;
  for (const v of out) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < out.length; i++) out[i]! *= 0.9 / peak;
  return out;
}

/** A 16-bit PCM mono WAV file (RIFF header + samples clipped to [−1, 1]). */
export function wavBytes(samples: Float32Array, sampleRate: number): Uint8Array {
  const bytes = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(bytes.buffer);
  const text = (at: number, s: string) => { for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i)); };
  text(0, "RIFF"); v.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE");
  text(12, "fmt "); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true); // PCM, mono
  v.setUint32(24, sampleRate, true); v.setUint32(28, sampleRate * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  text(36, "data"); v.setUint32(40, samples.length * 2, true);
  samples.forEach((s, i) => v.setInt16(44 + 2 * i, Math.round(Math.max(-1, Math.min(1, s)) * 32767), true));
  return bytes;
}

/** An <audio> player with the WAV inside it (no file, no network): for tslab.display.html. */
export function audioHtml(wav: Uint8Array, caption = ""): string {
  const src = `data:audio/wav;base64,${Buffer.from(wav).toString("base64")}`;
  const label = caption ? `<div style="font:13px sans-serif">${caption.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</div>` : "";
  return `${label}<audio controls preload="auto" src="${src}"></audio>`;
}
