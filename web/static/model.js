// model.js: what a run has done so far, rebuilt from its events alone.
//
// The page keeps every event of a run and folds them into a Model: each
// process's areas (its vm_area_structs) and the state of each of its pages,
// the page cache of each file, the counters and the output. Because the
// model is a pure function of the events, "the state at event N" is a model
// built from the first N events: clicking an event in the log replays up to
// it in the browser, without asking the server.

import { PAGE_STATES, PTE_BITS } from "./linux.js";

export { PAGE_STATES, PTE_BITS };
export const ST = Object.fromEntries(PAGE_STATES.map((s, i) => [s, i]));

// PTE bits as engine.PTEBits numbers them.
const BIT = Object.fromEntries(PTE_BITS.map((b, i) => [b, 1 << i]));

export const PAGE = 4096;
const CHUNK = 512; // pages per chunk: one PTE table's worth

const bitsMemo = new Map();
export function bitsOf(s) {
  if (!s) return 0;
  let b = bitsMemo.get(s);
  if (b === undefined) {
    b = 0;
    for (const n of s.split("|")) b |= BIT[n] || 0;
    bitsMemo.set(s, b);
  }
  return b;
}
export function bitsString(b) { return PTE_BITS.filter((n, i) => b & (1 << i)).join("|"); }

/** pageStateAt is the state the engine says page i of ev's range is in
 * after ev (page_state for all of them, or page_states' digit i). An event
 * without either (the real engine's) says only present or not. */
export function pageStateAt(ev, i) {
  if (ev.page_states) { const d = ev.page_states.charCodeAt(i) - 48; return d >= 0 && d < PAGE_STATES.length ? d : ST.none; }
  if (ev.page_state) return ST[ev.page_state] ?? ST.none;
  if (ev.type === "pte") return ev.op === "clear" ? ST.none : ST.clean;
  return ST.clean; // a handled fault: present
}

/** Chunk holds 512 consecutive pages: state, PTE bits and frame number. */
class Chunk {
  constructor() {
    this.st = new Uint8Array(CHUNK);
    this.bits = new Uint8Array(CHUNK);
    this.pfn = new Float64Array(CHUNK);
  }
}

/** Proc is one process: its areas in address order and its pages. */
export class Proc {
  constructor(key, pid, engine) {
    this.key = key;
    this.pid = pid;
    this.engine = engine || "";
    this.vmas = [];
    this.chunks = new Map(); // page number / 512 -> Chunk
    this.exited = false;
    this.version = 0; // bumped on every change, for redraws
    this.vmaVersion = 0;
    this.lastWhy = new Map(); // vma start -> why it last changed (split, merge...)
    this.tables = new Map(); // "PUD:region" -> pfn of the page-table page
    this.exiting = false;
  }
  /** tableFor is the frame of the level's table covering addr, if made. */
  tableFor(level, addr) {
    const shift = level === "PUD" ? 39 : level === "PMD" ? 30 : 21;
    return this.tables.get(level + ":" + Math.floor(addr / 2 ** shift));
  }
  chunk(pn, make) {
    const k = Math.floor(pn / CHUNK);
    let c = this.chunks.get(k);
    if (!c && make) { c = new Chunk(); this.chunks.set(k, c); }
    return c;
  }
  page(pn) {
    const c = this.chunk(pn, false);
    if (!c) return { st: 0, bits: 0, pfn: 0 };
    const i = pn % CHUNK;
    return { st: c.st[i], bits: c.bits[i], pfn: c.pfn[i] };
  }
  setPage(pn, st, bits, pfn) {
    const c = this.chunk(pn, st !== 0);
    if (!c) return;
    const i = pn % CHUNK;
    c.st[i] = st; c.bits[i] = bits; c.pfn[i] = pfn;
  }
  vmaAt(addr) {
    for (const v of this.vmas) if (addr >= v.start && addr < v.end) return v;
    return null;
  }
  /** states fills out[i] with the state of page startPage+i. */
  states(startPage, n, out) {
    let i = 0;
    while (i < n) {
      const pn = startPage + i;
      const off = pn % CHUNK;
      const len = Math.min(CHUNK - off, n - i);
      const c = this.chunks.get(Math.floor(pn / CHUNK));
      if (c) out.set(c.st.subarray(off, off + len), i);
      else out.fill(0, i, i + len);
      i += len;
    }
    return out;
  }
  countPresent(v) {
    let n = 0;
    const a = v.start / PAGE, b = v.end / PAGE;
    for (let pn = a; pn < b;) {
      const off = pn % CHUNK, len = Math.min(CHUNK - off, b - pn);
      const c = this.chunks.get(Math.floor(pn / CHUNK));
      if (c) for (let i = off; i < off + len; i++) if (c.st[i] !== 0 && c.st[i] !== ST.swapped) n++;
      pn += len;
    }
    return n;
  }
}

const COUNTERS = ["syscalls", "minor_faults", "major_faults", "cow_faults", "zero_page_maps", "copies",
  "copy_to_user_bytes", "copy_from_user_bytes", "disk_reads", "disk_writes", "swap_outs", "swap_ins",
  "pages_reclaimed", "ptes_set", "tables_alloc", "tables_freed"];

const zeroCounters = () => Object.fromEntries(COUNTERS.map((k) => [k, 0]));

export class Model {
  constructor() {
    this.procs = new Map(); // key ("pid" or "engine:pid") -> Proc
    this.files = new Map(); // name -> Map(index -> {state, pfn})
    this.counters = zeroCounters(); // the run's, or the simulated kernel's on both
    this.realCounters = null; // on both: the real kernel's, counted apart
    this.out = []; // [{stream, text}]
    this.errors = []; // compile and run-time errors
    this.exit = null; // the exit event(s)
    this.exits = new Map(); // engine -> exit event
    this.seq = 0; // last event applied
    this.lastMmap = null; // {key, start} of the newest mmap'd area
    this.diffs = [];
    this.notes = [];
    this.checkpoints = [];
    this.version = 0;
  }

  proc(ev) {
    const key = ev.engine ? `${ev.engine}:${ev.pid || 1}` : String(ev.pid || 1);
    let p = this.procs.get(key);
    if (!p) { p = new Proc(key, ev.pid || 1, ev.engine); this.procs.set(key, p); }
    return p;
  }

  /** apply folds one event into the model. */
  /** countersOf is the counters an event of engine counts in: each
   * engine's apart on a run on both. */
  countersOf(engine) {
    if (engine !== "real" || !this.bothEngines) return this.counters;
    return (this.realCounters ||= zeroCounters());
  }

  apply(ev) {
    this.seq = ev.seq || this.seq + 1;
    this.version++;
    if (ev.engine === "sim") this.bothEngines = true; // only a run on both names its engines
    if (ev.engine === "real" && !this.realCounters) { this.bothEngines = true; this.realCounters = zeroCounters(); }
    const c = this.countersOf(ev.engine);
    switch (ev.type) {
      case "exec": {
        const p = this.proc(ev);
        if (ev.vma) this.addVMA(p, ev.vma, "exec");
        break;
      }
      case "vma": this.onVMA(ev); break;
      case "pte": this.onPTE(ev); break;
      case "fault": this.onFault(ev); break;
      case "syscall":
        c.syscalls++;
        if (ev.name === "exit_group" || ev.name === "exit") this.proc(ev).exiting = true;
        break;
      case "pagecache": this.onCache(ev); break;
      case "copy":
        c.copies++;
        if (ev.dir === "copy_to_user") c.copy_to_user_bytes += ev.bytes || 0;
        else c.copy_from_user_bytes += ev.bytes || 0;
        break;
      case "disk": {
        const n = ev.pages || 1;
        if (ev.op === "read") { c.disk_reads += n; if (ev.why === "swap") c.swap_ins += n; }
        else { c.disk_writes += n; if (ev.why === "swap") c.swap_outs += n; }
        break;
      }
      case "reclaim": c.pages_reclaimed += ev.pages || 0; break;
      case "pgtable": {
        const p = this.proc(ev);
        const shift = ev.level === "PUD" ? 39 : ev.level === "PMD" ? 30 : 21;
        const key = ev.level + ":" + Math.floor((ev.addr || 0) / 2 ** shift);
        if (ev.op === "alloc") { c.tables_alloc++; p.tables.set(key, ev.pfn || 0); }
        else { c.tables_freed++; if (!p.exiting) p.tables.delete(key); }
        break;
      }
      case "process":
        if (ev.op === "fork" && ev.child) {
          const parent = this.proc(ev);
          const child = this.proc({ pid: ev.child, engine: ev.engine });
          child.parent = parent.pid;
          // The child starts with the parent's areas; its own vma events
          // (why "fork") may follow and are applied on top.
          child.vmas = parent.vmas.map((v) => ({ ...v }));
          child.vmaVersion++;
        } else if (ev.op === "exit") {
          this.proc(ev).exited = true;
        }
        break;
      case "stdout": case "stderr": {
        const last = this.out[this.out.length - 1];
        if (last && last.stream === ev.type && last.pid === ev.pid && last.engine === (ev.engine || "")) last.text += ev.text;
        else this.out.push({ stream: ev.type, text: ev.text, pid: ev.pid, engine: ev.engine || "" });
        break;
      }
      case "error": this.errors.push(ev); break;
      case "signal": this.out.push({ stream: "signal", text: `${ev.signal}${ev.code ? " (" + ev.code + ")" : ""}${ev.addr ? " at 0x" + ev.addr.toString(16) : ""}\n`, pid: ev.pid, engine: ev.engine || "" }); break;
      case "checkpoint": this.checkpoints.push(ev); break;
      case "note": this.notes.push(ev); break;
      case "difference": this.diffs.push(ev); break;
      case "exit":
        this.exit = ev;
        this.exits.set(ev.engine || "", ev);
        // The engine's own count at its end (the real kernel's comes
        // from getrusage and perf, not from the events).
        // A run the server stopped (a limit) ends with zeros, not a count.
        if (ev.counters && Object.values(ev.counters).some((v) => v)) Object.assign(c, ev.counters);
        for (const p of this.procs.values()) if (!ev.engine || p.engine === ev.engine) p.exited = true;
        break;
    }
  }

  addVMA(p, v, why) {
    const i = p.vmas.findIndex((x) => x.start >= v.start);
    const nv = { ...v };
    if (i < 0) p.vmas.push(nv); else if (p.vmas[i].start === v.start) p.vmas[i] = nv; else p.vmas.splice(i, 0, nv);
    p.lastWhy.set(v.start, why);
    p.vmaVersion++;
    return nv;
  }

  onVMA(ev) {
    const p = this.proc(ev);
    if (ev.why === "exit") p.exiting = true;
    // Teardown at exit is not drawn: the views keep the last state the
    // program saw (the exit event carries the areas just before teardown).
    if (ev.why === "exit") return;
    const v = ev.vma;
    if (!v) return;
    if (ev.op === "add") {
      this.addVMA(p, v, ev.why);
      if (ev.why === "mmap" || ev.why === "mremap") this.lastMmap = { key: p.key, start: v.start };
    } else if (ev.op === "remove") {
      const i = p.vmas.findIndex((x) => x.start === v.start && x.end === v.end);
      const j = i >= 0 ? i : p.vmas.findIndex((x) => x.start === v.start);
      if (j >= 0) p.vmas.splice(j, 1);
      // munmap clears the PTEs with their own events; drop any we kept.
      p.vmaVersion++;
    } else { // change
      const o = ev.old || v;
      const i = p.vmas.findIndex((x) => x.start === o.start);
      if (i >= 0) p.vmas.splice(i, 1);
      this.addVMA(p, v, ev.why);
    }
    p.version++;
  }

  /** onPTE draws page-table entries as the engine says they are after
   * the event: each page of its range in the state it names, with the
   * event's bits and frames where it gives them. */
  onPTE(ev) {
    if (ev.why === "exit") return;
    const p = this.proc(ev);
    const n = ev.pages || 1;
    const base = Math.floor(ev.addr / PAGE);
    const bits = ev.bits ? bitsOf(ev.bits) : -1;
    // fork's entries are the parent's, copied.
    const from = ev.why === "fork" && ev.op === "set" && p.parent ? this.procs.get(ev.engine ? `${ev.engine}:${p.parent}` : String(p.parent)) : null;
    if (ev.op === "set") this.countersOf(ev.engine).ptes_set += n;
    for (let i = 0; i < n; i++) {
      const st = pageStateAt(ev, i);
      if (st === ST.none || st === ST.swapped) { p.setPage(base + i, st, 0, 0); continue; }
      const old = from ? from.page(base + i) : p.page(base + i);
      const pfn = ev.pfn ? ev.pfn + (st === ST.zero ? 0 : i) : old.pfn;
      p.setPage(base + i, st, bits >= 0 ? bits : old.bits, pfn);
      if (st === ST.zero && pfn) this.zeroPfn = pfn;
    }
    p.version++;
  }

  onFault(ev) {
    const ok = !ev.result || ev.result === "ok";
    if (!ok) return;
    const c = this.countersOf(ev.engine);
    if (ev.major) c.major_faults++; else c.minor_faults++;
    if (ev.kind === "cow") c.cow_faults++;
    if (ev.kind === "anon-zero-page") c.zero_page_maps++;
    // The faulting page as the engine left it; fault-around's neighbours
    // come in their own pte events.
    const p = this.proc(ev);
    const st = pageStateAt(ev, 0);
    if (st === ST.zero && ev.pfn) this.zeroPfn = ev.pfn;
    p.setPage(Math.floor(ev.addr / PAGE), st, bitsOf(ev.bits), ev.pfn || 0);
    c.ptes_set++;
    p.version++;
  }

  onCache(ev) {
    let f = this.files.get(ev.file);
    if (!f) { f = new Map(); this.files.set(ev.file, f); }
    if (ev.op === "evict" || ev.state === "evicted") f.delete(ev.index || 0);
    else {
      const cur = f.get(ev.index || 0) || {};
      f.set(ev.index || 0, { state: ev.state || cur.state || "clean", pfn: ev.pfn || cur.pfn || 0 });
    }
  }

  /** procList is the processes in a stable order: by engine, then pid. */
  procList() {
    return [...this.procs.values()].sort((a, b) => (a.engine < b.engine ? -1 : a.engine > b.engine ? 1 : a.pid - b.pid));
  }

  /** mappers finds the processes that map frame pfn (a scan; called on hover). */
  mappers(pfn) {
    if (!pfn) return [];
    const out = [];
    for (const p of this.procs.values()) {
      for (const [k, c] of p.chunks) {
        for (let i = 0; i < CHUNK; i++) {
          if (c.pfn[i] === pfn && c.st[i] !== 0) out.push({ pid: p.pid, engine: p.engine, addr: (k * CHUNK + i) * PAGE });
        }
      }
    }
    return out;
  }

  /** census counts, for each frame, the present pages that map it
   * (a typed array indexed by frame number: no sort, no Map). */
  census() {
    let max = 0;
    for (const p of this.procs.values()) {
      if (p.engine === "real") continue;
      for (const c of p.chunks.values()) for (let i = 0; i < CHUNK; i++) if (c.pfn[i] > max) max = c.pfn[i];
    }
    if (max > 1 << 26) return null; // frame numbers this large are not the model's
    const counts = new Uint32Array(max + 1);
    for (const p of this.procs.values()) {
      if (p.engine === "real") continue;
      for (const c of p.chunks.values()) {
        for (let i = 0; i < CHUNK; i++) if (c.pfn[i] && c.st[i] !== 0 && c.st[i] !== ST.swapped) counts[c.pfn[i]]++;
      }
    }
    return counts;
  }

  /** sharedFrames lists frames mapped more than once, across processes. */
  sharedFrames(limit = 200, counts = this.census()) {
    if (!counts) return [];
    const byPfn = new Map();
    for (const p of this.procs.values()) {
      if (p.engine === "real") continue;
      for (const [ci, c] of p.chunks) {
        for (let i = 0; i < CHUNK; i++) {
          const f = c.pfn[i];
          if (!f || counts[f] < 2 || c.st[i] === 0 || c.st[i] === ST.swapped) continue;
          let e = byPfn.get(f);
          if (!e) {
            if (byPfn.size >= limit) continue;
            e = { pfn: f, count: counts[f], maps: [] };
            byPfn.set(f, e);
          }
          if (e.maps.length < 8) e.maps.push({ pid: p.pid, addr: (ci * CHUNK + i) * PAGE, st: c.st[i] });
        }
      }
    }
    return [...byPfn.values()].sort((a, b) => b.count - a.count || a.pfn - b.pfn);
  }
}

/** build folds events[0..n) into a fresh model. */
export function build(events, n) {
  const m = new Model();
  for (let i = 0; i < n && i < events.length; i++) m.apply(events[i]);
  return m;
}

export const hex = (n) => "0x" + Math.floor(n).toString(16);

/** size formats a byte count: "4 KiB", "1 GiB". */
export function size(n) {
  const u = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let i = 0;
  while (n >= 1024 && i < u.length - 1 && n % 1024 === 0) { n /= 1024; i++; }
  if (n >= 1024 && i < u.length - 1) {
    while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
    return n.toFixed(1).replace(/\.0$/, "") + " " + u[i];
  }
  return n + " " + u[i];
}
