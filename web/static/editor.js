// editor.js: a C editor without libraries: a textarea over a highlighted
// <pre>, line numbers in a gutter, errors underlined at their line and
// column, and the line of the current event marked; the bracket at the
// cursor and its partner marked (an unmatched one as an error), Enter and
// "}" indenting as C is indented, and long lines wrapped on request.
//
// Every change the editor makes itself (Tab, auto-indent) goes through the
// browser's own editing (execCommand "insertText"), so that Ctrl+Z undoes
// it as it undoes typing. A textarea, not a library editor: a student's
// IME, the browser's spell-free native editing, and a plain value that the
// page and its tests read and set.

const KEYWORDS = new Set(("auto break case const continue default do else enum extern for goto if inline " +
  "register restrict return sizeof static struct switch typedef union volatile while").split(" "));
const TYPES = new Set(("void char short int long float double signed unsigned _Bool bool size_t ssize_t off_t " +
  "pid_t uint8_t uint16_t uint32_t uint64_t int8_t int16_t int32_t int64_t uintptr_t intptr_t FILE mode_t " +
  "struct stat").split(" "));

const esc = (s) => s.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));

// One regular expression, one alternative per token class.
const TOKEN = /(\/\*[\s\S]*?(?:\*\/|$))|(\/\/[^\n]*)|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(^[ \t]*#[^\n]*)|(\b0[xX][0-9a-fA-F]+[uUlL]*\b|\b\d+(?:\.\d+)?[uUlLfF]*\b)|([A-Za-z_]\w*)/gm;

/** highlight returns the HTML of src with C tokens classed. */
export function highlight(src) {
  let out = "";
  let last = 0;
  TOKEN.lastIndex = 0;
  let m;
  while ((m = TOKEN.exec(src))) {
    out += esc(src.slice(last, m.index));
    const [tok, com1, com2, str, pp, num, id] = m;
    let cls = "";
    if (com1 || com2) cls = "com";
    else if (str) cls = "str";
    else if (pp) cls = "pp";
    else if (num) cls = "num";
    else if (id) {
      if (KEYWORDS.has(id)) cls = "kw";
      else if (TYPES.has(id)) cls = "ty";
      else if (/^[A-Z][A-Z0-9_]{2,}$/.test(id)) cls = "mac";
      else if (src[TOKEN.lastIndex] === "(") cls = "fn";
    }
    out += cls ? `<span class="hl-${cls}">${esc(tok)}</span>` : esc(tok);
    last = TOKEN.lastIndex;
  }
  return out + esc(src.slice(last));
}

export class Editor {
  constructor({ textarea, pre, gutter, diagnostics, onRun, onLeave }) {
    this.ta = textarea;
    this.pre = pre;
    this.gutter = gutter;
    this.diagList = diagnostics;
    this.diags = [];
    this.curLine = 0;
    this.onChange = null;
    this.ta.addEventListener("input", () => { this.diags = []; this.render(); this.marks(); this.onChange && this.onChange(); });
    this.ta.addEventListener("scroll", () => this.sync());
    this.ta.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); onRun && onRun(); return; }
      // Esc leaves the editor, so that Tab moves between the panes again.
      if (e.key === "Escape") { e.preventDefault(); this.ta.blur(); onLeave && onLeave(); return; }
      if (e.key === "Tab" && !e.ctrlKey && !e.metaKey && !e.altKey) {
        e.preventDefault();
        this.indent(e.shiftKey ? -1 : 1);
        return;
      }
      if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && !e.isComposing) {
        const { selectionStart: a, selectionEnd: b, value } = this.ta;
        const ins = enterText(value, a, b);
        if (ins) {
          e.preventDefault();
          this.insert(ins.text);
          if (ins.back) { const p = this.ta.selectionStart - ins.back; this.ta.setSelectionRange(p, p); this.marks(); }
        }
        return;
      }
      if (e.key === "}" && !e.ctrlKey && !e.metaKey && !e.altKey && !e.isComposing) {
        // A "}" alone on its line goes one level out.
        const { selectionStart: a, selectionEnd: b, value } = this.ta;
        const ls = value.lastIndexOf("\n", a - 1) + 1;
        const ind = value.slice(ls, a);
        if (a === b && ind && /^[ \t]+$/.test(ind)) {
          e.preventDefault();
          this.ta.setSelectionRange(ls, a);
          this.insert(outdent(ind) + "}");
        }
      }
    });
    // The bracket marks follow the cursor.
    const moved = () => this.marks();
    for (const ev of ["keyup", "click", "focus", "select"]) this.ta.addEventListener(ev, moved);
    this.ta.addEventListener("blur", () => { this.bm.innerHTML = ""; this.bmKey = ""; });
    this.bm = document.createElement("pre");
    this.bm.className = "brackets";
    this.bm.setAttribute("aria-hidden", "true");
    this.bm.dataset.testid = "brackets";
    this.bm.setAttribute("data-testid", "brackets");
    this.pre.after(this.bm);
    this.bmKey = "";
    this.pairsFor = null;
    this.wrap = false;
    if (typeof ResizeObserver !== "undefined") new ResizeObserver(() => { if (this.wrap) this.render(); }).observe(this.ta);
    this.render();
  }

  /** setWrap wraps long lines (on) or scrolls them sideways (off). */
  setWrap(on) {
    this.wrap = !!on;
    this.ta.setAttribute("wrap", on ? "soft" : "off");
    this.ta.closest(".editor").classList.toggle("wrap", this.wrap);
    this.render();
    this.marks();
  }

  /** marks marks the bracket at the cursor and its partner, or the
   * bracket alone when it has none. */
  marks() {
    const ta = this.ta;
    if (document.activeElement !== ta) return;
    const src = ta.value;
    if (!this.pairsFor || this.pairsFor.src !== src) this.pairsFor = { src, pairs: bracketPairs(src) };
    const m = ta.selectionStart === ta.selectionEnd ? matchAt(src, ta.selectionStart, this.pairsFor.pairs) : null;
    const key = m ? m.at + ":" + m.to + ":" + src.length : "";
    if (key === this.bmKey) return;
    this.bmKey = key;
    if (!m) { this.bm.innerHTML = ""; return; }
    const at = [m.at, m.to].filter((x) => x >= 0).sort((x, y) => x - y);
    let html = "", last = 0;
    for (const k of at) {
      html += esc(src.slice(last, k)) + `<span class="${m.to < 0 ? "bm bm-bad" : "bm"}">${esc(src[k])}</span>`;
      last = k + 1;
    }
    this.bm.innerHTML = html + esc(src.slice(last)) + "\n";
    this.sync();
  }

  /** insert types s at the cursor through the browser's editing, so that
   * Ctrl+Z undoes it as it undoes typing. */
  insert(s) {
    this.ta.focus();
    if (!document.execCommand || !document.execCommand("insertText", false, s)) {
      const { selectionStart: a, selectionEnd: b, value } = this.ta;
      this.ta.value = value.slice(0, a) + s + value.slice(b);
      this.ta.selectionStart = this.ta.selectionEnd = a + s.length;
    }
    this.render();
  }

  /** indent adds (dir 1) or removes (dir -1) a tab at the start of each
   * selected line, or types a tab at the cursor; undo keeps working. */
  indent(dir) {
    const ta = this.ta;
    const { selectionStart: a, selectionEnd: b, value } = ta;
    const multi = value.slice(a, b).includes("\n");
    if (dir > 0 && !multi) { this.insert("\t"); return; }
    const ls = value.lastIndexOf("\n", a - 1) + 1;
    const le = b > a && value[b - 1] === "\n" ? b - 1 : b;
    const lines = value.slice(ls, le).split("\n");
    const out = lines.map((l) => (dir > 0 ? "\t" + l : l.replace(/^(\t| {1,4})/, ""))).join("\n");
    ta.setSelectionRange(ls, le);
    this.insert(out);
    ta.setSelectionRange(ls, ls + out.length);
  }

  get value() { return this.ta.value; }
  set value(s) { this.ta.value = s; this.diags = []; this.curLine = 0; this.ta.scrollTop = 0; this.render(); }

  /** retext puts s, the same program in the other language (the same
   * lines, only its comments differ), in place of the text: the error
   * marks, the current line and the scroll stay where they were. */
  retext(s) {
    const top = this.ta.scrollTop;
    this.ta.value = s;
    this.ta.scrollTop = top;
    this.render();
  }

  /** setDiagnostics marks errors: [{line, col, message, text}] */
  setDiagnostics(d) {
    this.diags = d.filter((x) => x.line > 0);
    this.render();
    this.diagList.replaceChildren(...d.map((x) => {
      const li = document.createElement("li");
      li.textContent = x.line ? `${x.line}:${x.col}: ${x.message}` : x.message;
      li.addEventListener("click", () => this.goto(x.line, x.col));
      return li;
    }));
    if (this.diags.length) this.reveal(this.diags[0].line);
  }

  /** setCrash marks the line where a signal killed the program:
   * {line, message}, or null. */
  setCrash(c) {
    this.crash = c && c.line ? c : null;
    this.render();
    for (const li of this.diagList.querySelectorAll("li.crash")) li.remove();
    if (!this.crash) return;
    const li = document.createElement("li");
    li.className = "crash";
    li.dataset.testid = "crash";
    li.setAttribute("data-testid", "crash");
    li.textContent = this.crash.message;
    li.addEventListener("click", () => this.goto(this.crash.line, 1));
    this.diagList.append(li);
    this.reveal(this.crash.line);
  }

  /** setLine marks the line being executed (0: none). */
  setLine(n) {
    if (n === this.curLine) return;
    this.curLine = n;
    this.render();
    if (n) this.reveal(n);
  }

  reveal(line) {
    const lh = parseFloat(getComputedStyle(this.ta).lineHeight) || 20;
    const row = this.pre.children[line - 1];
    const y = row ? row.offsetTop - (parseFloat(getComputedStyle(this.pre).paddingTop) || 0) : (line - 1) * lh;
    if (y < this.ta.scrollTop || y > this.ta.scrollTop + this.ta.clientHeight - 2 * lh) {
      this.ta.scrollTop = Math.max(0, y - this.ta.clientHeight / 3);
    }
  }

  goto(line, col) {
    const lines = this.ta.value.split("\n");
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    const text = lines[line - 1] || "";
    let c = 0;
    for (let k = 1; c < text.length && k < (col || 1); c++) k = text[c] === "\t" ? k + 8 - ((k - 1) % 8) : k + 1;
    pos += c;
    this.ta.focus();
    this.ta.setSelectionRange(pos, pos);
    this.reveal(line);
  }

  render() {
    const src = this.ta.value;
    const lines = src.split("\n");
    // Highlight line by line so errors and the current line can be marked;
    // comments spanning lines are carried over.
    let html = highlight(src);
    const hlLines = splitHTMLLines(html);
    const errAt = new Map();
    for (const d of this.diags) if (!errAt.has(d.line)) errAt.set(d.line, d);
    const outLines = lines.map((line, i) => {
      const n = i + 1;
      let h = hlLines[i] ?? "";
      const d = errAt.get(n);
      if (d) h = markError(line, d);
      if (n === this.curLine) h = `<span class="hl-line">${h || " "}</span>`;
      if (this.crash && n === this.crash.line) h = `<span class="hl-crash" title="${esc(this.crash.message).replace(/"/g, "&quot;")}">${h || " "}</span>`;
      // One block per line, so that a wrapped line's height can be read.
      return `<div>${h || " "}</div>`;
    });
    this.pre.innerHTML = outLines.join("");
    const g = [];
    for (let i = 1; i <= lines.length; i++) {
      if (errAt.has(i)) g.push(`<div><span class="err" title="${esc(errAt.get(i).message).replace(/"/g, "&quot;")}">${i}</span></div>`);
      else if (this.crash && i === this.crash.line) g.push(`<div><span class="err crash" title="${esc(this.crash.message).replace(/"/g, "&quot;")}">${i}</span></div>`);
      else if (i === this.curLine) g.push(`<div><span class="cur">${i}</span></div>`);
      else g.push(`<div>${i}</div>`);
    }
    this.gutter.innerHTML = g.join("");
    this.fit();
    this.sync();
  }

  /** fit lines the layers up with the textarea: the text as wide as the
   * textarea's (less its scroll bar), and each line number as tall as its
   * line when long lines wrap. */
  fit() {
    const bar = this.ta.offsetWidth - this.ta.clientWidth;
    const pad = (10 + Math.max(0, bar)) + "px";
    this.pre.style.paddingRight = this.bm.style.paddingRight = pad;
    const rows = this.pre.children, nums = this.gutter.children;
    for (let i = 0; i < nums.length; i++) nums[i].style.height = this.wrap && rows[i] ? rows[i].offsetHeight + "px" : "";
  }

  sync() {
    const { scrollTop, scrollLeft } = this.ta;
    this.pre.scrollTop = this.bm.scrollTop = scrollTop;
    this.pre.scrollLeft = this.bm.scrollLeft = scrollLeft;
    this.gutter.scrollTop = scrollTop;
  }
}

// splitHTMLLines splits highlighted HTML at newlines, closing and reopening
// spans that cross a line end (block comments).
function splitHTMLLines(html) {
  const out = [];
  let cur = "";
  let open = null;
  const re = /(<span class="[^"]*">)|(<\/span>)|(\n)|([^<\n]+)/g;
  let m;
  while ((m = re.exec(html))) {
    if (m[1]) { open = m[1]; cur += m[1]; }
    else if (m[2]) { open = null; cur += m[2]; }
    else if (m[3]) { out.push(open ? cur + "</span>" : cur); cur = open || ""; }
    else cur += m[4];
  }
  out.push(cur);
  return out;
}

// markError highlights one line plainly with the error's token underlined.
function markError(line, d) {
  // Columns count as GCC's do: display columns, a tab advancing to the
  // next multiple of 8. Find the character at that column.
  let c = 0;
  for (let col = 1; c < line.length && col < (d.col || 1); c++) col = line[c] === "\t" ? col + 8 - ((col - 1) % 8) : col + 1;
  if (d.text && line.substr(c, d.text.length) !== d.text && line.substr((d.col || 1) - 1, d.text.length) === d.text) c = d.col - 1;
  c = Math.max(0, Math.min(line.length, c));
  let len = d.text ? d.text.length : 0;
  if (!len || line.substr(c, len) !== d.text) {
    const m = /^[A-Za-z_]\w*|^\S/.exec(line.slice(c));
    len = m ? m[0].length : 1;
  }
  const before = highlight(line.slice(0, c));
  const tok = esc(line.slice(c, c + len) || " ");
  const after = highlight(line.slice(c + len));
  return `${before}<span class="hl-err" title="${esc(d.message).replace(/"/g, "&quot;")}">${tok}</span>${after}`;
}

// ------------------------------------------------------- brackets, indent

const OPEN = { "(": ")", "[": "]", "{": "}" };
const CLOSE = { ")": "(", "]": "[", "}": "{" };

/** bracketPairs pairs the brackets of C source src, outside comments,
 * strings and character constants: a Map from each bracket's offset to its
 * partner's, or -1 for a bracket with none. */
export function bracketPairs(src) {
  const pairs = new Map();
  const stack = [];
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === "/" && src[i + 1] === "/") { const e = src.indexOf("\n", i); i = e < 0 ? src.length : e; continue; }
    if (c === "/" && src[i + 1] === "*") { const e = src.indexOf("*/", i + 2); i = e < 0 ? src.length : e + 1; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
      i = j;
      continue;
    }
    if (OPEN[c]) stack.push(i);
    else if (CLOSE[c]) {
      const top = stack.length ? stack[stack.length - 1] : -1;
      if (top >= 0 && src[top] === CLOSE[c]) { stack.pop(); pairs.set(top, i); pairs.set(i, top); }
      else pairs.set(i, -1);
    }
  }
  for (const k of stack) pairs.set(k, -1);
  return pairs;
}

/** matchAt is the bracket just before pos (else just after it) and its
 * partner: {at, to} with to -1 when it has none; null when no bracket is
 * there (or it is inside a comment or a string). */
export function matchAt(src, pos, pairs = bracketPairs(src)) {
  for (const k of [pos - 1, pos]) if (k >= 0 && pairs.has(k)) return { at: k, to: pairs.get(k) };
  return null;
}

/** enterText is what Enter types at a..b in value: a newline with the
 * line's indentation, one level more after an opening "{" (or "(" / "["),
 * and between "{" and "}" the "}" on a line of its own; back is how far
 * the cursor then goes back (to the middle line). Null: a plain newline. */
export function enterText(value, a, b) {
  const ls = value.lastIndexOf("\n", a - 1) + 1;
  const before = value.slice(ls, a);
  const ind = /^[ \t]*/.exec(before)[0];
  const opens = /[{([]\s*$/.test(before);
  const unit = ind.startsWith(" ") && !ind.includes("\t") ? "    " : "\t";
  const next = value[b];
  if (opens && next && OPEN[before.trimEnd().slice(-1)] === next) {
    const tail = "\n" + ind;
    return { text: "\n" + ind + unit + tail, back: tail.length };
  }
  if (!ind && !opens) return null;
  return { text: "\n" + ind + (opens ? unit : ""), back: 0 };
}

/** outdent is an indentation one level less. */
export function outdent(ind) {
  if (ind.endsWith("\t")) return ind.slice(0, -1);
  return ind.replace(/ {1,4}$/, "");
}
