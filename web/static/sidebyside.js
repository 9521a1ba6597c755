// sidebyside.js: a run on both engines, shown as two labelled columns: each
// kernel's output, its lines that the other kernel did not print marked.

/** unmatched says which lines of a and of b have no partner in the other:
 * the lines outside a longest common subsequence (for outputs of up to
 * LCS_MAX lines each; longer ones are compared line by line). */
export function unmatched(a, b) {
  const n = a.length, m = b.length;
  const ua = new Array(n).fill(true), ub = new Array(m).fill(true);
  if (n > LCS_MAX || m > LCS_MAX) {
    for (let i = 0; i < Math.min(n, m); i++) if (a[i] === b[i]) ua[i] = ub[i] = false;
    return { a: ua, b: ub };
  }
  // len[i][j]: the LCS of a[i:] and b[j:], one row of m+1 per line of a.
  const len = new Array(n + 1);
  for (let i = n; i >= 0; i--) {
    len[i] = new Uint16Array(m + 1);
    if (i === n) continue;
    for (let j = m - 1; j >= 0; j--) len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  }
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) { ua[i] = ub[j] = false; i++; j++; } else if (len[i + 1][j] >= len[i][j + 1]) i++; else j++;
  }
  return { a: ua, b: ub };
}

const LCS_MAX = 2000;

/** lines splits output pieces [{text, cls}] into lines, each a list of
 * pieces; a final newline ends the last line rather than starting one. */
export function lines(pieces) {
  const out = [[]];
  for (const p of pieces) {
    const parts = p.text.split("\n");
    parts.forEach((s, k) => {
      if (k > 0) out.push([]);
      if (s) out[out.length - 1].push({ text: s, cls: p.cls });
    });
  }
  if (out.length > 1 && !out[out.length - 1].length) out.pop();
  return out;
}

/** renderColumn fills box with one engine's output, a span per line (the
 * newline inside it, so textContent is the output), its unmatched lines
 * marked "differ" with title. */
export function renderColumn(box, ls, marks, title, ended) {
  const kids = ls.map((pieces, i) => {
    const line = document.createElement("span");
    line.className = "line" + (marks[i] ? " differ" : "");
    if (marks[i]) line.title = title;
    for (const p of pieces) {
      const s = document.createElement("span");
      if (p.cls) s.className = p.cls;
      s.textContent = p.text;
      line.append(s);
    }
    if (i < ls.length - 1 || ended) line.append("\n");
    return line;
  });
  box.replaceChildren(...kids);
}
