"""The cross-entropy models of the benchmark (bench/models/convnet.ts, lstm.ts, gpt.ts) in
PyTorch: the same shapes, losses and optimiser; images are NCHW here, NHWC there."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import Bench, adam, minimize


# --- convnet -------------------------------------------------------------------------------

class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.d1 = nn.Linear(7 * 7 * 64, 128)
        self.d2 = nn.Linear(128, 10)

    def forward(self, x):
        h = F.max_pool2d(F.relu(self.c1(x)), 2)
        h = F.max_pool2d(F.relu(self.c2(h)), 2)
        return self.d2(F.relu(self.d1(h.flatten(1))))


def build_convnet(seed: int) -> Bench:
    g = torch.manual_seed(seed)
    model = ConvNet()
    x = torch.rand(64, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (64,), generator=g)
    opt = adam(model.parameters())
    return Bench(minimize(opt, lambda: F.cross_entropy(model(x), y)))


# --- char-LSTM -----------------------------------------------------------------------------

class CharLSTM(nn.Module):
    def __init__(self, vocab=65, emb=32, hidden=128):
        super().__init__()
        self.emb = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, idx):
        h, _ = self.lstm(self.emb(idx))
        return self.out(h)


def build_lstm(seed: int) -> Bench:
    g = torch.manual_seed(seed)
    model = CharLSTM()
    tokens = torch.randint(0, 65, (32, 33), generator=g)
    x, y = tokens[:, :-1], tokens[:, 1:].reshape(-1)
    opt = adam(model.parameters())
    return Bench(minimize(opt, lambda: F.cross_entropy(model(x).reshape(-1, 65), y)))


# --- tiny GPT ------------------------------------------------------------------------------

class Block(nn.Module):
    def __init__(self, d, heads, t):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.up = nn.Linear(d, 4 * d)
        self.down = nn.Linear(4 * d, d)
        self.register_buffer("mask", torch.tril(torch.ones(t, t)).bool())

    def forward(self, x):
        b, t, d = x.shape
        hd = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).view(b, t, 3, self.heads, hd).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hd)
        att = att.masked_fill(~self.mask[:t, :t], float("-inf")).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.down(F.relu(self.up(self.ln2(x))))


class TinyGPT(nn.Module):
    def __init__(self, vocab=65, d=64, heads=2, blocks=2, t=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(t, d) * 0.02)
        nn.init.normal_(self.tok.weight, std=0.02)
        self.blocks = nn.Sequential(*[Block(d, heads, t) for _ in range(blocks)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        x = self.tok(idx) + self.pos[: idx.shape[1]]
        return self.head(self.ln(self.blocks(x)))


def build_gpt(seed: int) -> Bench:
    g = torch.manual_seed(seed)
    model = TinyGPT()
    tokens = torch.randint(0, 65, (16, 33), generator=g)
    x, y = tokens[:, :-1], tokens[:, 1:].reshape(-1)
    opt = adam(model.parameters())
    return Bench(minimize(opt, lambda: F.cross_entropy(model(x).reshape(-1, 65), y)))
