"""PyTorch side of `npm run bench`: times one training step of each lesson model (bench/pytorch/lessons.py)
with the same protocol as the TensorFlow.js side (guard, warm-up, median of at least `--repeats`
steps), at PyTorch's defaults or, with `--threads N`, after torch.set_num_threads(N). The parent
runs it twice per round: as it is, and with GLIBC_TUNABLES set (bench/runners.ts). Writes JSON:
  {"torch": "1.13.0", "python": "3.11.2", "threads": 1, "blas": "openblas-pthread/...",
   "models": {"gpt": {"ms": 34.1, "parameters": 813145, "guard": {...}} | {"error": "..."}}}
or {"unavailable": "why"} when torch does not import."""
import argparse
import json
import math
import os
import platform
import statistics
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--models", required=True)
    p.add_argument("--repeats", type=int, default=10)
    p.add_argument("--min-time", type=float, default=1.0)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--guard-steps", type=int, default=5)
    p.add_argument("--seed", type=int, default=1234)
    p.add_argument("--threads", type=int, default=0, help="0: PyTorch's default")
    p.add_argument("--out", required=True)
    return p.parse_args()


def log(text):
    print(text, file=sys.stderr, flush=True)


def blas_library():
    """The BLAS shared library this process loaded (torch's matmuls run on it), by real path."""
    names = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if "/" in line else ""
            base = os.path.basename(path).lower()
            if any(k in base for k in ("blas", "blis", "mkl_rt", "libmkl")):
                real = os.path.realpath(path)
                names.add(os.path.join(os.path.basename(os.path.dirname(real)), os.path.basename(real)))
    return ", ".join(sorted(names)) or None


def values(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def guard(name, step, steps):
    losses = [values(step())[0] for _ in range(steps)]
    shown = " → ".join(f"{v:.4g}" for v in losses)
    if not all(math.isfinite(v) for v in losses):
        raise RuntimeError(f"guard {name}: loss not finite: {shown}")
    if not losses[-1] < losses[0]:
        raise RuntimeError(f"guard {name}: loss did not fall over {steps} steps: {shown}")
    return losses


def time_model(build, args):
    bench = build(args.seed)
    guards = bench.guards or [("loss", bench.step)]
    losses = {name: guard(name, step, max(2, args.guard_steps)) for name, step in guards}
    for _ in range(args.warmup):
        bench.step()
    times, cpu_times = [], []
    start = time.perf_counter()
    cpu0 = time.process_time()
    while len(times) < args.repeats or (
        time.perf_counter() - start < args.min_time and len(times) < 5 * args.repeats
    ):
        t0, c0 = time.perf_counter(), time.process_time()
        out = values(bench.step())  # .tolist() waits for the result
        times.append((time.perf_counter() - t0) * 1000)
        cpu_times.append((time.process_time() - c0) * 1000)
        if not all(math.isfinite(v) for v in out):
            raise RuntimeError(f"loss not finite during timing: {out}")
    cpu_share = (time.process_time() - cpu0) / (time.perf_counter() - start)
    return statistics.median(times), losses, round(cpu_share, 2), round(statistics.median(cpu_times), 2), bench.parameters


def main():
    args = parse()
    result = {"python": platform.python_version()}
    try:
        import torch
        from lessons import BUILDERS
    except Exception as error:  # noqa: BLE001 - any import failure means "no PyTorch here"
        result["unavailable"] = f"{type(error).__name__}: {error}"
        with open(args.out, "w") as f:
            json.dump(result, f)
        log(f"pytorch: unavailable ({result['unavailable']})")
        return
    result["torch"] = torch.__version__
    result["threads_default"] = torch.get_num_threads()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    result["threads"] = torch.get_num_threads()
    result["glibc_tunables"] = os.environ.get("GLIBC_TUNABLES")
    names = [n for n in args.models.split(",") if n]
    models = {}
    mode = "defaults" if args.threads <= 0 else f"set_num_threads({args.threads})"
    log(f"pytorch {torch.__version__}, {mode}: {torch.get_num_threads()} intra-op thread(s)")
    for name in names:
        build = BUILDERS.get(name)
        if build is None:
            models[name] = {"error": f"no model named {name}"}
            continue
        try:
            ms, losses, cpu_share, cpu_ms, parameters = time_model(build, args)
        except Exception as error:  # noqa: BLE001 - reported per model
            models[name] = {"error": f"{type(error).__name__}: {error}"}
            log(f"  {name}: FAILED: {models[name]['error']}")
            continue
        models[name] = {"ms": ms, "parameters": parameters, "guard": losses, "cpu_share": cpu_share, "cpu_ms": cpu_ms}
        first = ", ".join(f"{g} {v[0]:.4g} → {v[-1]:.4g}" for g, v in losses.items())
        log(f"  {name}: {ms:.1f} ms/step ({parameters} parameters, CPU {cpu_ms:.1f} ms, share {cpu_share}; guard {first})")
    result["blas"] = blas_library()
    result["models"] = models
    with open(args.out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
