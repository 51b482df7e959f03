/**
 * Small well-formedness checks for the grader's reports (used by its tests and by grade:selftest).
 * Each returns a list of problems, empty when the text is fine. Not full parsers: enough to catch a
 * broken escape, an unbalanced tag or a row with the wrong number of fields.
 */

/** XML: one root, balanced and properly nested tags, quoted attributes, only known entities, no control characters. */
export function checkXml(xml: string): string[] {
  const problems: string[] = [];
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const control = Array.from(body).some((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return c < 0x20 && c !== 0x9 && c !== 0xa && c !== 0xd;
  });
  if (control) problems.push("control character");
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(body)) problems.push("bare &");
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|<|>/g;
  for (const m of body.matchAll(tag)) {
    if (m[2] === undefined) {
      problems.push(`stray "${m[0]}" at ${m.index}`);
      continue;
    }
    const [, closing, name, , selfClosing] = m;
    if (stack.length === 0 && !closing) roots++;
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      stack.push(name);
    }
  }
  if (stack.length > 0) problems.push(`unclosed <${stack.join("> <")}>`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  return problems;
}

/** Splits CSV (RFC 4180) into rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** CSV: every row has as many fields as the header; every field after the first `textColumns` is a number. */
export function checkCsv(csv: string, textColumns = 2): string[] {
  const problems: string[] = [];
  if (!csv.endsWith("\n")) problems.push("no final newline");
  const [header, ...rows] = parseCsv(csv);
  rows.forEach((row, i) => {
    if (row.length !== header.length) problems.push(`row ${i + 2} has ${row.length} fields, not ${header.length}`);
    for (const cell of row.slice(textColumns))
      if (cell !== "" && !Number.isFinite(Number(cell))) problems.push(`row ${i + 2}: "${cell}" is not a number`);
  });
  return problems;
}

/** Markdown feedback: a title, balanced code fences. */
export function checkMarkdown(md: string): string[] {
  const problems: string[] = [];
  if (!md.startsWith("# ")) problems.push("no title");
  const fences = md.split("\n").filter((l) => /^\s*```/.test(l)).length;
  if (fences % 2 !== 0) problems.push("unbalanced code fences");
  return problems;
}
