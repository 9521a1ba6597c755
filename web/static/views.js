// views.js: the address space, the counters, the page-table walk, and the
// frames and page cache, each drawn from a Model (and, where the server
// can say more, from its state).

import { PAGE, PAGE_STATES, ST, bitsString, hex, size } from "./model.js";
import { t } from "./i18n.js";
import { escapeHTML } from "./eventlog.js";
import { cssColor } from "./pagemap.js";
import { drawSwatch } from "./patterns.js";

const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
};

// ---------------------------------------------------------------- legend

export function renderLegend(ul, counts) {
  ul.replaceChildren(...PAGE_STATES.map((s, i) => {
    const li = el("li");
    li.dataset.state = s;
    // The swatch is drawn as the map draws the state: its colour and its
    // pattern (patterns.js), which a forced-colors theme leaves alone.
    const sw = el("canvas", "swatch");
    sw.setAttribute("aria-hidden", "true");
    drawSwatch(sw, s, 14, cssColor("--pg-" + s), cssColor("--map-bg"), cssColor("--ink"));
    li.append(sw, document.createTextNode(t("st-" + s)));
    if (counts && counts[i]) {
      const b = el("b", null, " " + counts[i].toLocaleString());
      li.append(b);
    }
    return li;
  }));
}

// --------------------------------------------------------- address space

function areaKind(v) {
  const f = v.flags || [];
  if (f.includes("PFNMAP") || f.includes("IO")) return "device";
  if (v.file === "[stack]" || v.file === "[heap]" || v.file === "[vvar]" || v.file === "[vdso]") return "special";
  if (v.perms === "---p" || v.perms === "---s") return "none";
  if (v.file && !v.file.startsWith("/dev/zero")) return "file";
  return v.perms[3] === "s" ? "shanon" : "anon";
}
const KIND_COLOR = { device: "var(--pg-device)", special: "#c5ccd6", none: "#e3e6ea", file: "var(--pg-clean)", shanon: "var(--pg-cow)", anon: "#8fa3bb" };

/** renderAreaLegend says what the address space's colours mean. */
export function renderAreaLegend(ul) {
  ul.replaceChildren(...["file", "anon", "shanon", "device", "special"].map((k) => {
    const li = el("li");
    const sw = el("i");
    sw.style.background = KIND_COLOR[k];
    li.append(sw, document.createTextNode(t("area-" + k)));
    return li;
  }));
}

function permsHTML(p) {
  return [...p].map((c, i) => (c === "-" ? "-" : `<span class="perm-${"rwxs"[i] === "s" && c === "p" ? "p" : c}">${c}</span>`)).join("");
}

/** VMAView draws a process's areas: a strip to scale and a list. */
/** libArea is an area of the C library or its loader: made by execve or
 * ld.so (v.loader), in the libraries' part of the address space (the
 * program's image, heap and stack stay listed). */
const libArea = (v) => v.loader && v.file !== "[stack]" &&
  (v.file.startsWith("/usr/lib/") || v.file.startsWith("[vvar") || v.file === "[vdso]" || (v.file === "" && v.start >= 0x7f0000000000));

export class VMAView {
  constructor({ list, scale, tabs, onSelect, onSelectProc }) {
    this.list = list;
    this.scale = scale;
    this.tabs = tabs;
    this.onSelect = onSelect;
    this.onSelectProc = onSelectProc;
    this.rows = new Map(); // key start -> li
    this.prev = new Map(); // start -> vma, from the last render
    this.procKey = null;
    this.selStart = null;
    this.showLibs = false; // the C library's and loader's areas, folded by default
  }

  renderTabs(model, curKey) {
    const procs = model.procList();
    if (procs.length <= 1 && !(procs[0] && procs[0].engine)) { this.tabs.replaceChildren(); return; }
    this.tabs.replaceChildren(...procs.map((p) => {
      const b = el("button", null, `${p.engine ? t("engine-" + p.engine) + " · " : ""}pid ${p.pid}${p.parent ? " (" + t("child") + ")" : ""}`);
      if (p.exited) b.title = t("proc-exited");
      b.type = "button";
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", String(p.key === curKey));
      b.dataset.testid = "proc-" + p.key;
      b.addEventListener("click", () => this.onSelectProc(p.key));
      return b;
    }));
  }

  /** render draws proc's areas; animate marks what changed since last time;
   * other, the same process on the other engine, marks the areas that differ. */
  render(model, proc, selStart, animate, other) {
    if (this.tabs) this.renderTabs(model, proc ? proc.key : null);
    const vmas = proc ? proc.vmas : [];
    const procChanged = this.procKey !== (proc && proc.key);
    this.procKey = proc && proc.key;
    this.selStart = selStart;
    if (!vmas.length) {
      this.list.replaceChildren(el("li", "empty", t("no-vmas")));
      if (this.scale) { this.scale.replaceChildren(); this.blocks = new Map(); }
      this.rows.clear();
      this.prev.clear();
      return;
    }
    const next = new Map();
    const items = [];
    // High addresses first, as /proc/pid/maps diagrams draw the stack on top.
    const sorted = [...vmas].sort((a, b) => b.start - a.start);
    for (const v of sorted) {
      const key = v.start;
      let li = this.rows.get(key);
      const old = this.prev.get(key);
      const fresh = !li;
      if (!li) li = el("li");
      const why = proc.lastWhy.get(v.start);
      li.innerHTML = `<span>${hex(v.start).slice(2).padStart(12, "0")}-${hex(v.end).slice(2).padStart(12, "0")}</span>` +
        `<span>${permsHTML(v.perms)}</span><span>${hex(v.offset).slice(2).padStart(8, "0")}</span>` +
        `<span class="file">${escapeHTML(v.file || "")}${(v.flags || []).filter((f) => ["IO", "PFNMAP", "LOCKED"].includes(f)).map((f) => ` <small>${f}</small>`).join("")}` +
        `${why && ["split", "merge", "mprotect", "mremap"].includes(why) ? `<span class="why">${why}</span>` : ""}</span>` +
        `<span class="pp">${size(v.end - v.start)} · ${(proc.countPresent(v)).toLocaleString()}/${((v.end - v.start) / PAGE).toLocaleString()}</span>`;
      li.style.borderLeftColor = KIND_COLOR[areaKind(v)];
      li.title = `${hex(v.start)}-${hex(v.end)} ${v.perms} offset ${hex(v.offset)} ${v.file || ""} ${(v.flags || []).join(" ")}`;
      li.dataset.start = String(v.start);
      li.dataset.end = String(v.end);
      li.dataset.perms = v.perms;
      li.classList.toggle("sel", v.start === selStart);
      const differs = other && !other.vmas.some((o) => o.start === v.start && o.end === v.end && o.perms === v.perms);
      li.classList.toggle("differs", !!differs);
      if (differs) li.insertAdjacentHTML("beforeend", `<span class="ne" title="${t("differs")}">≠</span>`);
      if (animate && !procChanged) {
        li.classList.remove("born", "changed");
        if (fresh) { void li.offsetWidth; li.classList.add("born"); }
        else if (old && (old.end !== v.end || old.perms !== v.perms)) { void li.offsetWidth; li.classList.add("changed"); }
      }
      li.onclick = () => this.onSelect(v);
      // The keyboard: each area takes focus; Enter shows its pages, the
      // arrow keys move to the next area.
      li.tabIndex = 0;
      li.onkeydown = (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); this.onSelect(v); }
        else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
          e.preventDefault();
          const to = e.key === "ArrowDown" ? li.nextElementSibling : li.previousElementSibling;
          if (to) to.focus();
        }
      };
      next.set(key, li);
      items.push(li);
    }
    // Areas that went fade out where they were.
    const dying = [];
    if (animate && !procChanged) {
      for (const [key, li] of this.rows) {
        if (!next.has(key)) { li.classList.add("dying"); li.onclick = null; dying.push([key, li]); }
      }
    }
    const all = items.concat(dying.map(([, li]) => li));
    all.sort((a, b) => +b.dataset.start - +a.dataset.start);
    // The C library's and its loader's areas (the engine marks what execve
    // and ld.so made) fold into one line the student can open.
    const libs = sorted.filter(libArea);
    for (const li of items) li.classList.toggle("lib", !this.showLibs && libs.some((v) => String(v.start) === li.dataset.start));
    if (libs.length) {
      const fold = el("li", "libs-fold", t(this.showLibs ? "libs-hide" : "libs-show").replace("{n}", libs.length));
      fold.onclick = () => { this.showLibs = !this.showLibs; this.render(model, proc, this.selStart, false, other); };
      const at = all.findIndex((li) => libs.some((v) => String(v.start) === li.dataset.start));
      all.splice(at < 0 ? all.length : at, 0, fold);
    }
    this.list.replaceChildren(...all);
    for (const [, li] of dying) setTimeout(() => li.remove(), 700);
    this.rows = next;
    this.prev = new Map(vmas.map((v) => [v.start, { ...v }]));
    if (this.scale) this.renderScale(sorted, selStart);
  }

  /** updateCounts refreshes each area's present-page count. */
  updateCounts(proc) {
    if (!proc) return;
    for (const v of proc.vmas) {
      const li = this.rows.get(v.start);
      const pp = li && li.querySelector(".pp");
      if (pp) pp.textContent = `${size(v.end - v.start)} · ${proc.countPresent(v).toLocaleString()}/${((v.end - v.start) / PAGE).toLocaleString()}`;
    }
  }

  renderScale(sorted, selStart) {
    // Each area's height grows with the log of its size; the gaps between
    // areas (often terabytes) are drawn as breaks labelled with their size.
    // Blocks are kept by start address, so a split or merge animates (the
    // style sheet transitions top and height).
    if (!this.blocks) this.blocks = new Map();
    const keep = new Set();
    const gaps = [];
    let y = 0;
    let prevStart = null;
    for (const v of sorted) {
      if (prevStart != null && prevStart > v.end) {
        const g = el("div", "gap");
        g.style.top = y + 7 + "px";
        g.append(el("span", null, size(prevStart - v.end)));
        gaps.push(g);
        y += 16;
      }
      const pages = (v.end - v.start) / PAGE;
      const h = Math.round(10 + 5.5 * Math.log2(pages + 1));
      let b = this.blocks.get(v.start);
      if (!b) {
        b = el("div", "blk");
        b.style.top = y + "px";
        b.style.height = "0px";
        this.blocks.set(v.start, b);
        this.scale.append(b);
      }
      keep.add(v.start);
      void b.offsetHeight;
      b.style.top = y + "px";
      b.style.height = h - 2 + "px";
      b.style.background = KIND_COLOR[areaKind(v)];
      b.title = `${hex(v.start)}-${hex(v.end)} ${v.perms} ${v.file || ""}`;
      b.classList.toggle("sel", v.start === selStart);
      b.onclick = () => this.onSelect(v);
      y += h;
      prevStart = v.start;
    }
    for (const [k, b] of this.blocks) if (!keep.has(k)) { b.remove(); this.blocks.delete(k); }
    for (const g of this.scale.querySelectorAll(".gap")) g.remove();
    this.scale.append(...gaps);
    this.scale.style.height = y + "px";
  }
}

// --------------------------------------------------------------- counters

export const COUNTER_KEYS = ["syscalls", "minor_faults", "major_faults", "cow_faults", "zero_page_maps",
  "copies", "copy_to_user_bytes", "copy_from_user_bytes", "disk_reads", "disk_writes", "swap_outs", "ptes_set", "tables_alloc"];

export function renderCounters(dl, counters, prev, other) {
  // On both engines: a column per engine, the rows where they differ marked.
  const two = !!other;
  const key = t("title") + (two ? ":2" : ":1");
  if (!dl.children.length || dl.dataset.key !== key) {
    const rows = COUNTER_KEYS.map((k) => {
      const d = el("div");
      d.dataset.counter = k;
      d.setAttribute("data-testid", "counter-" + k);
      d.append(el("dt", null, t("c-" + k)), el("dd", null, "0"));
      if (two) { const b = el("dd", "real", "0"); b.setAttribute("data-testid", "counter-real-" + k); d.append(b); }
      return d;
    });
    if (two) {
      const h = el("div", "head");
      h.append(el("dt", null, ""), el("dd", null, t("engine-name-sim")), el("dd", "real", t("engine-name-real")));
      rows.unshift(h);
    }
    dl.replaceChildren(...rows);
    dl.classList.toggle("two", two);
    dl.dataset.key = key;
  }
  for (const d of dl.children) {
    const k = d.dataset.counter;
    if (!k) continue;
    const v = counters[k] || 0;
    const dd = d.children[1];
    const s = v.toLocaleString();
    if (dd.textContent !== s) {
      dd.textContent = s;
      if (prev && v) { d.classList.remove("bump"); void d.offsetWidth; d.classList.add("bump"); }
    }
    if (two) {
      const w = other[k] || 0;
      d.children[2].textContent = w.toLocaleString();
      const differ = v !== w;
      d.classList.toggle("differ", differ);
      d.title = differ ? t("counter-differs") : "";
    }
  }
}

// -------------------------------------------------------------------- walk

const LEVELS = [["PGD", 39], ["PUD", 30], ["PMD", 21], ["PTE", 12]];
const LEVEL_COLORS = ["#1f5fa8", "#0f7b7b", "#8e5cc2", "#e37b33"];

// x86-64 PTE bit positions (arch/x86/include/asm/pgtable_types.h).
const X86_BIT = { present: 0, write: 1, user: 2, accessed: 5, dirty: 6, special: 9, "soft-dirty": 11, nx: 63 };

/** pteEntry is the raw 64-bit entry a PTE with these bits and frame holds. */
export function pteEntry(pfn, bits) {
  let e = BigInt(Math.floor(pfn || 0)) << 12n;
  for (const b of (bits || "").split("|")) if (b in X86_BIT) e |= 1n << BigInt(X86_BIT[b]);
  return "0x" + e.toString(16).padStart(16, "0");
}

/** localWalk is what the page itself knows about addr's walk. */
export function localWalk(model, proc, addr) {
  const pg = proc ? proc.page(Math.floor(addr / PAGE)) : { st: 0, bits: 0, pfn: 0 };
  // Each level's entry points at the next level's table (or, at the PTE,
  // the page): a table entry is its frame << 12 | _PAGE_TABLE (0x67).
  const next = [proc && proc.tableFor("PUD", addr), proc && proc.tableFor("PMD", addr), proc && proc.tableFor("PTE", addr)];
  const levels = LEVELS.map(([level, shift], i) => {
    const index = Math.floor(addr / 2 ** shift) % 512;
    if (i < 3) {
      const pfn = next[i];
      if (pfn == null) return { level, index, present: false };
      return { level, index, present: true, pfn, entry: pteEntry(pfn, "present|write|user|accessed|dirty") };
    }
    return { level, index, present: !!(pg.bits & 1), pfn: pg.pfn, entry: pg.bits || pg.pfn ? pteEntry(pg.pfn, bitsString(pg.bits)) : null };
  });
  return { addr, levels, bits: pg.bits ? bitsString(pg.bits) : "", pfn: pg.pfn, state: PAGE_STATES[pg.st], vma: proc ? proc.vmaAt(addr) : null, local: true };
}

export function renderWalk(box, w) {
  if (!w) { box.innerHTML = `<p class="note">${t("walk-hint")}</p>`; return; }
  const a = w.addr;
  const idx = LEVELS.map(([, shift]) => Math.floor(a / 2 ** shift) % 512);
  const off = a % PAGE;
  const split = `<div class="split" data-testid="walk-split">${LEVELS.map(([n], i) => `<span style="background:${LEVEL_COLORS[i]}">${n} ${idx[i]}</span>`).join("")}<span style="background:#6b7686">offset ${hex(off)}</span></div>`;
  const rows = LEVELS.map(([name], i) => {
    const lv = (w.levels || []).find((l) => l.level === name) || { level: name, index: idx[i] };
    const has = lv.entry != null;
    const entry = has ? (typeof lv.entry === "number" ? "0x" + lv.entry.toString(16).padStart(16, "0") : lv.entry) : "—";
    const next = lv.pfn ? (i < 3 ? `${LEVELS[i + 1][0]} table, pfn ${lv.pfn}` : `${t("frame")} pfn ${lv.pfn}`) : "—";
    return `<tr class="${lv.present === false || !has ? "miss" : ""}"><td class="lv" style="color:${LEVEL_COLORS[i]}">${name}</td><td>${lv.index ?? idx[i]}</td><td>${entry}</td><td>${next}</td></tr>`;
  }).join("");
  const bits = ["present", "write", "user", "accessed", "dirty", "nx", "soft-dirty", "special"];
  const on = new Set((w.bits || "").split("|"));
  const st = w.state || "none";
  box.innerHTML = `<div><code>${hex(a)}</code> · <span class="st-chip" style="color:var(--pg-${st === "device" || st === "none" ? "device" : st})">${t("st-" + st) || st}</span>${w.vma ? ` · <span class="muted">${w.vma.perms} ${escapeHTML(w.vma.file || "")}</span>` : ""}</div>` +
    split +
    `<table><thead><tr><th>${t("level")}</th><th>${t("index")}</th><th>${t("entry")}</th><th>${t("next-table")}</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<div class="bits">${bits.map((b) => `<span class="bit${on.has(b) ? " on" : ""}">${b}</span>`).join("")}</div>` +
    (w.note ? `<p class="note">${escapeHTML(w.note)}</p>` : "") +
    (!(w.levels || []).some((l) => l.present) ? `<p class="note">${t("walk-none")}</p>` : "");
}

// ------------------------------------------------------ frames and cache

/** localMemory estimates physical memory from the page's own model: the
 * frames its processes map, the page cache, and the page-table pages. */
function localMemory(model, counts) {
  if (!model.procs.size || !model.ram || !counts) return null;
  // Frames mapped by the processes: anonymous (and private copies) unless
  // the page cache or a device owns them; the zero page is not counted.
  const cached = new Set();
  for (const f of model.files.values()) for (const p of f.values()) if (p.pfn) cached.add(p.pfn);
  let anon = 0, device = 0;
  for (const p of model.procs.values()) {
    if (p.engine === "real") continue;
    for (const c of p.chunks.values()) for (let i = 0; i < 512; i++) if (c.st[i] === ST.device && c.pfn[i]) device++;
  }
  for (let f = 1; f < counts.length; f++) if (counts[f] && !cached.has(f) && f !== model.zeroPfn) anon++;
  anon = Math.max(0, anon - device);
  let file = 0;
  for (const f of model.files.values()) file += f.size;
  let tables = 0;
  for (const p of model.procs.values()) if (p.engine !== "real") tables += p.tables.size + 1; // + its PGD
  const total = Math.floor(model.ram / PAGE);
  return { total_pages: total, anon_pages: anon, file_pages: file, page_table_pages: tables, device_pages: device,
    free_pages: Math.max(0, total - anon - file - tables - device) };
}

export function renderFrames(box, model, serverState, running) {
  const parts = [];
  const counts = model.census();
  const mem = (serverState && serverState.memory) || localMemory(model, counts);
  if (mem && mem.total_pages) {
    const segs = [["anon_pages", "mem-anon", "var(--pg-dirty)"], ["file_pages", "mem-file", "var(--pg-clean)"],
      ["page_table_pages", "mem-pt", "var(--pg-cow)"], ["device_pages", "mem-dev", "var(--pg-device)"]];
    const used = segs.reduce((s, [k]) => s + (mem[k] || 0), 0);
    // Frames in use are few next to the RAM; draw them against what is used
    // and say the total in words.
    const scale = Math.max(used, 1);
    parts.push(`<h3>${t("memory")} <span class="muted">${size(mem.total_pages * PAGE)} · ${t("mem-used")} ${used.toLocaleString()} ${t("frames-n")} (${size(used * PAGE)})</span></h3>`);
    parts.push(`<div class="mem">${segs.map(([k, , c]) => `<span style="width:${(100 * (mem[k] || 0)) / scale}%;background:${c}" title="${k}"></span>`).join("")}</div>`);
    parts.push(`<div class="memkey">${segs.map(([k, n, c]) => `<span><i style="background:${c}"></i>${t(n)} ${(mem[k] || 0).toLocaleString()}</span>`).join("")}</div>`);
  }
  // Page cache, per file.
  parts.push(`<h3>${t("page-cache")}</h3>`);
  const files = [...model.files.entries()].filter(([, f]) => f.size);
  if (!files.length) parts.push(`<p class="note">${t("no-files")}</p>`);
  for (const [name, f] of files) {
    const idx = [...f.keys()].sort((a, b) => a - b);
    const shown = idx.slice(0, 128);
    const counts = { clean: 0, dirty: 0, writeback: 0 };
    for (const i of idx) counts[f.get(i).state] = (counts[f.get(i).state] || 0) + 1;
    parts.push(`<div class="file" data-file="${escapeHTML(name)}"><code>${escapeHTML(name)}</code> <span class="muted">${idx.length} ${t("pages")} · ${t("st-dirty")} ${counts.dirty || 0} · writeback ${counts.writeback || 0}</span>` +
      `<div class="cache">${shown.map((i) => { const p = f.get(i); return `<span class="cp ${p.state}" data-state="${p.state}" title="${escapeHTML(name)}[${i}] ${p.state}${p.pfn ? " pfn " + p.pfn : ""}">${i}</span>`; }).join("")}${idx.length > shown.length ? ` <span class="muted">+${idx.length - shown.length}</span>` : ""}</div></div>`);
  }
  // Frames mapped more than once (shared between processes, or a file page
  // mapped by several).
  // Frames shared between mappings: a sort of every mapped frame, so not
  // while a program streams its events.
  const shared = running ? box._shared || [] : (box._shared = model.sharedFrames(40, counts));
  parts.push(`<h3>${t("shared-frames")}</h3>`);
  if (!shared.length) parts.push(`<p class="note">${t("no-shared")}</p>`);
  else {
    parts.push(`<table data-testid="shared-frames"><thead><tr><th>${t("frame")}</th><th>${t("maps")}</th><th>${t("mappers")}</th></tr></thead><tbody>` +
      shared.slice(0, 12).map((f) => `<tr><td>pfn ${f.pfn}</td><td>${f.count}</td><td>${f.maps.map((m) => `<span style="color:var(--pg-${PAGE_STATES[m.st]})">■</span> ${escapeHTML(t("st-" + PAGE_STATES[m.st]))} · pid ${m.pid} ${hex(m.addr)}`).join(", ")}${f.count > f.maps.length ? " …" : ""}</td></tr>`).join("") +
      `</tbody></table>`);
  }
  box.innerHTML = parts.join("");
}

export { ST };
