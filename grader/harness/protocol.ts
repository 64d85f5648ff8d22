/**
 * What the test process and its probe process say to each other (IPC messages, structured-clone
 * serialisation). The probe process runs one probe: first on the reference solution, then on the
 * graded target, each after a fresh seeded setup.
 */

/** One side of a probe run: the file to load and how to name it in messages. */
export interface Side {
  /** Absolute path of the lesson module. */
  file: string;
  /** The path shown to people, e.g. `exercises/01-bigram.ts`. */
  display: string;
  /** True when the file is under exercises/ (its stubs can be regenerated). */
  isExercises: boolean;
}

/** Everything the probe process needs; the first and only message it receives. */
export interface ProbeJob {
  probesFile: string;
  probeName: string;
  input: unknown;
  seed: number;
  /** The reference solution, or null for a target-only probe. */
  reference: Side | null;
  target: Side;
  /** The course's node_modules, so targets outside the repository still find packages. */
  nodeModules: string;
}

export type Phase = "reference" | "target";

/** Who is at fault when a run fails: the learner's code or the grader (reference, probe, setup). */
export type Blame = "learner" | "grader";

export type ParentMessage = { type: "job"; job: ProbeJob };

export type ChildMessage =
  /** A phase starts; `rss` is the probe process's resident memory in bytes at that moment. */
  | { type: "phase"; phase: Phase; rss: number }
  | { type: "calling"; symbol: string }
  /**
   * An error escaped the probe call (thrown in a timer or callback, or an unhandled rejection);
   * `exitCode` when it was a call to process.exit.
   */
  | { type: "crashed"; text: string; exitCode?: number }
  | { type: "failed"; phase: Phase; blame: Blame; message: string }
  | { type: "done"; expected: unknown; actual: unknown; leakedTensors: number };
