// serverstate.js: the engine's word on the event on view, asked of the
// server: frames, page cache, the walk and the area's page states at an
// event (/state?seq=, /pages?seq=, a replay of the same program on the
// simulated engine), the pages while a session is paused, and the
// page-table walk of an address.

import { PAGE, hex } from "./model.js";
import { localWalk } from "./views.js";
import { $, S, P, ui } from "./state.js";
import { options } from "./run.js";
import { curIndex, viewModel } from "./timeline.js";
import { update, pickProc, pickVMA } from "./draw.js";

/** stateAtLater asks the server for the state at event i once the
 * timeline stops moving: frames, page cache and the walk are the engine's
 * at that event (a replay to it on the simulated engine), the same numbers
 * however the event was reached. */
let stateTimer = 0;

export function stateAtLater(r, i) {
  clearTimeout(stateTimer);
  stateTimer = setTimeout(() => stateAt(r, i), 150);
}

export async function stateAt(r, i) {
  const ev = r.events[i];
  // A replay costs the server a run up to the event: not for runs of
  // hundreds of thousands of events, whose frames the page estimates.
  if (!ev || !ev.seq || r !== S.run || r.engine !== "sim" || r.events.length > 50000) return;
  const key = ev.seq + ":" + (ui.walkAddr ?? "");
  r.states = r.states || new Map();
  let a = r.states.get(key);
  if (!a) {
    const id = await replaySession(r);
    if (!id || r !== S.run) return;
    const p = pickProc(viewModel());
    try {
      a = await P.client.state(id, { seq: ev.seq, addr: ui.walkAddr ?? undefined, pid: p && ui.walkAddr != null ? p.pid : undefined });
    } catch (e) { return; } // the page's own reading stands
    if (r.states.size > 200) r.states.clear();
    r.states.set(key, a);
  }
  if (r !== S.run || curIndex() !== i) return;
  ui.serverState = a.state || null;
  ui.serverSeq = ev.seq;
  if (a.walk) { ui.walk = a.walk; ui.walk.addr = ui.walkAddr; ui.walk.seq = ev.seq; }
  update();
  // The pages of the area on view, as the engine has them at the event:
  // what no event says (a frame another process stopped sharing is no
  // longer copy-on-write here).
  const m = viewModel(), p = pickProc(m), v = pickVMA(m, p);
  if (!p || !v || (v.end - v.start) / PAGE > 1 << 20) return;
  const pk = ev.seq + ":" + p.key + ":" + v.start + ":" + v.end;
  r.pagesAt = r.pagesAt || new Map();
  let pg = r.pagesAt.get(pk);
  if (!pg) {
    const id = await replaySession(r);
    try { pg = await P.client.pages(id, p.pid, v.start, v.end, ev.seq); } catch (e) { return; }
    if (r.pagesAt.size > 200) r.pagesAt.clear();
    r.pagesAt.set(pk, pg);
  }
  if (r !== S.run || curIndex() !== i) return;
  ui.enginePages = { seq: ev.seq, key: p.key, start: pg.start, states: atob(pg.states) };
  if (applyEnginePages(viewModel(), ev.seq)) update(true);
}

/** applyEnginePages writes the engine's page states for the area on view
 * into m, the model at event seq; it reports whether any page changed. */
export function applyEnginePages(m, seq) {
  const e = ui.enginePages;
  if (!e || e.seq !== seq || m.enginePagesAt === seq) return false;
  m.enginePagesAt = seq;
  const p = m.procs.get(e.key);
  if (!p) return false;
  const base = Math.floor(e.start / PAGE);
  let changed = false;
  for (let k = 0; k < e.states.length; k++) {
    const st = e.states.charCodeAt(k), pg = p.page(base + k);
    if (pg.st !== st) { p.setPage(base + k, st, st ? pg.bits : 0, st ? pg.pfn : 0); changed = true; }
  }
  if (changed) p.version++;
  return changed;
}

/** replaySession is a session whose run is this run's request, for
 * /state?seq=N: the stepping session itself, or, for a run streamed with
 * POST /run, a session given the same program once. */
export async function replaySession(r) {
  if (r.mode === "session" && r.session) return r.session.id;
  if (!r.replay) {
    // Its own session, so that it never replaces a run being stepped.
    r.replay = (async () => {
      const key = JSON.stringify([r.engine, r.model.ram, options().fault_around]);
      if (!S.replaySess || S.replaySess.key !== key) {
        if (S.replaySess) P.client.deleteSession(S.replaySess.id);
        const s = await P.client.createSession(r.engine, options());
        S.replaySess = { id: s.id, key };
      }
      await P.client.run(S.replaySess.id, { ...r.reqBody });
      return S.replaySess.id;
    })().catch(() => { S.replaySess = null; return null; });
  }
  return r.replay;
}

/** syncPages takes the page states of the area on view from the server
 * while the program is paused there: the engine's word over the page's
 * reading of the events. */
export async function syncPages(r) {
  if (r.mode !== "session" || !r.session || r.done) return;
  // Wait for the websocket to deliver the events up to the pause.
  for (let k = 0; k < 50 && r.lastSeq < r.pausedSeq; k++) await new Promise((res) => setTimeout(res, 20));
  const m = r.model, p = pickProc(m), v = pickVMA(m, p);
  if (!p || !v || p.engine === "real" || (v.end - v.start) / PAGE > 1 << 20) return;
  try {
    const a = await P.client.pages(r.session.id, p.pid, v.start, v.end);
    if (r !== S.run || !a || !a.states || r.status !== "paused") return;
    const bin = atob(a.states);
    const base = Math.floor(a.start / PAGE);
    for (let i = 0; i < bin.length; i++) {
      const st = bin.charCodeAt(i), pg = p.page(base + i);
      if (pg.st !== st) p.setPage(base + i, st, pg.bits, pg.pfn);
    }
    p.version++;
    update();
  } catch (e) { /* the page's own model stands */ }
}

export async function fetchState() {
  const r = S.run;
  if (r.mode !== "session" || !r.session) return;
  try { const a = await P.client.state(r.session.id); ui.serverState = a && a.state ? a.state : a; ui.serverSeq = a && a.seq; update(); } catch (e) { /* none */ }
}

export function mergeWalk(m, p, addr, server) {
  const local = localWalk(m, p, addr);
  const ev = S.run.events[curIndex()];
  if (!server || server.addr !== addr || (ui.viewIndex >= 0 && (!ev || server.seq !== ev.seq))) return local;
  // The server's walk fills in what the events did not say; entries are
  // taken from the page's own model where it has them (a 64-bit entry with
  // NX set does not survive JSON's numbers).
  const levels = local.levels.map((l) => {
    const s = (server.levels || []).find((x) => x.level === l.level);
    return l.entry != null || !s ? l : { ...s, entry: s.entry != null ? pteHex(s.entry) : null };
  });
  return { ...local, levels, note: server.note || "", vma: local.vma || server.vma };
}

export const pteHex = (n) => "0x" + Math.floor(n).toString(16).padStart(16, "0");

export async function walkTo(addr, quiet) {
  if (addr == null) return;
  ui.walkAddr = addr;
  ui.walk = null;
  $("walk-addr").value = hex(addr);
  update();
  const r = S.run;
  if (r.mode === "session" && r.session && !r.done) {
    const p = pickProc(viewModel());
    try {
      const st = await P.client.state(r.session.id, { addr, pid: p ? p.pid : undefined });
      ui.walk = st && (st.walk || (st.levels ? st : null));
      if (ui.walk) ui.walk.addr = addr;
      update();
    } catch (e) { /* the local walk stands */ }
  }
  if (!quiet) $("page-walk").scrollIntoView({ block: "nearest" });
}
