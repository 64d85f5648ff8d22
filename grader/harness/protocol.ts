/**
 * What the test process and its probe process say to each other (IPC messages, structured-clone
 * serialisation). The probe process runs probes, one at a time, on one side (the graded target, or the
 * reference when its outputs are recorded), after a seeded setup. It reads no TypeScript from
 * disk: the test process sends the compiled code of the harness, the probes and the side.
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

/** A module compiled by the test process: its code (CommonJS, inline source map) and its path. */
export interface Compiled {
  file: string;
  code: string;
  /** Exercise functions that hand their work to their library twin → why (twins.ts); they fail. */
  refused?: Record<string, string>;
}

/** Everything the probe process needs for one probe call. */
export interface ProbeJob {
  probes: Compiled;
  probeName: string;
  input: unknown;
  seed: number;
  /** The TensorFlow.js backend of the call, the same for both sides. */
  backend: ProbeBackend;
  side: Side;
  /** The side's compiled module. */
  module: Compiled;
  /** Who is at fault when the side fails: the learner (target) or the grader (reference). */
  blame: Blame;
  /** The course's node_modules, so targets outside the repository still find packages. */
  nodeModules: string;
}

export type Phase = "reference" | "target";

/**
 * `cpu` (plain JavaScript, the oracle) for most probes; `wasm` (single-threaded, deterministic,
 * made trainable by the course's engine) for seeded training runs, which are 3–8× faster there.
 */
export type ProbeBackend = "cpu" | "wasm";

/** Who is at fault when a run fails: the learner's code or the grader (reference, probe, setup). */
export type Blame = "learner" | "grader";

/** A probe call; the process's first one carries the harness's own code (child.ts bundled). */
export type ParentMessage = { type: "job"; harness?: string; job: ProbeJob };

export type ChildMessage =
  /** The side starts; `rss` is the probe process's resident memory in bytes at that moment. */
  | { type: "phase"; phase: Phase; rss: number }
  | { type: "calling"; symbol: string }
  /**
   * An error escaped the probe call (thrown in a timer or callback, or an unhandled rejection);
   * `exitCode` when it was a call to process.exit.
   */
  | { type: "crashed"; text: string; exitCode?: number }
  /** `reusable`: the call ended cleanly and left nothing running, so the process may take another. */
  | { type: "failed"; phase: Phase; blame: Blame; message: string; reusable: boolean }
  | { type: "done"; value: unknown; leakedTensors: number; reusable: boolean };
