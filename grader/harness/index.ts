/**
 * The grader's harness: what lesson tests (grader/tests/*.test.ts) and an instructor's hidden tests
 * import. Hidden tests outside the repository import it as "@course/grader".
 */
export { exercisesOf, graded, type Exercise, type GradeMeta } from "./graded.ts";
export { probe, probeTargetOnly, type ProbeOptions, type ProbeResult } from "./probe.ts";
export { expectClose, MismatchError, type Close } from "./close.ts";
export { targetName } from "./settings.ts";
export { GraderBug, ProbeFailure } from "./failures.ts";
export { isPlainTensor, type PlainTensor } from "./serialise.ts";
