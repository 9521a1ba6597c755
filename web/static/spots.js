// spots.js: a lesson's notice, clicked: the views go to the moment it
// names (its predicate, its checkpoint, or the first event it points at),
// its tab shows, its events and counters are marked, and the area it means
// is on the page map.

import { PAGE, build } from "./model.js";
import { eventMatcher } from "./lessons.js";
import { findMoment } from "./moment.js";
import { S, P, ui } from "./state.js";
import { showAt } from "./timeline.js";

export function spot(n) {
  const match = n ? eventMatcher(n) : null;
  const tab = n && { "page-walk": "walk", "page-cache": "frames", counters: "counters" }[n.view];
  if (tab) P.tabs.show(tab);
  P.eventLog.setSpot(match);
  for (const e of document.querySelectorAll(".counters .spot-el")) e.classList.remove("spot-el");
  if (n && n.counters) for (const c of n.counters) { const e = document.querySelector(`[data-counter="${c}"]`); if (e) e.classList.add("spot-el"); }
  if (!n || !S.run.events.length) return;
  // Take the views to the moment the notice is about: its checkpoint, or
  // the first event it points at; for the page map or the walk without
  // one, the last fault in a mapping the program made (what it touched).
  const ev = S.run.events;
  let i = -1;
  // The event the notice names; older lessons' hints below.
  if (n.at) i = findMoment(ev, n.at);
  if (i < 0 && n.checkpoint) i = ev.findIndex((e) => e.type === "checkpoint" && e.label === n.checkpoint);
  // The program's own statements (events with a source line) before what
  // exec and the C runtime did for it.
  if (i < 0 && match) i = ev.findIndex((e) => e.line > 0 && match(e));
  if (i < 0 && match) i = ev.findIndex(match);
  if (i < 0 && !n.at && (n.view === "page-map" || n.view === "page-walk")) {
    const mm = [];
    for (const e of ev) if (e.type === "vma" && e.op === "add" && (e.why === "mmap" || e.why === "mremap") && e.vma) mm.push(e.vma);
    for (let k = ev.length - 1; k >= 0; k--) {
      const e = ev[k];
      if (e.type === "fault" && (!e.result || e.result === "ok") && mm.some((v) => e.addr >= v.start && e.addr < v.end)) { i = k; break; }
    }
  }
  if (n.view === "stdout" || i < 0) return;
  const e = ev[i];
  if (e.addr && (e.type === "fault" || e.type === "pte" || e.type === "signal")) {
    ui.procKey = e.engine ? `${e.engine}:${e.pid}` : String(e.pid || 1);
    ui.vmaStart = e.addr - (e.addr % PAGE);
    ui.vmaUser = true;
  } else if (e.type === "vma" && e.vma) {
    ui.procKey = e.engine ? `${e.engine}:${e.pid}` : String(e.pid || 1);
    ui.vmaStart = e.vma.start;
    ui.vmaUser = true;
  }
  if (n.at && n.at.show) showArea(e, n.at.show);
  showAt(i);
  P.eventLog.scrollTo(i);
}

/** showArea puts the area a moment names (its file, or "anon") of ev's
 * process on the page map. */
export function showArea(ev, name) {
  const m = build(S.run.events, S.run.events.indexOf(ev) + 1);
  const p = m.procs.get(ev.engine ? `${ev.engine}:${ev.pid}` : String(ev.pid || 1));
  // The program's own mapping: made by mmap, not the C runtime's.
  const made = (x) => { for (const e of S.run.events) if (e.type === "vma" && e.op === "add" && e.vma && e.vma.start === x.start && (e.why === "mmap" || e.why === "mremap")) return e.why; return ""; };
  const v = p && p.vmas.find((x) => (x.file ? x.file === name : name === "anon" && made(x)));
  if (!v) return;
  ui.procKey = p.key;
  ui.vmaStart = v.start;
  ui.vmaUser = true;
}
