/**
 * The benchmark's models by name, in the order they run and print, with what each one is. Kept
 * free of TensorFlow.js so that the command's parent process loads none.
 */
export interface CatalogEntry {
  /** The name on the command line and in the JSON. */
  name: string;
  /** Shapes and batch, for the table and the docs. */
  describe: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  { name: "convnet", describe: "conv32-pool-conv64-pool-dense128-dense10, 28×28×1, B64" },
  { name: "lstm", describe: "char-LSTM: emb32 + LSTM128, vocab 65, T32, B32" },
  { name: "gpt", describe: "tiny GPT: d64, 2 heads, 2 blocks, vocab 65, T32, B16" },
  { name: "vae", describe: "conv VAE: conv32/2-conv64/2-z16-convT32/2-convT1/2, 28×28×1, B32" },
  {
    name: "dcgan",
    describe: "DCGAN D+G step: G z100-fc-convT64/2-convT1/2, D conv64/2-conv128/2-fc, B32",
  },
  { name: "unet", describe: "DDPM U-Net: 32/64 channels, GroupNorm, time embedding, 28×28×1, B16" },
];

export const MODEL_NAMES: readonly string[] = CATALOG.map((m) => m.name);
