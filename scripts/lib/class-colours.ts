/**
 * The two classes' colours, the same in every picture of the course: lesson 10's boundary figures and the
 * playground. The course's labels are ±1: −1 is orange and +1 is blue, as in the TensorFlow Playground.
 *
 * The point colours differ in lightness as well as hue (3.7:1), so they stay apart for a reader who cannot tell
 * orange from blue; `area` is the pale fill of the region the network gives a class.
 */
export const CLASS_COLOURS = {
  negative: { label: "−1", point: "#f59322", area: "#fcd9b0" },
  positive: { label: "+1", point: "#0d47a1", area: "#bcd4ee" },
} as const;

/** The thin outline of a point: dark, so a pale orange point stands out on a pale orange area. */
export const POINT_OUTLINE = "#1d1f21";

/** "#f59322" as [245, 147, 34]. */
export function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}
