import { describe, expect } from "vitest";
import { exercisesOf, expectClose, graded, probe } from "../harness/index.ts";

const probes = new URL("../probes/00-tensors.ts", import.meta.url);
const ex = exercisesOf("00", "notebooks/00-tensors.ipynb");

const predict = ex("predict", 1, "2. A line is two tensors");
const mse = ex("mse-loss", 1, "3. How wrong is the line?");
const grads = ex("loss-gradients", 2, "4. Gradients for free");
const fit = ex("fit-line", 2, "5. Descending the loss");

describe("lesson 00: tensors and autodiff", () => {
  graded(predict, "ŷ = w·x + b matches the reference", async () => {
    const r = await probe("00", probes, "predict", { n: 7, w: 2.5, b: -0.5 });
    expectClose(r.actual, r.expected, { what: "predict(x, 2.5, −0.5)" });
  });
  graded(mse, "mean squared error matches the reference", async () => {
    const r = await probe("00", probes, "mse", { n: 30, seed: 4 });
    expectClose(r.actual, r.expected, { what: "mseLoss" });
  });
  graded(grads, "dw and db match the reference at two points", async () => {
    for (const at of [{ w: 0, b: 0 }, { w: 2, b: 1 }]) {
      const r = await probe("00", probes, "gradients", at);
      expectClose(r.actual, r.expected, { what: `lossGradients at w=${at.w}, b=${at.b}` });
    }
  });
  graded(fit, "gradient descent reaches the reference's w, b and losses", async () => {
    const r = await probe<{ w: number; b: number; losses: number[] }>("00", probes, "fit", { steps: 60, learningRate: 0.3 });
    expectClose(r.actual, r.expected, { rtol: 1e-4, atol: 1e-5, what: "fitLine(…, 60 steps)" });
    expect(r.actual.w, "fitted slope (data follow y = 3x − 1)").toBeCloseTo(3, 0);
  });
  graded(fit, "fitLine leaves no tensor behind (use tf.tidy / dispose)", async () => {
    const r = await probe("00", probes, "fit", { steps: 5, learningRate: 0.1 });
    expect(r.leakedTensors, "tensors still allocated after fitLine returned").toBe(0);
  });
});
