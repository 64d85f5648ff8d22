"""What every PyTorch benchmark model shares: the `Bench` it returns, Adam as the TensorFlow.js
side configures it, and one optimiser step as a closure."""
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple

import torch

Step = Callable[[], torch.Tensor]


@dataclass
class Bench:
    """`step()` runs one training step on the fixed batch and returns the loss tensor(s);
    `guards` are the (name, step) pairs whose losses must be finite and fall over a few steps
    (default: step itself)."""
    step: Step
    guards: Optional[List[Tuple[str, Step]]] = field(default=None)
    parameters: int = 0


def adam(params, lr=1e-3, beta1=0.9):
    return torch.optim.Adam(params, lr=lr, betas=(beta1, 0.999), eps=1e-8)


def minimize(opt: torch.optim.Optimizer, loss_fn: Callable[[], torch.Tensor]) -> Step:
    def step() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
        return loss.detach()
    return step
