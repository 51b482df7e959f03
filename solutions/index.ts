/** Provided: everything the course builds, from one import: `import { Value, ANN } from "@course"`. */
export * from "./analysis";
export * from "./batches";
export * from "./data";
export * from "./draw";
export * from "./engine";
export * from "./gradcheck";
export * from "./loss";
export * from "./modern-study";
export * from "./modern-training";
export * from "./nn";
export * from "./optim";
export * from "./random";
export * from "./study";
export * from "./tensor";
export * from "./tensor-gradcheck";
export * from "./tensor-nn";
export * from "./train";
