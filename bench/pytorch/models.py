"""The benchmark's six models in PyTorch, by the names in bench/models/catalog.ts. Each
`build_*(seed)` returns a `Bench` (common.py)."""
from images import build_dcgan, build_unet, build_vae
from supervised import build_convnet, build_gpt, build_lstm

BUILDERS = {
    "convnet": build_convnet,
    "lstm": build_lstm,
    "gpt": build_gpt,
    "vae": build_vae,
    "dcgan": build_dcgan,
    "unet": build_unet,
}
