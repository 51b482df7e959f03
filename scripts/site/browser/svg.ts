/** A small helper for the playground's drawings: SVG elements with attributes. */
const SVG = "http://www.w3.org/2000/svg";

export function svgElement(tag: string, attributes: Record<string, string | number> = {}, text?: string): SVGElement {
  const node = document.createElementNS(SVG, tag) as SVGElement;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}
