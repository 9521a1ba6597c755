// eventlog.js: the event log, virtualised: only the rows in view exist in
// the DOM, so half a million events scroll as smoothly as fifty. Filtering
// keeps an index of the events that pass; appending extends it.

import { hex, size, pageStateAt, PAGE_STATES } from "./model.js";
import { t } from "./i18n.js";
import { SYSCALLS, format } from "./linux.js";

const ROW = 22;

// Filter groups: each chip shows or hides these event types.
export const GROUPS = [
  { id: "syscall", types: ["syscall", "vdso"], color: "var(--ev-syscall)" },
  { id: "vma", types: ["vma", "exec"], color: "var(--ev-vma)" },
  { id: "fault", types: ["fault"], color: "var(--ev-fault)" },
  { id: "pte", types: ["pte", "pgtable"], color: "var(--ev-pte)" },
  { id: "cache", types: ["pagecache", "frame", "disk", "reclaim", "copy"], color: "var(--ev-cache)" },
  { id: "signal", types: ["signal", "process", "exit", "error", "difference", "note", "dropped"], color: "var(--ev-signal)" },
  { id: "output", types: ["stdout", "stderr", "checkpoint"], color: "var(--ev-out)" },
];
const GROUP_OF = {};
for (const g of GROUPS) for (const ty of g.types) GROUP_OF[ty] = g;

const num = (a) => (typeof a === "string" ? JSON.stringify(a) : a > 0xffff || a < -0xffff ? hex(a) : String(a));

/** syscallText is a syscall as strace writes it, with flags by name. */
export function syscallText(ev) {
  const a = ev.args || [];
  const f = SYSCALLS[ev.name] || { args: [] };
  const args = a.map((x, i) => {
    const how = (f.args || [])[i];
    if (typeof x === "string" || !how || how === "ptr") return num(x);
    if (how === "octal") return "0" + x.toString(8);
    return format(how, x);
  });
  let ret = ev.ret;
  const r = ev.errno ? `-1 ${ev.errno}` : f.ret_ptr ? hex(ret) : String(ret);
  return { call: `${ev.name}(${args.join(", ")})`, ret: r, bad: !!ev.errno };
}

/** describe is one line for an event, as HTML-free text parts. */
export function describe(ev) {
  const path = ev.path && ev.path.length ? ev.path[ev.path.length - 1] : "";
  switch (ev.type) {
    case "syscall": {
      const s = syscallText(ev);
      return { main: `${s.call} = `, ret: s.ret, bad: s.bad, path: ev.path ? ev.path.join(" › ") : "" };
    }
    case "vdso": return { main: `${ev.name}(${(ev.args || []).map(num).join(", ")}) = `, ret: String(ev.ret ?? 0), tag: "vDSO" };
    case "vma": {
      const v = ev.vma || {};
      return { main: `${ev.op} ${hex(v.start)}-${hex(v.end)} ${v.perms || ""} ${v.file || ""} (${size(v.end - v.start)})`, tag: ev.why };
    }
    case "exec": return { main: `${ev.name || ""}` };
    case "pte": {
      const n = ev.pages || 1;
      return { main: `${ev.op} ${hex(ev.addr)}${n > 1 ? " ×" + n : ""}${ev.pfn ? " → pfn " + ev.pfn : ""} ${ev.bits || ""}`, tag: ev.why };
    }
    case "pgtable": return { main: `${ev.op} ${ev.level} table for ${hex(ev.addr || 0)}` };
    case "fault": {
      const bad = ev.result && ev.result !== "ok";
      return { main: `${ev.access ? ev.access + " " : ""}${hex(ev.addr)}: ${ev.kind}${ev.major ? " (major)" : " (minor)"}${ev.pages > 1 ? " +" + (ev.pages - 1) + " around" : ""}`, ret: bad ? ev.result : "", bad, path: ev.path ? ev.path.join(" › ") : "" };
    }
    case "pagecache": return { main: `${ev.file}[${ev.index}] ${ev.op}${ev.state && ev.state !== ev.op ? " → " + ev.state : ""}${ev.pfn ? " pfn " + ev.pfn : ""}` };
    case "frame": return { main: `${ev.op}${ev.pfn ? " pfn " + ev.pfn : ""}${ev.pages > 1 ? " ×" + ev.pages : ev.pfn ? "" : " 1 frame"} ${ev.kind || ""}`, tag: ev.why };
    case "copy": return { main: `${ev.dir} ${ev.bytes} B${ev.file ? " " + ev.file : ""}` };
    case "disk": return { main: `${ev.op} ${ev.file || "swap"}[${ev.index || 0}]${ev.pages > 1 ? " ×" + ev.pages : ""}`, tag: ev.why };
    case "reclaim": return { main: `${ev.pages} pages`, tag: ev.why };
    case "signal": return { main: `${ev.signal} ${ev.code || ""} ${ev.addr ? hex(ev.addr) : ""}`, bad: true };
    case "process": return { main: `${ev.op}${ev.child ? " child " + ev.child : ""}${ev.op === "exit" ? (ev.signal ? " killed by " + ev.signal : " status " + (ev.status || 0)) : ""}`, bad: !!ev.signal };
    case "stdout": case "stderr": return { main: JSON.stringify(ev.text) };
    case "checkpoint": return { main: ev.label || "" };
    case "error": return { main: `${ev.line ? ev.line + ":" + ev.col + ": " : ""}${ev.message}`, bad: true };
    case "note": return { main: ev.message || "" };
    case "difference": return { main: `${ev.field}: sim ${ev.sim} / real ${ev.real}`, tag: ev.explained ? "explained" : "", bad: !ev.explained };
    case "exit": return { main: ev.signal ? `${ev.signal} (status ${ev.status})` : `status ${ev.status}`, bad: !!ev.signal || ev.status !== 0 };
    case "dropped": return { main: `missed ${ev.count} events`, bad: true };
  }
  return { main: path };
}

export class EventLog {
  constructor({ el, spacer, filters, count, onSelect }) {
    this.el = el;
    this.spacer = spacer;
    this.countEl = count;
    this.onSelect = onSelect;
    this.events = [];
    this.idx = new Int32Array(1024); // indexes of events that pass the filter
    this.n = 0;
    this.hidden = new Set();
    this.follow = true;
    this.sel = -1; // selected event index
    this.cur = -1; // event the run is paused at
    this.spot = null; // a predicate: events a lesson points at
    this.rows = new Map();
    this.pending = false;
    this.buildFilters(filters);
    el.addEventListener("scroll", () => {
      this.follow = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
      this.request();
    });
    el.addEventListener("click", (e) => {
      const row = e.target.closest(".ev-row");
      if (row) this.select(+row.dataset.i);
    });
    el.addEventListener("keydown", (e) => {
      if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
      e.preventDefault();
      const pos = this.position(this.sel);
      const next = Math.max(0, Math.min(this.n - 1, (pos < 0 ? this.n : pos) + (e.key === "ArrowDown" ? 1 : -1)));
      if (this.n) { this.select(this.idx[next]); this.scrollTo(this.idx[next]); }
    });
    new ResizeObserver(() => this.request()).observe(el);
  }

  buildFilters(box) {
    this.filterBox = box;
    box.replaceChildren(...GROUPS.map((g) => {
      const l = document.createElement("label");
      l.dataset.group = g.id;
      const c = document.createElement("input");
      c.type = "checkbox";
      c.checked = !(this.hidden && this.hidden.has(g.id));
      l.classList.toggle("off", !c.checked);
      c.dataset.testid = "filter-" + g.id;
      c.setAttribute("data-testid", "filter-" + g.id);
      c.addEventListener("change", () => {
        if (c.checked) this.hidden.delete(g.id); else this.hidden.add(g.id);
        l.classList.toggle("off", !c.checked);
        this.refilter();
      });
      const i = document.createElement("i");
      i.style.background = g.color;
      const s = document.createElement("span");
      s.textContent = t("f-" + g.id);
      s.dataset.i18n = "f-" + g.id;
      l.append(c, i, s);
      return l;
    }));
  }

  passes(ev) {
    const g = GROUP_OF[ev.type];
    return !g || !this.hidden.has(g.id);
  }

  reset() {
    this.events = [];
    this.n = 0;
    this.sel = -1;
    this.cur = -1;
    this.follow = true;
    for (const r of this.rows.values()) r.remove();
    this.rows.clear();
    this.el.scrollTop = 0;
    this.request();
  }

  /** setEvents points the log at the run's event array (shared, appended to). */
  setEvents(events) {
    this.events = events;
    this.refilter();
  }

  /** appended tells the log that events[from..] are new. */
  appended(from) {
    for (let i = from; i < this.events.length; i++) {
      if (!this.passes(this.events[i])) continue;
      if (this.n === this.idx.length) {
        const b = new Int32Array(this.idx.length * 2);
        b.set(this.idx);
        this.idx = b;
      }
      this.idx[this.n++] = i;
    }
    this.request();
  }

  /** truncate drops events from index n on (a replay restarted). */
  truncated() {
    while (this.n > 0 && this.idx[this.n - 1] >= this.events.length) this.n--;
    if (this.sel >= this.events.length) this.sel = -1;
    this.request();
  }

  refilter() {
    this.n = 0;
    this.appended(0);
    for (const r of this.rows.values()) r.remove();
    this.rows.clear();
    if (this.sel >= 0) this.scrollTo(this.sel);
  }

  position(i) {
    // binary search in idx
    let lo = 0, hi = this.n - 1;
    while (lo <= hi) {
      const m = (lo + hi) >> 1;
      if (this.idx[m] === i) return m;
      if (this.idx[m] < i) lo = m + 1; else hi = m - 1;
    }
    return -1;
  }

  scrollTo(i) {
    let pos = this.position(i);
    if (pos < 0) {
      // nearest passing event at or before i
      let lo = 0, hi = this.n - 1;
      while (lo <= hi) { const m = (lo + hi) >> 1; if (this.idx[m] <= i) lo = m + 1; else hi = m - 1; }
      pos = Math.max(0, hi);
    }
    const y = pos * ROW;
    // The spacer may not have grown yet (it does on the next frame): grow
    // it now, or the scroll position would be clamped.
    this.spacer.style.height = this.n * ROW + "px";
    if (y < this.el.scrollTop || y > this.el.scrollTop + this.el.clientHeight - ROW) {
      this.el.scrollTop = Math.max(0, y - this.el.clientHeight / 2);
    }
    this.follow = false;
    this.request();
  }

  select(i) {
    this.sel = i;
    this.follow = false;
    this.request(true);
    this.onSelect && this.onSelect(i);
  }

  setCurrent(i) {
    this.cur = i;
    if (i >= 0) this.scrollTo(i);
    this.request(true);
  }

  setSpot(pred) {
    this.spot = pred;
    this.request(true);
    if (pred) {
      for (let k = 0; k < this.n; k++) if (pred(this.events[this.idx[k]])) { this.scrollTo(this.idx[k]); break; }
    }
  }

  request(restyle) {
    if (restyle) this.restyle = true;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.render(); });
  }

  render() {
    const el = this.el;
    if (this.n) delete el.dataset.empty; else el.dataset.empty = t("no-events");
    this.spacer.style.height = this.n * ROW + "px";
    this.countEl.textContent = this.n === this.events.length ? this.events.length.toLocaleString() : `${this.n.toLocaleString()} / ${this.events.length.toLocaleString()}`;
    if (this.follow) el.scrollTop = el.scrollHeight;
    const first = Math.max(0, Math.floor(el.scrollTop / ROW) - 5);
    const last = Math.min(this.n, Math.ceil((el.scrollTop + el.clientHeight) / ROW) + 5);
    const keep = new Set();
    for (let k = first; k < last; k++) {
      const i = this.idx[k];
      keep.add(i);
      let r = this.rows.get(i);
      if (!r) {
        r = this.makeRow(i);
        r.style.top = k * ROW + "px";
        this.rows.set(i, r);
        el.appendChild(r);
        r.dataset.k = k;
      } else if (+r.dataset.k !== k) {
        r.style.top = k * ROW + "px";
        r.dataset.k = k;
      }
      if (this.restyle || !r.styled) this.styleRow(r, i);
    }
    for (const [i, r] of this.rows) if (!keep.has(i)) { r.remove(); this.rows.delete(i); }
    this.restyle = false;
  }

  styleRow(r, i) {
    r.classList.toggle("sel", i === this.sel);
    r.classList.toggle("cur", i === this.cur);
    const s = this.spot && this.spot(this.events[i]);
    r.style.background = s ? "#fff3bf" : "";
    r.styled = true;
  }

  makeRow(i) {
    const ev = this.events[i];
    const d = describe(ev);
    const r = document.createElement("div");
    r.className = "ev-row";
    r.setAttribute("role", "listitem");
    r.dataset.i = i;
    r.dataset.type = ev.type;
    const g = GROUP_OF[ev.type];
    if (g) r.style.borderLeftColor = g.color;
    const seq = document.createElement("span");
    seq.className = "seq";
    seq.textContent = ev.seq ?? i + 1;
    const ty = document.createElement("span");
    ty.className = "ty";
    // The type in the page's language (the English words are the engine's).
    const tw = t("ty-" + ev.type);
    ty.textContent = (ev.engine ? ev.engine + " " : "") + (tw === "ty-" + ev.type ? ev.type : tw) + (this.multi && ev.pid ? " [" + ev.pid + "]" : "");
    ty.style.color = g ? g.color : "";
    const main = document.createElement("span");
    main.textContent = d.main;
    r.append(seq, ty);
    if ((ev.type === "fault" && (!ev.result || ev.result === "ok")) || (ev.type === "pte" && (ev.page_state || ev.page_states))) {
      // The page's state after the event, as the engine says, in the page
      // map's colours.
      const sw = document.createElement("i");
      sw.className = "sw";
      const st = PAGE_STATES[pageStateAt(ev, 0)];
      sw.style.background = `var(--pg-${st})`;
      sw.title = t("st-" + st);
      r.append(sw);
    }
    r.append(main);
    if (d.ret) {
      const ret = document.createElement("span");
      ret.className = d.bad ? "bad" : "ok";
      ret.textContent = " " + d.ret;
      r.append(ret);
    }
    if (d.tag) {
      const tag = document.createElement("span");
      tag.className = "path";
      tag.textContent = `  (${d.tag})`;
      r.append(tag);
    }
    if (d.path) {
      const p = document.createElement("span");
      p.className = "path";
      p.textContent = "   " + d.path;
      r.append(p);
    }
    if (ev.line) r.title = `line ${ev.line}`;
    return r;
  }
}

/** detailHTML explains one event for the panel under the log. */
export function detail(ev) {
  const d = describe(ev);
  const parts = [`<span class="moment">#${ev.seq ?? ""} ${ev.type}</span> ${escapeHTML(d.main)}${d.ret ? " " + escapeHTML(d.ret) : ""}`];
  if (ev.line) parts.push(`line ${ev.line}:${ev.col}`);
  if (ev.path && ev.path.length) parts.push(`${t("kernel-path")}: <span class="kpath">${ev.path.map((p) => `<span>${escapeHTML(p)}</span>`).join("› ")}</span>`);
  return parts.join(" · ");
}

export function escapeHTML(s) {
  return String(s).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
}
