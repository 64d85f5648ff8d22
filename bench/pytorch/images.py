"""The generative image models of the benchmark (bench/models/vae.ts, dcgan.ts, unet.ts), in
PyTorch: the same shapes, losses and optimisers; images are NCHW here, NHWC there."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from common import Bench, adam, minimize


# --- conv VAE ------------------------------------------------------------------------------

class ConvVAE(nn.Module):
    def __init__(self, latent=16):
        super().__init__()
        self.e1 = nn.Conv2d(1, 32, 4, 2, 1)
        self.e2 = nn.Conv2d(32, 64, 4, 2, 1)
        self.stats = nn.Linear(7 * 7 * 64, 2 * latent)
        self.d0 = nn.Linear(latent, 7 * 7 * 64)
        self.d1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.d2 = nn.ConvTranspose2d(32, 1, 4, 2, 1)

    def loss(self, x, eps):
        h = F.relu(self.e2(F.relu(self.e1(x))))
        mu, log_var = self.stats(h.flatten(1)).chunk(2, 1)
        z = mu + torch.exp(0.5 * log_var) * eps
        logits = self.d2(F.relu(self.d1(F.relu(self.d0(z)).view(-1, 64, 7, 7))))
        recon = F.binary_cross_entropy_with_logits(logits, x, reduction="sum") / x.shape[0]
        kl = -0.5 * torch.sum(1 + log_var - mu.pow(2) - log_var.exp()) / x.shape[0]
        return recon + kl


def build_vae(seed: int) -> Bench:
    g = torch.manual_seed(seed)
    model = ConvVAE()
    x = torch.rand(32, 1, 28, 28, generator=g)
    eps = torch.randn(32, 16, generator=g)
    opt = adam(model.parameters())
    return Bench(minimize(opt, lambda: model.loss(x, eps)))


# --- DCGAN ---------------------------------------------------------------------------------

class Generator(nn.Module):
    def __init__(self, z=100):
        super().__init__()
        self.fc = nn.Linear(z, 7 * 7 * 128, bias=False)
        self.bn0 = nn.BatchNorm2d(128)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):
        h = F.relu(self.bn0(self.fc(z).view(-1, 128, 7, 7)))
        return torch.tanh(self.up2(F.relu(self.bn1(self.up1(h)))))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.c2 = nn.Conv2d(64, 128, 4, 2, 1, bias=False)
        self.bn = nn.BatchNorm2d(128)
        self.fc = nn.Linear(7 * 7 * 128, 1)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x), 0.2)
        h = F.leaky_relu(self.bn(self.c2(h)), 0.2)
        return self.fc(h.flatten(1))


def build_dcgan(seed: int) -> Bench:
    g = torch.manual_seed(seed)
    gen, disc = Generator(), Discriminator()
    real = torch.rand(32, 1, 28, 28, generator=g) * 2 - 1
    z = torch.randn(32, 100, generator=g)
    ones, zeros = torch.ones(32, 1), torch.zeros(32, 1)
    opt_d = adam(disc.parameters(), 2e-4, 0.5)
    opt_g = adam(gen.parameters(), 2e-4, 0.5)
    bce = F.binary_cross_entropy_with_logits

    def d_loss():
        with torch.no_grad():
            fake = gen(z)
        return bce(disc(real), ones) + bce(disc(fake), zeros)

    d_step = minimize(opt_d, d_loss)
    g_step = minimize(opt_g, lambda: bce(disc(gen(z)), ones))

    def step():
        return torch.stack([d_step(), g_step()])

    return Bench(step, [("D", d_step), ("G", g_step)])


# --- DDPM U-Net ----------------------------------------------------------------------------

class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim=128, groups=8):
        super().__init__()
        self.n1 = nn.GroupNorm(groups, cin)
        self.c1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout)
        self.n2 = nn.GroupNorm(groups, cout)
        self.c2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, time):
        h = self.c1(F.silu(self.n1(x))) + self.t(time)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    def __init__(self, features=32, tdim=128):
        super().__init__()
        self.features = features
        self.t1 = nn.Linear(features, tdim)
        self.t2 = nn.Linear(tdim, tdim)
        self.inc = nn.Conv2d(1, 32, 3, padding=1)
        self.r1 = ResBlock(32, 32)
        self.down1 = nn.Conv2d(32, 32, 4, 2, 1)
        self.r2 = ResBlock(32, 64)
        self.down2 = nn.Conv2d(64, 64, 4, 2, 1)
        self.mid = ResBlock(64, 64)
        self.up2 = nn.ConvTranspose2d(64, 64, 4, 2, 1)
        self.r3 = ResBlock(128, 64)
        self.up1 = nn.ConvTranspose2d(64, 32, 4, 2, 1)
        self.r4 = ResBlock(64, 32)
        self.out_norm = nn.GroupNorm(8, 32)
        self.outc = nn.Conv2d(32, 1, 3, padding=1)

    def time_features(self, t):
        half = self.features // 2
        freqs = torch.exp(-math.log(10000) * torch.arange(half) / half)
        angles = t.float()[:, None] * freqs[None]
        return torch.cat([angles.sin(), angles.cos()], 1)

    def forward(self, x, t):
        time = F.silu(self.t2(F.silu(self.t1(self.time_features(t)))))
        h1 = self.r1(self.inc(x), time)
        h2 = self.r2(self.down1(h1), time)
        h3 = self.mid(self.down2(h2), time)
        u2 = self.r3(torch.cat([self.up2(h3), h2], 1), time)
        u1 = self.r4(torch.cat([self.up1(u2), h1], 1), time)
        return self.outc(F.silu(self.out_norm(u1)))


def build_unet(seed: int) -> Bench:
    g = torch.manual_seed(seed)
    model = UNet()
    betas = torch.linspace(1e-4, 0.02, 1000, dtype=torch.float64)
    alpha_bar = torch.cumprod(1 - betas, 0)
    sqrt_ab, sqrt_1m_ab = alpha_bar.sqrt().float(), (1 - alpha_bar).sqrt().float()
    x0 = torch.rand(16, 1, 28, 28, generator=g) * 2 - 1
    noise = torch.randn(16, 1, 28, 28, generator=g)
    t = torch.randint(0, 1000, (16,), generator=g)
    opt = adam(model.parameters())

    def loss():
        xt = sqrt_ab[t].view(-1, 1, 1, 1) * x0 + sqrt_1m_ab[t].view(-1, 1, 1, 1) * noise
        return F.mse_loss(model(xt, t), noise)

    return Bench(minimize(opt, loss))
