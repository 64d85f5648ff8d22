/**
 * What the grader's main thread and its probe worker say to each other. The worker runs one probe:
 * first on the reference solution, then on the graded target, each after a fresh seeded setup.
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

/** Everything the worker needs, passed as `workerData`. */
export interface WorkerJob {
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

export type WorkerMessage =
  | { type: "phase"; phase: Phase }
  | { type: "calling"; symbol: string }
  | { type: "failed"; phase: Phase; blame: Blame; message: string }
  | { type: "done"; expected: unknown; actual: unknown; leakedTensors: number };
