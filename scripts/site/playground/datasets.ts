/**
 * The playground's data sets, besides lesson 09's two moons: the TensorFlow Playground's circle, XOR, Gaussian
 * clusters and spiral, on the moons' scale (about −1.5 to 1.5), with labels 0 and 1 like `makeMoons`. Each is
 * drawn with the course's seeded `Random`, so a seed gives the same points in every browser; the noise is, as for
 * the moons, the standard deviation of a normal added to every coordinate.
 */
import type * as Data from "@course/data";
import type { Dataset } from "@course/data";
import type * as RandomModule from "@course/random";
import type { DataName } from "./settings";

/** What the generators need of the course: the moons, and the seeded random numbers. */
export interface DataCourse {
  data: typeof Data;
  random: typeof RandomModule;
}

type Generator = (n: number, rng: RandomModule.Random) => { x: number[]; y: number }[];

const GENERATORS: Record<Exclude<DataName, "moons">, Generator> = {
  // Label 1 fills a disc of radius 0.5, label 0 a ring from 0.7 to 1 around it.
  circle: (n, rng) =>
    Array.from({ length: n }, (_, i) => {
      const inside = i < n / 2;
      const radius = inside ? rng.uniform(0, 0.5) : rng.uniform(0.7, 1);
      const angle = rng.uniform(0, 2 * Math.PI);
      return { x: [radius * Math.cos(angle), radius * Math.sin(angle)], y: inside ? 1 : 0 };
    }),
  // Uniform in the square [−1, 1]², kept a little off the axes; label 1 where both coordinates have one sign.
  xor: (n, rng) =>
    Array.from({ length: n }, () => {
      const away = (c: number) => c + Math.sign(c) * 0.05;
      const x = [away(rng.uniform(-0.95, 0.95)), away(rng.uniform(-0.95, 0.95))];
      return { x, y: x[0] * x[1] > 0 ? 1 : 0 };
    }),
  // Two round clusters of standard deviation 0.3, centred at (0.6, 0.6) for label 1 and (−0.6, −0.6) for 0.
  gauss: (n, rng) =>
    Array.from({ length: n }, (_, i) => {
      const centre = i < n / 2 ? 0.6 : -0.6;
      return { x: [rng.normal(centre, 0.3), rng.normal(centre, 0.3)], y: i < n / 2 ? 1 : 0 };
    }),
  // Two arms winding out from the centre, one and three quarter turns each, the second turned by half a turn.
  spiral: (n) =>
    Array.from({ length: n }, (_, i) => {
      const arm = i % 2;
      const along = Math.floor(i / 2) / Math.ceil(n / 2);
      const angle = 1.75 * 2 * Math.PI * along + arm * Math.PI;
      return { x: [along * Math.sin(angle), along * Math.cos(angle)], y: arm === 0 ? 1 : 0 };
    }),
};

/** `n` labelled points of the data set `name`, shuffled, then with `noise` added to every coordinate. */
export function makeData(course: DataCourse, name: DataName, n: number, noise: number, seed: number): Dataset {
  if (name === "moons") return course.data.makeMoons(n, { noise, seed });
  const rng = new course.random.Random(seed);
  const points = rng.shuffle(GENERATORS[name](n, rng));
  return {
    x: points.map((p) => p.x.map((coordinate) => coordinate + (noise > 0 ? rng.normal(0, noise) : 0))),
    y: points.map((p) => p.y),
  };
}
