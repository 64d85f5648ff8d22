"""Matrix-product rate of PyTorch, for bench/gemm.ts: one line of JSON per shape.

argv: the shapes as JSON, then the thread count (0: PyTorch's defaults). For one thread the
caller also sets OPENBLAS_NUM_THREADS=1, which torch.set_num_threads does not reach."""
import json
import sys
import time

import torch

REPEATS = 50
if len(sys.argv) > 2 and int(sys.argv[2]) > 0:
    torch.set_num_threads(int(sys.argv[2]))
for m, k, n in json.loads(sys.argv[1]):
    a, b = torch.randn(m, k), torch.randn(k, n)
    for _ in range(5):
        a @ b
    start = time.perf_counter()
    for _ in range(REPEATS):
        a @ b
    ms = (time.perf_counter() - start) / REPEATS * 1000
    print(json.dumps({"shape": [m, k, n], "ms": ms, "gflops": 2 * m * k * n / ms / 1e6}))
