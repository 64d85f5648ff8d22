/**
 * The lesson module as a probe sees it. Reading an export that does not exist fails with a message
 * naming the file; every exported function is wrapped so an error it throws is tagged with its
 * name ("bigramCounts threw: …"). Some failures are fatal even if a probe catches them: a stub's
 * NotImplementedError, a missing export, an exercise refused for handing its work to its library
 * twin, and a call to process.exit. They are remembered here and fail the probe when it returns.
 */
import type { LessonModule } from "@course/lib";

/** Reading an export the target does not have. */
export class MissingExportError extends Error {
  override name = "MissingExportError";
}

/** Reading an exercise function that hands its work to its library twin (twins.ts). */
export class DelegationError extends Error {
  override name = "DelegationError";
}

/** Learner code called process.exit(code); the probe process turns the call into this error. */
export class ProcessExitError extends Error {
  override name = "ProcessExitError";
  constructor(readonly code: number) {
    super(`called process.exit(${code})`);
  }
}

/** Names that runtimes and test tools probe on any object; they never count as missing. */
const PASS_THROUGH = new Set([
  "then", "toJSON", "__esModule", "constructor", "toString", "valueOf", "inspect",
  "asymmetricMatch", "$$typeof", "nodeType", "@@__IMMUTABLE_ITERABLE__@@",
]);

const FATAL_NAMES = new Set(["NotImplementedError", "MissingExportError", "DelegationError", "ProcessExitError"]);

const thrower = new WeakMap<object, string>();
let fatal: Error | null = null;

/** The exported function an error came out of, if it passed through the module proxy. */
export function thrownBy(err: unknown): string | undefined {
  return typeof err === "object" && err !== null ? thrower.get(err) : undefined;
}

/** Remember the first fatal error of the current phase. */
export function noteFatal(err: unknown): void {
  if (fatal === null && err instanceof Error && FATAL_NAMES.has(err.name)) fatal = err;
}

/** The first fatal error since the last call, then forget it. */
export function takeFatal(): Error | null {
  const err = fatal;
  fatal = null;
  return err;
}

function tag(err: unknown, symbol: string): unknown {
  const error = typeof err === "object" && err !== null ? err : new Error(String(err));
  if (!thrower.has(error)) thrower.set(error, symbol);
  noteFatal(error);
  return error;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { then?: unknown }).then === "function"
  );
}

/** Runs one call of a learner function (the leak counter wraps it); identity when not counting. */
export type Around = <T>(call: () => T) => T;

const direct: Around = (call) => call();

function guarded(symbol: string, onCall: (symbol: string) => void, run: () => unknown, around: Around): unknown {
  onCall(symbol);
  let result: unknown;
  try {
    result = around(run);
  } catch (err) {
    throw tag(err, symbol);
  }
  if (!isThenable(result)) return result;
  return Promise.resolve(result).catch((err: unknown) => {
    throw tag(err, symbol);
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

function wrapFunction(fn: AnyFunction, symbol: string, onCall: (symbol: string) => void, around: Around): AnyFunction {
  return new Proxy(fn, {
    apply: (target, thisArg, args) =>
      guarded(symbol, onCall, () => Reflect.apply(target, thisArg, args), around),
    construct: (target, args, newTarget) =>
      guarded(symbol, onCall, () => Reflect.construct(target, args, newTarget), around) as object,
  });
}

/**
 * Wrap a loaded lesson module. `display` names its file in messages; `onCall` hears the name of
 * each exported function the probe calls (the probe process reports it, so a hang can be attributed);
 * `around` runs each call (the probe process counts the tensors a call leaves behind); reading
 * an export named in `refused` fails with its message.
 */
export function wrapModule(
  mod: LessonModule,
  display: string,
  onCall: (symbol: string) => void,
  around: Around = direct,
  refused: Readonly<Record<string, string>> = {},
): LessonModule {
  const wrapped = new Map<string, AnyFunction>();
  return new Proxy(mod, {
    get(target, prop, receiver) {
      if (typeof prop === "symbol" || PASS_THROUGH.has(prop)) return Reflect.get(target, prop, receiver);
      if (!Object.prototype.hasOwnProperty.call(target, prop)) {
        const err = new MissingExportError(
          `${display} has no export named ${prop} (did you rename or delete it?)`,
        );
        noteFatal(err);
        throw err;
      }
      if (Object.prototype.hasOwnProperty.call(refused, prop)) {
        const err = new DelegationError(refused[prop]);
        noteFatal(err);
        throw err;
      }
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      let fn = wrapped.get(prop);
      if (!fn) {
        fn = wrapFunction(value as AnyFunction, prop, onCall, around);
        wrapped.set(prop, fn);
      }
      return fn;
    },
  });
}
