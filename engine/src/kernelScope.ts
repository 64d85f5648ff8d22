/**
 * Running one backend's registered kernels from inside another kernel.
 *
 * A kernel may call tf ops, but their intermediates then land in whatever tidy scope is open
 * (none, in eager code: they leak) and go through the engine's bookkeeping. Calling the
 * backend's own kernel functions instead yields bare TensorInfos that tf.memory() never sees:
 * they must be freed with `backend.disposeData`, or the backend's heap grows unnoticed. This
 * scope frees everything it made except what the caller keeps.
 */
import * as tf from "@tensorflow/tfjs-core";

export type Info = tf.TensorInfo;

export class KernelScope {
  private made: Info[] = [];

  constructor(
    readonly backend: tf.KernelBackend,
    readonly backendName: string,
  ) {}

  /** Run `kernelName` on this scope's backend; the output is freed by dispose() unless kept. */
  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: object = {}): Info {
    const kernel = tf.getKernel(kernelName, this.backendName);
    if (!kernel) {
      throw new Error(`kernel ${kernelName} is not registered for backend '${this.backendName}'`);
    }
    const backend = this.backend;
    const out = kernel.kernelFunc({ inputs, attrs: attrs as tf.NamedAttrMap, backend });
    if (Array.isArray(out)) {
      throw new Error(`kernel ${kernelName} returned ${out.length} outputs; expected one`);
    }
    this.made.push(out);
    return out;
  }

  /** Free `info` (made outside run(), e.g. by backend.makeOutput) with the rest, unless kept. */
  adopt(info: Info): Info {
    this.made.push(info);
    return info;
  }

  /** Exempt `info` from dispose(): it becomes the caller's output. */
  keep(info: Info): Info {
    this.made = this.made.filter((m) => m !== info);
    return info;
  }

  dispose(): void {
    for (const info of this.made) this.backend.disposeData(info.dataId);
    this.made = [];
  }
}

/** Run `body` with a fresh scope; whatever `body` returns is kept, the rest freed. */
export function withKernelScope(
  backend: tf.KernelBackend,
  backendName: string,
  body: (scope: KernelScope) => Info,
): Info {
  const scope = new KernelScope(backend, backendName);
  try {
    return scope.keep(body(scope));
  } finally {
    scope.dispose();
  }
}
