/**
 * The benchmark's models by name, in the order they run and print: the lessons' own models at
 * their full-mode presets (bench/lessons.ts builds them from the library; bench/pytorch/lessons.py
 * mirrors them). Kept free of TensorFlow.js so that the command's parent process loads none.
 */
export interface CatalogEntry {
  /** The name on the command line and in the JSON. */
  name: string;
  /** The lesson, the model and its shapes, for the table and the docs. */
  describe: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  { name: "lstm", describe: "03 LstmLM (LSTM_MOBY_RUNS.full): E32, H256, vocab 89, T32, B64" },
  { name: "gpt", describe: "05 GptLM (GPT_MOBY_RUNS.full): C128, 4 heads, 4 layers, vocab 89, T64, B12" },
  { name: "vae", describe: "06 ConvVae (VAE_RUNS.full): conv 32/64, Z16, B64" },
  { name: "gan", describe: "07 conditional GAN (CGAN_RUNS.full), D step + G step: z64, G64, D32, 10 classes, B32" },
  { name: "unet", describe: "08 DiffusionUnet (DIFFUSION_RUNS.full): 24/48 channels, blocks 1/2, B8" },
  { name: "classifier", describe: "MnistClassifier (FID features, 06–10): conv16-conv32-dense64-dense10, B64" },
];

export const MODEL_NAMES: readonly string[] = CATALOG.map((m) => m.name);
