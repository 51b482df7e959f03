/**
 * A grid of small pictures with a caption under each, as an SVG: lesson 17's misclassified digits and first-layer
 * weights. Written directly rather than through vega-lite: vega draws `image` marks only where a canvas library can
 * load them, which the course does not install, and one rectangle per pixel would make the files megabytes.
 */

export interface GridPicture {
  /** A `data:` URL (png.ts). */
  url: string;
  caption: string;
}

export interface GridOptions {
  title: string;
  /** Pictures per row. */
  columns: number;
  /** The side of each picture on screen, in pixels. */
  side: number;
  /** Space for each caption under its picture, in pixels (0: no captions). */
  captionHeight: number;
}

const FONT = "Helvetica, Arial, sans-serif";

export function pictureGridSvg(pictures: GridPicture[], { title, columns, side, captionHeight }: GridOptions): string {
  const gap = 6;
  const cell = side + gap;
  const top = 24;
  const rows = Math.ceil(pictures.length / columns);
  const width = columns * cell + gap;
  const height = top + rows * (cell + captionHeight) + gap;
  const items = pictures.map(({ url, caption }, i) => {
    const x = gap + (i % columns) * cell;
    const y = top + Math.floor(i / columns) * (cell + captionHeight);
    const text = captionHeight
      ? `<text x="${x + side / 2}" y="${y + side + captionHeight - 3}" text-anchor="middle" font-size="11">${escapeXml(caption)}</text>`
      : "";
    return `<image x="${x}" y="${y}" width="${side}" height="${side}" image-rendering="pixelated" href="${url}"><title>${escapeXml(caption)}</title></image><rect x="${x}" y="${y}" width="${side}" height="${side}" fill="none" stroke="#ccc"/>${text}`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${gap}" y="16" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...items,
    "</svg>",
    "",
  ].join("\n");
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
