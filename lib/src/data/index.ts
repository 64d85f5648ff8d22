/**
 * The course's datasets, loaded only from installed npm packages and checked against
 * datasets/manifest.json (see datasets/README.md for sources, licences and the reference splits).
 */
export { loadNames, type Names } from "./names";
export { loadMobyDick, type MobyDick } from "./mobyDick";
export {
  loadMnist,
  parseIdx,
  type IdxArray,
  type Mnist,
  type MnistOptions,
  type MnistSplit,
} from "./mnist";
export {
  loadJsbChorales,
  parseJsbChorales,
  type Chorale,
  type ChoraleStep,
  type JsbChorales,
} from "./jsbChorales";
export { datasetPackageDir } from "./packages";
export {
  readVerifiedDatasetFile,
  readVerifiedDatasetGroup,
  type VerifyOptions,
} from "./verify";
export { datasetManifest, sha256, type Manifest } from "./manifest";
