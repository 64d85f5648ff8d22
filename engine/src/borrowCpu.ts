/**
 * A kernel that runs another backend's missing kernel on the cpu backend: copy the inputs
 * over, run tfjs-backend-cpu's implementation, copy the outputs back. Slow (pure JavaScript
 * plus two copies) but exactly the cpu backend's answer, so it is the fallback wherever a
 * faster rewrite does not apply.
 */
import * as tf from "@tensorflow/tfjs-core";
import { quietCpuBackend } from "./cpu";
import { Info } from "./kernelScope";

export function borrowCpuKernel(kernelName: string): tf.KernelFunc {
  return ({ inputs, attrs, backend }) => {
    const host = backend as tf.KernelBackend;
    const cpu = quietCpuBackend();
    const kernel = tf.getKernel(kernelName, "cpu");
    if (!cpu || !kernel) {
      throw new Error(`${kernelName}: the cpu backend it falls back to is not registered`);
    }
    const copies: Info[] = [];
    const toCpu = (t: Info): Info => {
      const dataId = cpu.write(host.readSync(t.dataId), t.shape, t.dtype);
      const copy = { dataId, shape: t.shape, dtype: t.dtype };
      copies.push(copy);
      return copy;
    };
    try {
      // Einsum-style kernels take an array of inputs; the rest a name → tensor map.
      const cpuInputs = Array.isArray(inputs)
        ? (inputs as Info[]).map(toCpu)
        : Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, t && toCpu(t)]));
      const cpuArgs = { inputs: cpuInputs as tf.NamedTensorInfoMap, attrs, backend: cpu };
      const out = kernel.kernelFunc(cpuArgs);
      const outs = Array.isArray(out) ? out : [out];
      copies.push(...outs);
      const back = outs.map((o) => ({
        dataId: host.write(cpu.readSync(o.dataId), o.shape, o.dtype),
        shape: o.shape,
        dtype: o.dtype,
      }));
      return Array.isArray(out) ? back : (back[0] as Info);
    } finally {
      for (const c of copies) cpu.disposeData(c.dataId);
    }
  };
}
