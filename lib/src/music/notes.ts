/**
 * Notes from steps, and MIDI files. The grid does not tell a held note from a repeated one, so a
 * voice that keeps the same pitch over consecutive steps is read as one note (as the dataset's
 * README says). MIDI files are written and read with @tonejs/midi (MIT): one track per voice.
 */
import { Midi } from "@tonejs/midi";
import { CourseError } from "../errors";
import type { Chorale, ChoraleStep } from "../data/jsbChorales";
import { VOICES, VOICE_NAMES } from "./tokens";

/** A note: voice 0–3 (S, A, T, B), MIDI pitch, first step and length in steps. */
export interface ChoraleNote {
  voice: number;
  pitch: number;
  start: number;
  steps: number;
}

/** Each voice's runs of one pitch, in voice order then time order. */
export function choraleNotes(chorale: Chorale): ChoraleNote[] {
  const notes: ChoraleNote[] = [];
  for (let voice = 0; voice < VOICES; voice++) {
    let current: ChoraleNote | null = null;
    chorale.forEach((step, t) => {
      const p = step[voice] as number;
      if (current && current.pitch === p) { current.steps++; return; }
      current = p < 0 ? null : { voice, pitch: p, start: t, steps: 1 };
      if (current) notes.push(current);
    });
  }
  return notes;
}

/** Ticks per quarter note in the files written here; a 16th step is a quarter of it. */
export const MIDI_PPQ = 480;

/** A Standard MIDI File of the chorale: four named tracks, one per voice, at `bpm`. */
export function choraleToMidi(chorale: Chorale, bpm = 80): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(bpm);
  const tracks = VOICE_NAMES.map((name, i) => {
    const track = midi.addTrack();
    track.name = name;
    track.channel = i;
    return track;
  });
  const tick = MIDI_PPQ / 4;
  for (const n of choraleNotes(chorale)) {
    tracks[n.voice]!.addNote({ midi: n.pitch, ticks: n.start * tick, durationTicks: n.steps * tick, velocity: 0.8 });
  }
  return midi.toArray();
}

/** Read a file written by choraleToMidi back into steps (the first four tracks are S, A, T, B). */
export function midiToChorale(bytes: Uint8Array): Chorale {
  const midi = new Midi(bytes);
  const tick = midi.header.ppq / 4;
  const tracks = midi.tracks.filter((t) => t.notes.length > 0);
  if (tracks.length === 0 || tracks.length > VOICES) throw new CourseError(`Expected 1–4 tracks with notes (S, A, T, B), found ${tracks.length}.`);
  const end = Math.max(...tracks.flatMap((t) => t.notes.map((n) => Math.round((n.ticks + n.durationTicks) / tick))));
  const chorale: Chorale = Array.from({ length: end }, () => [-1, -1, -1, -1] as ChoraleStep);
  tracks.forEach((t, voice) => {
    for (const n of t.notes) {
      const from = Math.round(n.ticks / tick), to = Math.round((n.ticks + n.durationTicks) / tick);
      for (let s = from; s < to; s++) chorale[s]![voice] = n.midi;
    }
  });
  return chorale;
}
