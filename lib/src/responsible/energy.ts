/**
 * Counting the compute and energy of a training run. FLOPs come from the model's shapes: a
 * matrix product [m, k]·[k, n] costs 2mkn floating-point operations (a multiply and an add per
 * term); a training step costs about three forward passes (the backward pass computes two
 * products for every one of the forward: the gradients of the inputs and of the weights;
 * Kaplan et al. 2020, §2.1). Energy is power × time: measured where Linux exposes the CPU
 * package's energy counter (RAPL, /sys/class/powercap), otherwise estimated from a stated wattage.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { CourseError } from "../errors";
import type { GptConfig } from "../lm/gpt";

/** FLOPs of a forward pass of one token at context length T: blocks (QKV, scores, weighted sum, output, MLP) and the head. */
export function gptForwardFlopsPerToken(c: GptConfig, T = c.blockSize): number {
  const C = c.embeddingSize;
  const perLayer = 2 * C * 3 * C + 2 * T * C + 2 * T * C + 2 * C * C + 2 * C * 4 * C * 2; // qkv, QKᵀ, AV, Wo, MLP
  return c.layers * perLayer + 2 * C * c.vocabSize;
}

/** FLOPs of one training step of B windows of T tokens: 3 × forward. */
export function gptTrainFlopsPerStep(c: GptConfig, batchSize: number, T = c.blockSize): number {
  return 3 * gptForwardFlopsPerToken(c, T) * batchSize * T;
}

/** FLOPs of a 2-D convolution's forward pass: 2 · outH · outW · k² · cin · cout per image. */
export function convFlops(outH: number, outW: number, kernel: number, cin: number, cout: number): number {
  return 2 * outH * outW * kernel * kernel * cin * cout;
}

/** FLOPs of a dense layer's forward pass: 2 · in · out per example. */
export function denseFlops(fanIn: number, fanOut: number): number {
  return 2 * fanIn * fanOut;
}

/**
 * Watts assumed for the CPU when no energy counter is readable: per core in use. A server CPU
 * package draws roughly its TDP under load; a 64-core AMD EPYC at 225–280 W is 3.5–4.4 W per
 * core, and memory and the rest of the board add to it, hence 5 W per core.
 */
export const ASSUMED_WATTS_PER_CORE = 5;

/** The RAPL package counters Linux exposes (µJ), or an empty list where none is readable. */
export function raplCounters(root = "/sys/class/powercap"): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((d) => /^intel-rapl:\d+$/.test(d))
    .map((d) => join(root, d, "energy_uj"))
    .filter((f) => {
      try {
        return Number.isFinite(Number(readFileSync(f, "utf8")));
      } catch {
        return false;
      }
    });
}

/** Sum of the RAPL package counters in joules (undefined where none is readable). */
export function raplJoules(root?: string): number | undefined {
  const files = raplCounters(root);
  if (files.length === 0) return undefined;
  return files.reduce((s, f) => s + Number(readFileSync(f, "utf8")) / 1e6, 0);
}

export interface EnergyReport {
  flops: number;
  seconds: number;
  /** Achieved rate, GFLOP/s. */
  gflopsPerSecond: number;
  /** Energy in joules (measured or estimated) and in watt-hours. */
  joules: number;
  wattHours: number;
  /** "RAPL" when measured, else the wattage assumed. */
  method: string;
}

/** FLOPs, time, rate and energy of a run; `measuredJoules` from RAPL, else `watts` × seconds. */
export function energyReport(flops: number, seconds: number, watts: number, measuredJoules?: number): EnergyReport {
  if (!(seconds > 0)) throw new CourseError(`energyReport(): seconds must be > 0, got ${seconds}.`);
  const joules = measuredJoules ?? watts * seconds;
  return {
    flops, seconds, gflopsPerSecond: flops / seconds / 1e9, joules, wattHours: joules / 3600,
    method: measuredJoules !== undefined ? "RAPL (measured)" : `assumed ${watts} W`,
  };
}

/** Published estimates for large models, with sources (for comparison, not measured here). */
export const PUBLISHED_TRAINING_COSTS = [
  {
    model: "GPT-3 (175 B parameters)", flops: 3.14e23, megawattHours: 1287,
    source: "FLOPs: Brown et al. 2020, \"Language Models are Few-Shot Learners\", table D.1 (3,640 petaflop/s-days); energy: Patterson et al. 2021, \"Carbon Emissions and Large Neural Network Training\", arXiv:2104.10350, table 4",
  },
  {
    model: "BLOOM (176 B parameters)", flops: undefined, megawattHours: 433,
    source: "Luccioni, Viguier & Ligozat 2023, \"Estimating the Carbon Footprint of BLOOM, a 176B Parameter Language Model\", JMLR 24(253): 1,082,990 GPU-hours × 400 W = 433,196 kWh (dynamic power of the final training run)",
  },
] as const;
