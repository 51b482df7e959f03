/**
 * A small TypeScript highlighter for the course site: enough to colour the lessons' code (comments, strings,
 * numbers, keywords, types, calls) without another dependency. It returns HTML with `<span class="tok-...">`.
 */

const KEYWORDS = new Set(
  (
    "abstract as async await break case catch class const continue debugger default delete do else enum export " +
    "extends false finally for from function get if implements import in instanceof interface let new null of " +
    "private protected public readonly return set static super switch this throw true try type typeof undefined " +
    "var void while yield"
  ).split(" "),
);

// One alternative per kind of token, tried in this order at each position.
const TOKEN = new RegExp(
  [
    String.raw`(?<comment>\/\/[^\n]*|\/\*[\s\S]*?\*\/)`,
    String.raw`(?<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\x60(?:[^\x60\\]|\\.)*\x60)`,
    String.raw`(?<number>\b\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?\b)`,
    String.raw`(?<word>[A-Za-z_$][\w$]*)`,
  ].join("|"),
  "y",
);

export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** `code` as HTML with its tokens wrapped in spans; the text itself is unchanged. */
export function highlightTypeScript(code: string): string {
  let html = "";
  let plain = "";
  let i = 0;
  const flush = () => {
    html += escapeHtml(plain);
    plain = "";
  };
  while (i < code.length) {
    TOKEN.lastIndex = i;
    const match = TOKEN.exec(code);
    if (!match?.groups) {
      plain += code[i];
      i += 1;
      continue;
    }
    const text = match[0];
    const kind = tokenKind(match.groups, code.slice(i + text.length));
    if (kind) {
      flush();
      html += `<span class="tok-${kind}">${escapeHtml(text)}</span>`;
    } else {
      plain += text;
    }
    i += text.length;
  }
  flush();
  return html;
}

function tokenKind(groups: Record<string, string | undefined>, after: string): string | undefined {
  if (groups.comment) return "comment";
  if (groups.string) return "string";
  if (groups.number) return "number";
  const word = groups.word ?? "";
  if (KEYWORDS.has(word)) return "keyword";
  if (/^[A-Z]/.test(word)) return "type";
  if (/^\s*\(/.test(after)) return "call";
  return undefined;
}
