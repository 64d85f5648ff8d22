"""The lessons' models in PyTorch at their full-mode presets, mirroring bench/lessons.ts (the
library's models, bench/catalog.ts lists them): the same layer shapes, batch sizes, losses and
Adam settings, NCHW where the course is NHWC. Each `build_*(seed)` returns a `Bench` (common.py)
with `parameters`, its number of trained values, printed beside the course's."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import Bench, adam, minimize

VOCAB = 89  # Moby Dick's distinct characters (lessons 03 and 05)


def count(*modules):
    return sum(p.numel() for m in modules for p in m.parameters())


def lm_bench(model, batch, block, lr, seed):
    g = torch.Generator().manual_seed(seed)
    x = torch.randint(0, VOCAB, (batch, block), generator=g)
    y = torch.randint(0, VOCAB, (batch, block), generator=g)
    opt = adam(model.parameters(), lr)
    loss = lambda: F.cross_entropy(model(x).reshape(-1, VOCAB), y.reshape(-1))  # noqa: E731
    return Bench(step=minimize(opt, loss), parameters=count(model))


class Lstm(nn.Module):
    """03: embedding E → one LSTM layer H → logits (LSTM_MOBY_RUNS.full: E32, H256)."""
    def __init__(self, e=32, h=256):
        super().__init__()
        self.emb, self.lstm, self.out = nn.Embedding(VOCAB, e), nn.LSTM(e, h, batch_first=True), nn.Linear(h, VOCAB)

    def forward(self, idx):
        return self.out(self.lstm(self.emb(idx))[0])


class Block(nn.Module):
    """05: a pre-norm block, attention with q, k, v from one product, a ReLU MLP of 4C."""
    def __init__(self, c, heads):
        super().__init__()
        self.heads = heads
        self.ln1, self.qkv, self.proj = nn.LayerNorm(c), nn.Linear(c, 3 * c), nn.Linear(c, c)
        self.ln2, self.fc1, self.fc2 = nn.LayerNorm(c), nn.Linear(c, 4 * c), nn.Linear(4 * c, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(c, dim=2)
        q, k, v = (m.view(b, t, self.heads, c // self.heads).transpose(1, 2) for m in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        mask = torch.ones(t, t, dtype=torch.bool).tril()
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        x = x + self.proj((att @ v).transpose(1, 2).reshape(b, t, c))
        return x + self.fc2(F.relu(self.fc1(self.ln2(x))))


class Gpt(nn.Module):
    """05: GPT_MOBY_RUNS.full, nanoGPT's CPU configuration (C128, 4 heads, 4 layers, block 64)."""
    def __init__(self, c=128, heads=4, layers=4, block=64):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(VOCAB, c), nn.Embedding(block, c)
        self.blocks = nn.Sequential(*[Block(c, heads) for _ in range(layers)])
        self.lnf, self.head = nn.LayerNorm(c), nn.Linear(c, VOCAB)

    def forward(self, idx):
        x = self.wte(idx) + self.wpe(torch.arange(idx.shape[1]))
        return self.head(self.lnf(self.blocks(x)))


def build_lstm(seed):
    torch.manual_seed(seed)
    return lm_bench(Lstm(), 64, 32, 1e-2, seed)


def build_gpt(seed):
    torch.manual_seed(seed)
    return lm_bench(Gpt(), 12, 64, 2e-3, seed)


def build_vae(seed, z=16, c1=32, c2=64, batch=64):
    """06: VAE_RUNS.full: conv 4×4/2 ×2, dense to μ and log σ², dense + conv-transpose ×2."""
    torch.manual_seed(seed)
    enc = nn.Sequential(nn.Conv2d(1, c1, 4, 2, 1), nn.ReLU(), nn.Conv2d(c1, c2, 4, 2, 1), nn.ReLU(), nn.Flatten(),
                        nn.Linear(49 * c2, 2 * z))
    dec = nn.Sequential(nn.Linear(z, 49 * c2), nn.ReLU(), nn.Unflatten(1, (c2, 7, 7)),
                        nn.ConvTranspose2d(c2, c1, 4, 2, 1), nn.ReLU(), nn.ConvTranspose2d(c1, 1, 4, 2, 1))
    x, eps = torch.rand(batch, 1, 28, 28), torch.randn(batch, z)

    def loss():
        mu, log_var = enc(x).chunk(2, dim=1)
        logits = dec(mu + torch.exp(0.5 * log_var) * eps)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="none").sum((1, 2, 3))
        kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).sum(1)
        return (rec + kl).mean()
    return Bench(step=minimize(adam(list(enc.parameters()) + list(dec.parameters()), 2e-3), loss), parameters=count(enc, dec))


def build_gan(seed, zdim=64, gc=64, dc=32, classes=10, batch=32):
    """07: CGAN_RUNS.full: G dense-BN-relu, conv-transpose-BN-relu, conv-transpose-tanh; D on the
    image and 10 label planes, conv-leaky, conv-BN-leaky, dense; batch statistics always."""
    torch.manual_seed(seed)
    g = nn.Sequential(nn.Linear(zdim + classes, 49 * gc, bias=False), nn.Unflatten(1, (gc, 7, 7)), nn.BatchNorm2d(gc),
                      nn.ReLU(), nn.ConvTranspose2d(gc, gc // 2, 4, 2, 1, bias=False), nn.BatchNorm2d(gc // 2), nn.ReLU(),
                      nn.ConvTranspose2d(gc // 2, 1, 4, 2, 1), nn.Tanh())
    d = nn.Sequential(nn.Conv2d(1 + classes, dc, 4, 2, 1), nn.LeakyReLU(0.2), nn.Conv2d(dc, 2 * dc, 4, 2, 1, bias=False),
                      nn.BatchNorm2d(2 * dc), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(49 * 2 * dc, 1))
    real, z = torch.rand(batch, 1, 28, 28) * 2 - 1, torch.randn(batch, zdim)
    one_hot = F.one_hot(torch.randint(0, classes, (batch,)), classes).float()
    planes = one_hot[:, :, None, None].expand(batch, classes, 28, 28)
    gen = lambda: g(torch.cat([z, one_hot], 1))  # noqa: E731
    dis = lambda images: d(torch.cat([images, planes], 1))  # noqa: E731
    bce = F.binary_cross_entropy_with_logits
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    d_step = minimize(adam(d.parameters(), 1e-3, 0.5), lambda: bce(dis(real), ones) + bce(dis(gen().detach()), zeros))
    g_step = minimize(adam(g.parameters(), 1e-3, 0.5), lambda: bce(dis(gen()), ones))
    return Bench(step=lambda: torch.stack([d_step(), g_step()]), guards=[("D", d_step), ("G", g_step)],
                 parameters=count(g, d))


class ResBlock(nn.Module):
    """08 (norm "none"): x + conv(silu(conv(silu(x)) + emb shift)), a 1×1 skip when widths differ."""
    def __init__(self, cin, cout, e):
        super().__init__()
        self.c1, self.c2, self.shift = nn.Conv2d(cin, cout, 3, padding=1), nn.Conv2d(cout, cout, 3, padding=1), nn.Linear(e, cout)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, emb):
        h = self.c1(F.silu(x)) + self.shift(emb)[:, :, None, None]
        return self.c2(F.silu(h)) + self.skip(x)


class Unet(nn.Module):
    """08: DIFFUSION_RUNS.full (channels 24/48, blocks 1/2, 32 time features, embedding 64): space-to-depth
    to 14×14, a level at 14×14, a stride-2 conv to 7×7, two blocks, sub-pixel upsampling, a block on the
    concatenated skip, depth-to-space back to 28×28."""
    def __init__(self, c0=24, c1=48, tf=32, e=64, classes=10):
        super().__init__()
        self.tf, self.classes = tf, classes
        self.t1, self.t2, self.table = nn.Linear(tf, e), nn.Linear(e, e), nn.Linear(classes + 1, e, bias=False)
        self.inc, self.down = nn.Conv2d(4, c0, 3, padding=1), ResBlock(c0, c0, e)
        self.pool = nn.Conv2d(c0, c1, 3, 2, 1)
        self.mid = nn.ModuleList([ResBlock(c1, c1, e), ResBlock(c1, c1, e)])
        self.up, self.upb, self.out = nn.Conv2d(c1, 4 * c0, 1), ResBlock(2 * c0, c0, e), nn.Conv2d(c0, 4, 3, padding=1)

    def forward(self, x, t, y):
        half = self.tf // 2
        angles = t[:, None].float() * torch.exp(-math.log(10000) * torch.arange(half) / half)[None]
        emb = F.silu(self.t2(F.silu(self.t1(torch.cat([angles.sin(), angles.cos()], 1)))) +
                     self.table(F.one_hot(y, self.classes + 1).float()))
        h0 = self.down(self.inc(F.pixel_unshuffle(x, 2)), emb)
        m = self.pool(h0)
        for block in self.mid:
            m = block(m, emb)
        g0 = self.upb(torch.cat([F.pixel_shuffle(self.up(m), 2), h0], 1), emb)
        return F.pixel_shuffle(self.out(F.silu(g0)), 2)


def build_unet(seed, batch=8, steps=1000, gamma=5.0, dropout=0.1):
    """08's loss: a linear β schedule of 1000 levels, min-SNR-5 weights, 10 % null labels."""
    torch.manual_seed(seed)
    model = Unet()
    alpha_bar = torch.cumprod(1 - torch.linspace(1e-4, 0.02, steps, dtype=torch.float64), 0).float()
    x0 = torch.rand(batch, 1, 28, 28) * 2 - 1
    labels = torch.randint(0, 10, (batch,))

    def loss():
        g = torch.Generator().manual_seed(5)  # the same timesteps and noise every step: a fixed batch
        t = torch.randint(0, steps, (batch,), generator=g)
        y = torch.where(torch.rand(batch, generator=g) < dropout, torch.full_like(labels, 10), labels)
        noise = torch.randn(x0.shape, generator=g)
        a = alpha_bar[t][:, None, None, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        snr = alpha_bar[t] / (1 - alpha_bar[t])
        weights = (torch.clamp(snr, max=gamma) / snr)[:, None, None, None]
        return ((model(xt, t, y) - noise).pow(2) * weights).mean()
    return Bench(step=minimize(adam(model.parameters(), 2e-3), loss), parameters=count(model))


def build_classifier(seed, batch=64):
    """The MNIST classifier of FID and KID (CLASSIFIER_CONFIG): conv16-pool-conv32-pool-dense64-dense10."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1),
                          nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(49 * 32, 64), nn.ReLU(), nn.Linear(64, 10))
    x, y = torch.rand(batch, 1, 28, 28), torch.randint(0, 10, (batch,))
    return Bench(step=minimize(adam(model.parameters(), 1e-3), lambda: F.cross_entropy(model(x), y)), parameters=count(model))


BUILDERS = {
    "lstm": build_lstm,
    "gpt": build_gpt,
    "vae": build_vae,
    "gan": build_gan,
    "unet": build_unet,
    "classifier": build_classifier,
}
