"""Lesson 05's quality run in PyTorch: the same-size character GPT (lib/src/lm/gpt.ts,
gpt-layers.ts) trained on the same split for the same wall-clock budget, scored as windowNll does.

  /usr/bin/python3 bench/pytorch/gpt_quality.py --data FILE|- --seconds 120 [--steps 450 …]

FILE (or stdin with `-`) is JSON {"vocab": [c0, c1, …], "train": "…", "val": "…"}: character i of
`vocab` has id i (id 0 is the unused boundary token), so both sides share the text, the split and
the ids. Defaults are GPT_MOBY_RUNS.full (lib/src/lm/gpt-presets.ts).

Like for like with the TensorFlow.js model: pre-norm blocks, one q|k|v matrix, ReLU MLP 4×,
untied head, weights ~ N(0, 0.02²) with the two maps into the residual stream at 0.02/√(2N),
biases 0, layer norms at gain 1 (eps 1e-5); Adam (β 0.9/0.999, ε 1e-7 — tf.train.adam's default),
no weight decay; linear warm-up then cosine from --lr to --final-lr over --steps (cosineSchedule).

Training follows trainLM (lib/src/lm/train.ts) step for step: for step = 1 … steps, the rate is
schedule(step − 1), one Adam step on B random windows of the train split, then the clock (started
just before step 1) is read; the run is out of time when it reads ≥ --seconds. Every --eval-every
steps, and after the last step (the max step or the one that ran out of time), --eval-batches random
validation batches are scored (inside the budget, as there); the loop ends after an out-of-time step.
`train_seconds` is the clock at the end, last validation included. Threads: PyTorch's defaults,
as the benchmark's defaults run (bench/pytorch/bench.py); `threads` records the count.

Prints one JSON line: {"val_loss", "steps", "train_seconds", "threads", "torch", "blas"}, where
val_loss is the mean NLL in nats per character over all --windows × block predictions of the first
--windows non-overlapping block-character windows of the validation split.
"""
import argparse
import json
import math
import sys
import time

sys.dont_write_bytecode = True  # no __pycache__ in the repository

import torch
import torch.nn as nn
import torch.nn.functional as F

from bench import blas_library


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--data", required=True, help="JSON file {vocab, train, val}, or - for stdin")
    p.add_argument("--seconds", type=float, required=True, help="wall-clock training budget")
    p.add_argument("--steps", type=int, default=450, help="most optimiser steps (the schedule's length)")
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--embedding", type=int, default=128)
    p.add_argument("--block", type=int, default=64)
    p.add_argument("--batch", type=int, default=12)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--final-lr", type=float, default=2e-4)
    p.add_argument("--warmup", type=int, default=30)
    p.add_argument("--eval-every", type=int, default=100)
    p.add_argument("--eval-batches", type=int, default=4)
    p.add_argument("--windows", type=int, default=1024, help="validation windows scored at the end")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--fit-steps-to-budget", action="store_true",
                   help="time a few steps first and stretch --steps (and so the schedule) to what fits in --seconds")
    return p.parse_args()


def cosine_schedule(peak, final, steps, warmup):
    """cosineSchedule (lib/src/lm/schedule.ts): the rate at step 0, 1, …"""
    def rate(step):
        if step < warmup:
            return peak * (step + 1) / warmup
        progress = min(1.0, (step - warmup) / (steps - warmup))
        return final + 0.5 * (peak - final) * (1 + math.cos(math.pi * progress))
    return rate


class Block(nn.Module):
    """x + attention(ln1(x)), then + MLP(ln2(·)); q, k, v from one [C, 3C] map."""
    def __init__(self, c, heads, t, layers):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(c, eps=1e-5)
        self.qkv = nn.Linear(c, 3 * c)
        self.proj = nn.Linear(c, c)
        self.ln2 = nn.LayerNorm(c, eps=1e-5)
        self.up = nn.Linear(c, 4 * c)
        self.down = nn.Linear(4 * c, c)
        self.register_buffer("mask", torch.tril(torch.ones(t, t)).bool())
        residual = 0.02 / math.sqrt(2 * layers)
        for lin, std in ((self.qkv, 0.02), (self.proj, residual), (self.up, 0.02), (self.down, residual)):
            nn.init.normal_(lin.weight, std=std)
            nn.init.zeros_(lin.bias)

    def forward(self, x):
        b, t, c = x.shape
        d = c // self.heads
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, d).permute(2, 0, 3, 1, 4)  # 3 × [B, H, T, D]
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d)  # [B, H, T, T]
        att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, t, c))
        return x + self.down(F.relu(self.up(self.ln2(x))))


class GPT(nn.Module):
    """Token + position embeddings, N blocks, final layer norm, untied linear head."""
    def __init__(self, vocab, block, c, heads, layers):
        super().__init__()
        self.tok = nn.Embedding(vocab, c)
        self.pos = nn.Parameter(torch.empty(block, c))
        self.blocks = nn.Sequential(*[Block(c, heads, block, layers) for _ in range(layers)])
        self.ln = nn.LayerNorm(c, eps=1e-5)
        self.head = nn.Linear(c, vocab)
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos, std=0.02)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def forward(self, idx):  # [B, T] → [B, T, V]
        x = self.tok(idx) + self.pos[: idx.shape[1]]
        return self.head(self.ln(self.blocks(x)))


def random_windows(tokens, block, batch, gen):
    """randomWindows (lib/src/lm/batches.ts): B windows starting in [0, n − T).  → x, y: [B, T]"""
    starts = torch.randint(len(tokens) - block, (batch,), generator=gen)
    rows = starts[:, None] + torch.arange(block + 1)[None, :]
    w = tokens[rows]
    return w[:, :-1], w[:, 1:]


def loss_of(model, x, y):
    logits = model(x)
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1))


@torch.no_grad()
def window_nll(model, tokens, windows, block, batch=32):
    """windowNll (lib/src/lm/gpt-eval.ts): mean NLL over the first `windows` non-overlapping windows."""
    if windows * block + 1 > len(tokens):
        raise ValueError(f"{windows} windows of {block} need {windows * block + 1} tokens, got {len(tokens)}")
    total = 0.0
    for w0 in range(0, windows, batch):
        b = min(batch, windows - w0)
        x = tokens[w0 * block:(w0 + b) * block].view(b, block)
        y = tokens[w0 * block + 1:(w0 + b) * block + 1].view(b, block)
        total += float(loss_of(model, x, y)) * b
    return total / windows


def steps_that_fit(args, vocab_size, train, warmup_steps=5, probe_steps=30):
    """How many training steps fit in the budget: time `probe_steps` on a throwaway model after
    `warmup_steps` untimed ones (the validation passes add about 1 %, so 98 % of the budget is
    used for the estimate)."""
    torch.manual_seed(args.seed + 7)
    probe = GPT(vocab_size, args.block, args.embedding, args.heads, args.layers)
    opt = torch.optim.Adam(probe.parameters(), lr=args.lr, eps=1e-7)
    gen = torch.Generator().manual_seed(args.seed + 8)
    for i in range(warmup_steps + probe_steps):
        if i == warmup_steps:
            t0 = time.perf_counter()
        x, y = random_windows(train, args.block, args.batch, gen)
        opt.zero_grad(set_to_none=True)
        loss = loss_of(probe, x, y)
        loss.backward()
        opt.step()
        float(loss)
    per_step = (time.perf_counter() - t0) / probe_steps
    return int(0.98 * args.seconds / per_step)


def main():
    args = parse_args()
    data = json.load(sys.stdin if args.data == "-" else open(args.data, encoding="utf-8"))
    vocab = list(data["vocab"])
    stoi = {ch: i for i, ch in enumerate(vocab)}
    if len(stoi) != len(vocab):
        raise ValueError("the vocabulary repeats a character")
    train = torch.tensor([stoi[ch] for ch in data["train"]], dtype=torch.long)
    val = torch.tensor([stoi[ch] for ch in data["val"]], dtype=torch.long)

    if args.fit_steps_to_budget:
        args.steps = max(args.steps, steps_that_fit(args, len(vocab), train))
    torch.manual_seed(args.seed)
    model = GPT(len(vocab), args.block, args.embedding, args.heads, args.layers)
    gen = torch.Generator().manual_seed(args.seed + 1)
    rate = cosine_schedule(args.lr, args.final_lr, args.steps, args.warmup)
    opt = torch.optim.Adam(model.parameters(), lr=rate(0), betas=(0.9, 0.999), eps=1e-7)

    steps = 0
    t0 = time.perf_counter()
    for step in range(1, args.steps + 1):
        for group in opt.param_groups:
            group["lr"] = rate(step - 1)
        model.train()
        x, y = random_windows(train, args.block, args.batch, gen)
        opt.zero_grad(set_to_none=True)
        loss = loss_of(model, x, y)
        loss.backward()
        opt.step()
        float(loss)  # the loss is read every step, as trainLM does
        steps = step
        out_of_time = time.perf_counter() - t0 >= args.seconds
        if step % args.eval_every == 0 or step == args.steps or out_of_time:
            model.eval()
            with torch.no_grad():
                for _ in range(args.eval_batches):
                    float(loss_of(model, *random_windows(val, args.block, args.batch, gen)))
        if out_of_time:
            break
    train_seconds = time.perf_counter() - t0

    model.eval()
    result = {
        "val_loss": window_nll(model, val, args.windows, args.block),
        "steps": steps,
        "train_seconds": train_seconds,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "blas": blas_library(),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
