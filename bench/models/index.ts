/** The benchmark models' builders, by the names in catalog.ts. */
import type { Rng } from "@course/lib";
import { buildConvnet } from "./convnet";
import { buildDcgan } from "./dcgan";
import { buildGpt } from "./gpt";
import { buildLstm } from "./lstm";
import type { BenchModel } from "./types";
import { buildUnet } from "./unet";
import { buildVae } from "./vae";

export const BUILDERS: Readonly<Record<string, (rng: Rng) => BenchModel>> = {
  convnet: buildConvnet,
  lstm: buildLstm,
  gpt: buildGpt,
  vae: buildVae,
  dcgan: buildDcgan,
  unet: buildUnet,
};
export type { BenchModel, Guard } from "./types";
