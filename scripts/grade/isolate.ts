/**
 * `--isolate`: lesson N graded with the reference code everywhere except lesson N's own regions, which come
 * from the submission (matched by lesson and order), so a broken earlier lesson does not sink a later one.
 */
import { parseRegions, type RegionSegment, regionsOf, renderSegments } from "../lib/regions";

/**
 * The reference code with lesson `lessonId`'s regions taken from the submission, matched by lesson and
 * order. Returns a problem instead when the submission's markers are missing, malformed or out of step.
 */
export function isolatedFiles(
  lessonId: string,
  submission: Map<string, string>,
  reference: Map<string, string>,
  lessonIds: ReadonlySet<string>,
): { files: Map<string, string> } | { problem: string } {
  const files = new Map<string, string>();
  for (const [name, text] of reference) {
    const segments = parseRegions(text, `solutions/${name}`, lessonIds);
    const wanted = regionsOf(segments).filter((r) => r.lesson === lessonId);
    if (wanted.length === 0) {
      files.set(name, text);
      continue;
    }
    const theirs = submission.get(name);
    if (theirs === undefined) return { problem: `src/${name} is missing` };
    let mine: RegionSegment[];
    try {
      mine = regionsOf(parseRegions(theirs, `src/${name}`, lessonIds)).filter((r) => r.lesson === lessonId);
    } catch (error) {
      return { problem: (error as Error).message };
    }
    if (mine.length !== wanted.length) {
      return {
        problem: `src/${name} has ${mine.length} "// BEGIN ${lessonId}" regions where the course has ${wanted.length} (were the markers removed or changed?)`,
      };
    }
    let k = 0;
    files.set(
      name,
      renderSegments(segments, (r) => (r.lesson === lessonId ? mine[k++].body : r.body)),
    );
  }
  return { files };
}
