// moment.js: where the views rest after a run, and the timeline's jumps.
//
// A run ends with the kernel tearing the address space down (exit_mmap),
// and many programs munmap their mapping before they return: the last event
// shows an empty map. So after Run the views go back to the moment the
// lesson is about, or else to the last moment the program's own mappings
// (its mmap and mremap areas) existed, and the status says which.
//
// Pure functions of the events: node's test runner tests them
// (web/static/test/moment.test.js).

/** ownArea is an area the program made itself (not exec's, brk's, the stack). */
const ownArea = (ev) => ev.type === "vma" && ev.op === "add" && (ev.why === "mmap" || ev.why === "mremap") && ev.vma;

/** teardown reports whether ev is part of the kernel's exit teardown. */
export const teardown = (ev) => ev.why === "exit";

// Events that are a moment of their own (a step lands on them); the
// pte, pgtable, vma and frame events around them are parts of a call.
const MOMENT_TYPES = new Set(["syscall", "fault", "checkpoint", "stdout", "stderr", "signal", "exec", "process", "exit"]);

/** callStart is the index of the first event of the call event i is part
 * of: a removal's PTE clears come before its area's removal, which comes
 * before the munmap's syscall event. */
export function callStart(events, i) {
  let j = i;
  while (j > 0 && !MOMENT_TYPES.has(events[j - 1].type)) j--;
  return j;
}

/**
 * restMoment picks the event the views rest at after a run.
 * want, if given, is a predicate for the lesson's key moment.
 * It returns {index, why, ev}: why is "lesson", "before-unmap", "at-exit"
 * or "" (the last event); index is -1 when there is nothing to show.
 */
export function restMoment(events, want) {
  if (!events.length) return { index: -1, why: "" };
  if (want) {
    const i = events.findIndex((e) => e.line > 0 && want(e));
    const k = i >= 0 ? i : events.findIndex(want);
    if (k >= 0) return { index: k, why: "lesson", ev: events[k] };
  }
  const main = (events.find((e) => e.pid) || {}).pid;
  const live = new Map(); // start -> area, the program's own areas
  let lastGone = -1, goneVMA = null, exitAt = -1, merging = false;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.engine && e.engine !== "sim") continue;
    if (e.type === "syscall" && e.pid === main && (e.name === "exit_group" || e.name === "exit")) { exitAt = i; break; }
    if (teardown(e) && e.pid === main) { exitAt = i - 1; break; }
    if (e.pid !== main) continue;
    if (ownArea(e)) live.set(e.vma.start, e.vma);
    else if (e.type === "vma" && e.vma && live.size) {
      // munmap removes, mremap moves, a partial munmap or mprotect
      // splits: an area of the program's that changes stays its own.
      if (e.op === "remove" && live.has(e.vma.start)) {
        const v = live.get(e.vma.start);
        live.delete(e.vma.start);
        // Merged into the area before it (one the loader made, say): the
        // change that follows is the program's area now.
        if (e.why === "merge") merging = true;
        else if (!live.size) { lastGone = i; goneVMA = v; }
      } else if (e.op === "change" && e.old && (live.has(e.old.start) || (merging && e.why === "merge"))) {
        merging = false;
        live.delete(e.old.start);
        live.set(e.vma.start, e.vma);
      } else if (e.op === "add" && (e.why === "split" || e.why === "mprotect") && !e.vma.loader) {
        // (A piece that is wholly the loader's again is not the program's.)
        live.set(e.vma.start, e.vma);
      }
    }
  }
  if (exitAt < 0) exitAt = events.length - 1;
  if (live.size || lastGone < 0) {
    // The program's mappings lasted to its exit (or it made none): the
    // moment it called exit, before the kernel tore everything down.
    let k = exitAt;
    while (k > 0 && !MOMENT_TYPES.has(events[k].type)) k--;
    const ev = events[k];
    // The area the views show: the program's newest mapping still there.
    const vma = live.size ? [...live.values()].pop() : null;
    return { index: k, why: ev.type === "syscall" ? "at-exit" : ev.type === "signal" ? "at-signal" : "at-end", ev, vma, pid: main };
  }
  // Its last mapping went before the end: the moment before the calls that
  // removed it (munmap after munmap: before the first of them).
  let k = Math.max(0, callStart(events, lastGone) - 1);
  while (k > 0 && events[k].type === "syscall" && events[k].name === "munmap") k = Math.max(0, callStart(events, k) - 1);
  const removedBy = events.slice(lastGone).find((e) => e.type === "syscall");
  return { index: k, why: "before-unmap", ev: events[k], vma: goneVMA, removedBy, pid: main };
}

/** nextIndex finds the next (dir 1) or previous (dir -1) event from i that
 * passes pred; -1 when there is none. */
export function nextIndex(events, i, dir, pred) {
  for (let j = i + dir; j >= 0 && j < events.length; j += dir) if (pred(events[j])) return j;
  return -1;
}

/** Jumps of the timeline: what each "next" button and key looks for. */
export const JUMPS = {
  event: () => true,
  syscall: (e) => e.type === "syscall",
  fault: (e) => e.type === "fault",
  checkpoint: (e) => e.type === "checkpoint",
};

/**
 * findMoment finds the event a lesson's moment names (examples.Moment):
 * the Nth event that matches every field given. "in" is the file of the
 * area the event's address lies in at that moment ("anon" for an anonymous
 * mapping), so the areas are followed through the run. -1 when none.
 */
export function findMoment(events, m) {
  if (!m) return -1;
  const all = matchAll(events, m, (m.nth || 1));
  return all.length >= (m.nth || 1) ? all[(m.nth || 1) - 1] : -1;
}

/** matchAll lists the indexes of the events m matches (up to limit). */
export function matchAll(events, m, limit = Infinity) {
  const out = [];
  const areas = new Map(); // pid -> Map(start -> area)
  const areasOf = (pid) => { let a = areas.get(pid); if (!a) { a = new Map(); areas.set(pid, a); } return a; };
  let after = !m.after;
  for (let i = 0; i < events.length && out.length < limit; i++) {
    const e = events[i];
    if (e.type === "vma" && e.vma && e.why !== "exit") {
      const a = areasOf(e.pid);
      if (e.op === "remove") a.delete(e.vma.start);
      else {
        // Who made the area: a fork's copy or a split keeps its maker.
        const was = a.get(e.old ? e.old.start : e.vma.start) || a.get(e.vma.start);
        const made = was && ["fork", "split", "merge", "mprotect"].includes(e.why) ? was.made : e.why;
        if (e.old) a.delete(e.old.start);
        a.set(e.vma.start, { ...e.vma, made });
      }
    } else if (e.type === "process" && e.op === "fork" && e.child) {
      areas.set(e.child, new Map(areasOf(e.pid)));
    }
    if (!after) { if (e.type === "checkpoint" && e.label === m.after) after = true; continue; }
    if (momentMatches(e, m, areasOf(e.pid))) out.push(i);
  }
  return out;
}

/** areaName is how a moment names an area: its file, "anon" for an
 * anonymous mapping the program made (mmap, mremap), "" for the C
 * runtime's own anonymous areas. */
export const areaName = (v, made) => (v.file ? v.file : (made ?? v.made) === "mmap" || (made ?? v.made) === "mremap" ? "anon" : "");

function momentMatches(e, m, areas) {
  if (m.type && e.type !== m.type) return false;
  if (m.name && e.name !== m.name) return false;
  if (m.kind && e.kind !== m.kind) return false;
  if (m.errno && (m.errno === "ok" ? !!e.errno : e.errno !== m.errno)) return false;
  if (m.op && e.op !== m.op) return false;
  if (m.why && e.why !== m.why) return false;
  if (m.label && e.label !== m.label) return false;
  if (m.file && e.file !== m.file) return false;
  if (m.text && !(e.text || "").includes(m.text)) return false;
  if (m.line && e.line !== m.line) return false;
  if (m.in) {
    let v = e.vma ? areas.get(e.vma.start) || { ...e.vma, made: e.why } : null;
    if (!v && e.addr != null) for (const a of areas.values()) if (e.addr >= a.start && e.addr < a.end) { v = a; break; }
    if (!v || areaName(v) !== m.in) return false;
  }
  return true;
}
