export * from "./classifier";
export * from "./checkpoint";
export { type Matrix, columnMeans, covariance, sqrtmPsd, symmetricEigen } from "./linalg";
export * from "./fid";
export * from "./kid";
export * from "./evaluate";
