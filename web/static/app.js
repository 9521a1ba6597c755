// app.js: the page's entry point. It wires the editor, the controls, the
// views and the lessons to a run's events.
//
// A run's events are kept in order in `run.events` and folded into
// `run.model` as they arrive; the views draw the model on the next
// animation frame. Clicking an event (or stepping back) shows a model
// rebuilt from the events up to it.

import * as i18n from "./i18n.js";
import { t } from "./i18n.js";
import { Client } from "./api.js";
import { ResumingClient } from "./resume.js";
import { Model, PAGE, PAGE_STATES, build, hex } from "./model.js";
import { Editor } from "./editor.js";
import { PageMap } from "./pagemap.js";
import { EventLog, detail, escapeHTML } from "./eventlog.js";
import { VMAView, renderCounters, renderLegend, renderAreaLegend, renderWalk, renderFrames, localWalk } from "./views.js";
import { Lessons, eventMatcher } from "./lessons.js";
import { restMoment, nextIndex, JUMPS, findMoment, areaName } from "./moment.js";
import { where } from "./words.js";
import { splitters, Tabs } from "./layout.js";
import { pack, unpack, srcText, copyText } from "./link.js";
import { unmatched, lines, renderColumn } from "./sidebyside.js";
import { refusals, limitTable, sayRefusal } from "./limits.js";

const $ = (id) => document.getElementById(id);
const body = document.body;
const isEmbed = body.classList.contains("embed");
const params = new URLSearchParams(location.search);
// A session survives its server's restart or a move to another replica
// (resume.js); a real-engine run that cannot move is said plainly.
const client = new ResumingClient(body.dataset.api, { onLost: (msg) => setStatus(msg, true) });

// ------------------------------------------------------------ the pieces

const editor = new Editor({ textarea: $("source"), pre: $("highlight"), gutter: $("gutter"), diagnostics: $("diagnostics"), onRun: () => runFree(), onLeave: () => $("run").focus() });
// A program pasted over the whole editor is the student's own, not the
// example's: its name and files go.
$("source").addEventListener("paste", () => {
  const ta = $("source");
  if (ta.selectionStart === 0 && ta.selectionEnd === ta.value.length && ui.example) {
    ui.example = null;
    $("file-name").textContent = "prog.c";
    showFrom();
    const sel = $("example-select");
    if (sel) sel.value = "";
  }
});

const pagemap = new PageMap({
  canvas: $("page-map"), wrap: $("pm-wrap"), card: $("hover-card"), zoomLabel: $("zoom-level"),
  onPick: (addr) => walkTo(addr),
  onHover: (pfn) => {
    const m = viewModel();
    return pfn ? m.mappers(pfn).slice(0, 6) : [];
  },
});
const eventLog = new EventLog({ el: $("event-log"), spacer: $("ev-spacer"), filters: $("ev-filters"), count: $("ev-count"), onSelect: (i) => showAt(i) });
const vmaView = new VMAView({
  list: $("vma-list"), scale: $("vma-scale"), tabs: $("proc-tabs"),
  onSelect: (v) => { ui.vmaStart = v.start; ui.vmaUser = true; update(true); },
  onSelectProc: (key) => { ui.procKey = key; ui.vmaStart = null; ui.vmaUser = false; update(true); },
});

const otherView = new VMAView({ list: $("vma-list-other"), scale: null, tabs: null, onSelect: (v) => { ui.procKey = counterpart(viewModel(), pickProc(viewModel()))?.key || ui.procKey; ui.vmaStart = v.start; ui.vmaUser = true; update(true); }, onSelectProc: () => {} });

const limitsTable = limitTable(document);

let lessonsData = [];
try { lessonsData = JSON.parse($("lessons-data").textContent) || []; } catch (e) { lessonsData = []; }
const lessons = new Lessons({
  lessons: lessonsData, panel: $("lesson"), select: $("lesson-select"), title: $("lesson-title"), num: $("lesson-num"),
  text: $("lesson-text"), notices: $("lesson-notice"), prev: $("lesson-prev"), next: $("lesson-next"), close: $("lesson-close"),
  onOpen: (l) => { document.querySelector('[data-split="lesson"]').hidden = !l; if (l) { loadExample(l.example, { keepLesson: true }); setURL({ lesson: l.id, example: null, src: null }); } else setURL({ lesson: null }); },
  onSpot: (n) => spot(n),
});

// -------------------------------------------------------------- the state

const ui = {
  procKey: null, // the process whose areas are shown
  vmaStart: null, // the area the page map shows
  vmaUser: false, // chosen by the user (else the newest mapping)
  viewIndex: -1, // the event the views show (-1: the latest)
  walkAddr: null,
  example: null, // the example the editor holds, for its files and args
  serverState: null,
};

/** Run is one run of the program: its events, its model and how it runs. */
class Run {
  constructor(mode) {
    this.mode = mode; // "stream" or "session"
    this.engine = $("engine").value;
    this.events = [];
    this.model = new Model();
    this.model.ram = options().ram;
    this.queue = [];
    this.qhead = 0;
    this.paused = false;
    this.stepUntil = null;
    this.done = false;
    this.abort = new AbortController();
    this.wake = null; // resolves the stream's gate
    this.drained = null;
    this.session = null;
    this.sock = null;
    this.status = "running";
    this.dropped = 0;
    this.lastSeq = 0;
    this.gap = null;
    this.logged = 0;
  }
}
let run = new Run("stream");
let session = null; // {id, engine, key}
let renderedVMAVersion = -1, renderedProcKey = null, renderedOut = -1, renderedModel = null, renderedOtherVersion = -1;

/** counterpart is p's process on the other engine of a run on both: the
 * one in the same place in that engine's process list. */
function counterpart(m, p) {
  if (!p || !p.engine) return null;
  const mine = m.procList().filter((x) => x.engine === p.engine);
  const theirs = m.procList().filter((x) => x.engine && x.engine !== p.engine);
  return theirs[mine.indexOf(p)] || null;
}

// The measurements the browser tests read.
const perf = (window.__playground = { exitAt: 0, drawnAt: 0, events: 0, draws: 0, runs: 0 });

// ---------------------------------------------------------------- running

function request() {
  const ex = ui.example;
  return {
    name: ex ? ex.name + ".c" : "prog.c",
    source: editor.value,
    args: ex && ex.args ? ex.args : [],
    files: ex && ex.files ? ex.files : {},
    // On the page stdout is a terminal, as in the tutorial's shell: lines
    // appear as they are printed (the CLI's --json keeps a pipe's buffer).
    terminal: true,
  };
}

function options() {
  return { ram: +$("ram").value * 1024 * 1024, fault_around: +$("fault-around").value };
}

function engineName() { return $("engine").value; }

function resetViews() {
  perf.exitAt = 0; perf.drawnAt = 0; perf.events = 0;
  editor.setDiagnostics([]);
  editor.setCrash(null);
  editor.setLine(0);
  ui.viewIndex = -1;
  ui.rest = null;
  ui.serverState = null;
  ui.procKey = null;
  if (!ui.vmaUser) ui.vmaStart = null;
  renderedVMAVersion = -1; renderedOut = -1; renderedModel = null;
  eventLog.reset();
  eventLog.setEvents(run.events);
  $("ev-detail").textContent = "";
  $("exit-status").textContent = "";
  $("exit-status").className = "exit";
  update(true);
}

function stopRun() {
  const r = run;
  r.done = true;
  r.abort.abort();
  if (r.wake) r.wake();
  if (r.sock) { try { r.sock.close(); } catch (e) { /* closed */ } }
}

/** runFree runs the program to the end, streaming its events. */
async function runFree() {
  if (run.mode === "session" && !run.done && run.status === "paused") return cont();
  if (run.mode === "stream" && !run.done && run.paused) return cont();
  stopRun();
  run = new Run("stream");
  perf.runs++;
  ui.vmaUser = false;
  resetViews();
  const r = run;
  perf.startAt = performance.now();
  setStatus(t("running"));
  buttons();
  const reqBody = { engine: engineName(), options: options(), ...request() };
  r.reqBody = request();
  try {
    // A pause stops applying events, not reading them: the run on the
    // server finishes within its time limit while the student looks, and
    // its events wait in the page's queue for the steps.
    await client.stream(reqBody, (evs) => receive(r, evs), { signal: r.abort.signal });
    // The stream has ended; events may still wait for a step.
    if (r === run) {
      r.streamEnded = true;
      if (r.qhead >= r.queue.length) { r.done = true; buttons(); update(true); }
    }
  } catch (e) {
    if (r === run && !r.abort.signal.aborted) { setStatus(failure(e), true); r.done = true; buttons(); }
  }
}

/** startStepping starts the program paused on the server, in a session. */
async function startStepping(until) {
  stopRun();
  run = new Run("session");
  perf.runs++;
  ui.vmaUser = false;
  resetViews();
  const r = run;
  setStatus(t("connecting"));
  buttons();
  try {
    const s = await ensureSession();
    r.session = s;
    r.sock = await client.ws(s.id, (msgs) => receive(r, msgs), () => {});
    r.req = { engine: r.engine, options: options(), ...request() };
    r.lastSeq = 0;
    const st = await client.run(s.id, { ...request(), paused: true });
    r.status = st && st.state ? st.state : "paused";
    await stepSession(until);
  } catch (e) {
    if (r === run) { setStatus(failure(e), true); r.done = true; buttons(); }
  }
}

async function ensureSession() {
  const key = JSON.stringify([engineName(), options()]);
  if (session && session.key === key) {
    try { await client.req("GET", "/sessions/" + session.id); return session; } catch (e) { session = null; }
  }
  if (session) client.deleteSession(session.id);
  const s = await client.createSession(engineName(), options());
  session = { id: s.id, key };
  return session;
}

async function stepSession(until) {
  const r = run;
  setStatus(t("running"));
  const st = await client.step(r.session.id, until);
  sessionStatus(r, st);
}

function sessionStatus(r, st) {
  if (!st || r !== run) return;
  r.status = st.state;
  if (st.state === "exited") r.done = true;
  // Events reach the websocket a moment after the call answers: the views
  // follow the stream; the status line says where the program stopped.
  if (st.state === "paused") {
    r.pausedSeq = st.seq;
    setStatus(t("paused", { seq: st.seq }));
    syncPages(r);
  }
  buttons();
  update();
}

/** receive takes messages from the stream or the websocket. */
function receive(r, msgs) {
  if (r !== run || r.done && r.mode === "stream" && r.exited) return;
  for (let i = 0; i < msgs.length; i++) {
    const ev = msgs[i];
    if (r.gap) {
      // Waiting for missed events: hold what comes after them.
      if (r.gap.to == null && ev.seq) { r.gap.to = ev.seq - 1; fillGap(r); }
      r.gap.held.push(ev);
      continue;
    }
    if (ev.type === "exit" && !perf.exitAt) perf.exitAt = performance.now();
    if (ev.type === "dropped") {
      r.dropped += ev.count || 0;
      // The websocket fell behind and the server skipped events. The
      // simulated engine is deterministic: the same run, streamed again
      // without loss, has them.
      if (r.mode === "session" && r.engine === "sim" && r.req) r.gap = { from: r.lastSeq + 1, to: null, held: [] };
      continue;
    }
    if (ev.type === "state") { ui.serverState = ev.state || ev; ui.serverSeq = ev.seq; continue; }
    if (ev.seq) r.lastSeq = ev.seq;
    r.queue.push(ev);
  }
  pump(r);
  if (r.mode === "stream" && r.queue.length - r.qhead > 200000) {
    // Hold the stream until the page has caught up (the program waits too).
    return new Promise((res) => { r.drained = res; });
  }
}

/** fillGap streams the session's run again and takes the missed events. */
async function fillGap(r) {
  const g = r.gap;
  const abort = new AbortController();
  setStatus(t("missed", { n: (g.to - g.from + 1).toLocaleString() }) + " …");
  try {
    await client.stream(r.req, (evs) => {
      for (const ev of evs) {
        if (ev.seq < g.from) continue;
        if (ev.seq > g.to) { abort.abort(); break; }
        r.queue.push(ev);
        r.lastSeq = ev.seq;
      }
      pump(r);
    }, { signal: abort.signal });
  } catch (e) { /* aborted once past the gap */ }
  if (r !== run) return;
  r.dropped -= Math.max(0, r.lastSeq - g.from + 1);
  r.gap = null;
  receive(r, g.held);
}

/** pump applies queued events, stopping where a step or a pause says. */
function pump(r) {
  const t0 = performance.now();
  try { pumpEvents(r); } finally { perf.applyMs = (perf.applyMs || 0) + performance.now() - t0; }
}

function pumpEvents(r) {
  const q = r.queue;
  let applied = 0;
  while (r.qhead < q.length && !(r.mode === "stream" && r.paused)) {
    const ev = q[r.qhead++];
    applied++;
    if (ev.seq && r.events.length && ev.seq <= r.events[r.events.length - 1].seq) {
      // A replay restarted the stream (step back on the server): drop what
      // it will send again.
      let n = r.events.length;
      while (n > 0 && r.events[n - 1].seq >= ev.seq) n--;
      r.events.length = n;
      r.model = Object.assign(build(r.events, n), { ram: r.model.ram });
      eventLog.truncated();
      renderedModel = null;
    }
    r.events.push(ev);
    r.model.apply(ev);
    if (ev.type === "exit") {
      r.exits = (r.exits || 0) + 1;
      // A run on both engines ends with each engine's exit.
      if (!ev.engine || r.engine !== "both" || r.exits >= 2) {
        r.exited = true;
        if (r.mode === "session") { r.status = "exited"; r.done = true; buttons(); }
      }
    }
    if (r.mode === "stream" && r.stepUntil && (r.stepUntil === "event" || ev.type === r.stepUntil)) {
      r.stepUntil = null;
      r.paused = true;
      setStatus(t("paused", { seq: ev.seq }));
    }
  }
  if (r.qhead > 100000 && r.qhead * 2 > q.length) { r.queue = q.slice(r.qhead); r.qhead = 0; }
  if (r.qhead >= r.queue.length && r.drained) { const d = r.drained; r.drained = null; d(); }
  if (r.streamEnded && r.qhead >= r.queue.length && !r.done) { r.done = true; buttons(); update(true); }
  perf.events = r.events.length;
  if (applied) update();
}

// -------------------------------------------------------------- controls

async function pause() {
  const r = run;
  if (r.done) return;
  if (r.mode === "stream") { r.paused = true; setStatus(t("paused", { seq: r.model.seq })); buttons(); update(); return; }
  try { sessionStatus(r, await client.pause(r.session.id)); } catch (e) { setStatus(e.message, true); }
}

async function cont() {
  const r = run;
  ui.viewIndex = -1;
  if (r.done && r.exited) { update(true); return; }
  if (r.mode === "stream") {
    r.paused = false; r.stepUntil = null;
    setStatus(t("running"));
    pump(r);
    if (r.wake) { const w = r.wake; r.wake = null; w(); }
    buttons();
    return;
  }
  try {
    setStatus(t("running"));
    r.status = "running"; buttons();
    sessionStatus(r, await client.cont(r.session.id));
  } catch (e) { setStatus(e.message, true); }
}

async function step(until, dir = 1) {
  const r = run;
  if (r.events.length) {
    // Through what has happened first; the program itself steps only from
    // its latest event.
    const cur = curIndex();
    const j = nextIndex(r.events, cur, dir, JUMPS[until]);
    const atLatest = ui.viewIndex < 0 || ui.viewIndex === r.events.length - 1;
    if (j >= 0 && (!atLatest || dir < 0 || r.done)) { showAt(j); return; }
    if (dir < 0 || r.done) { setStatus(t(dir < 0 ? "no-earlier" : "no-later", { what: t("what-" + until) })); return; }
  } else if (r.done) {
    return startStepping(until);
  }
  ui.viewIndex = -1;
  if (r.mode === "stream") {
    r.stepUntil = until;
    r.paused = false;
    pump(r);
    if (!r.paused && r.wake) { const w = r.wake; r.wake = null; w(); }
    buttons();
    return;
  }
  try { await stepSession(until); } catch (e) { setStatus(e.message, true); }
}

/** curIndex is the event on view: the chosen one, or the latest. */
function curIndex() { return ui.viewIndex >= 0 ? ui.viewIndex : run.events.length - 1; }

/** goTo shows event i of the timeline (clamped). */
function goTo(i) {
  const n = run.events.length;
  if (!n) return;
  showAt(Math.max(0, Math.min(n - 1, i)));
}

/** back steps back to the previous system call or fault. */
async function back() {
  const r = run;
  const cur = ui.viewIndex >= 0 ? ui.viewIndex : r.events.length - 1;
  let i = cur - 1;
  while (i > 0 && r.events[i].type !== "syscall" && r.events[i].type !== "fault") i--;
  if (i < 0) return;
  if (r.mode === "session" && !r.done && engineName() === "sim") {
    try {
      const seq = r.events[i].seq;
      setStatus(t("running"));
      const st = await client.back(r.session.id, seq);
      // The server replays quietly to seq and pauses there; the page drops
      // what came after.
      r.events.length = i + 1;
      r.lastSeq = seq;
      r.model = Object.assign(build(r.events, i + 1), { ram: r.model.ram });
      renderedModel = null;
      eventLog.truncated();
      sessionStatus(r, st);
      update(true);
      return;
    } catch (e) { setStatus(e.message, true); return; }
  }
  showAt(i);
}

function reset() {
  stopRun();
  run = new Run("stream");
  run.done = true;
  ui.vmaUser = false;
  resetViews();
  setStatus(t("ready"));
  buttons();
}

function buttons() {
  const r = run;
  const live = !r.done;
  const paused = live && (r.mode === "stream" ? r.paused : r.status === "paused");
  $("pause").disabled = !live || paused;
  $("continue").disabled = !(paused || ui.viewIndex >= 0);
  $("back").disabled = r.events.length < 2;
  const moving = live && !paused;
  for (const id of ["step-syscall", "step-fault", "step-checkpoint"]) $(id).disabled = moving;
  const n = r.events.length, cur = curIndex();
  $("tl-first").disabled = $("tl-prev").disabled = moving || n < 2 || cur <= 0;
  $("tl-next").disabled = $("tl-last").disabled = moving || n < 2 || cur >= n - 1;
  $("run").classList.toggle("running", live && !paused);
}

/** failure says why a request failed: the server's reason, or that it did
 * not answer. */
function failure(e) {
  return e && e.status ? t("run-failed", { msg: e.message }) : t("no-server", { msg: e && e.message });
}

function setStatus(s, err) {
  const el = $("status");
  el.textContent = s;
  el.classList.toggle("err", !!err);
}

// ------------------------------------------------------------ time travel

function viewModel() {
  if (ui.viewIndex < 0) return run.model;
  if (!renderedModel || renderedModel.seqIndex !== ui.viewIndex) {
    renderedModel = build(run.events, ui.viewIndex + 1);
    renderedModel.ram = run.model.ram;
    renderedModel.seqIndex = ui.viewIndex;
  }
  const ev = run.events[ui.viewIndex];
  if (ev) applyEnginePages(renderedModel, ev.seq);
  return renderedModel;
}

/** showAt shows the state at event index i. */
async function showAt(i) {
  const ev = run.events[i];
  if (!ev) return;
  ui.viewIndex = i === run.events.length - 1 && !run.exited ? -1 : i;
  eventLog.sel = i;
  eventLog.request(true);
  eventLog.scrollTo(i);
  $("ev-detail").innerHTML = detail(ev) + (ui.viewIndex >= 0 ? ` · <a href="#" id="live-link">${t("back-live")}</a>` : "");
  const live = $("live-link");
  if (live) live.onclick = (e) => { e.preventDefault(); ui.viewIndex = -1; eventLog.sel = -1; $("ev-detail").textContent = ""; update(true); buttons(); };
  if (ev.line) editor.setLine(ev.line);
  if ((ev.type === "fault" || ev.type === "pte" || ev.type === "signal") && ev.addr) walkTo(ev.addr - (ev.addr % 1), true);
  else {
    // A moment without an address: the walk of the last page the program
    // touched in the area on view.
    const m = viewModel(), p = pickProc(m), v = pickVMA(m, p);
    if (v && !(ui.walkAddr >= v.start && ui.walkAddr < v.end)) {
      for (let k = ui.viewIndex; k >= 0; k--) {
        const e = run.events[k];
        if (e.type === "fault" && (!e.result || e.result === "ok") && e.addr >= v.start && e.addr < v.end) { walkTo(e.addr, true); break; }
      }
    }
  }
  update(true);
  buttons();
  stateAtLater(run, i);
}

// ------------------------------------------------ the server's state at N

/** stateAtLater asks the server for the state at event i once the
 * timeline stops moving: frames, page cache and the walk are the engine's
 * at that event (a replay to it on the simulated engine), the same numbers
 * however the event was reached. */
let stateTimer = 0;
function stateAtLater(r, i) {
  clearTimeout(stateTimer);
  stateTimer = setTimeout(() => stateAt(r, i), 150);
}

async function stateAt(r, i) {
  const ev = r.events[i];
  // A replay costs the server a run up to the event: not for runs of
  // hundreds of thousands of events, whose frames the page estimates.
  if (!ev || !ev.seq || r !== run || r.engine !== "sim" || r.events.length > 50000) return;
  const key = ev.seq + ":" + (ui.walkAddr ?? "");
  r.states = r.states || new Map();
  let a = r.states.get(key);
  if (!a) {
    const id = await replaySession(r);
    if (!id || r !== run) return;
    const p = pickProc(viewModel());
    try {
      a = await client.state(id, { seq: ev.seq, addr: ui.walkAddr ?? undefined, pid: p && ui.walkAddr != null ? p.pid : undefined });
    } catch (e) { return; } // the page's own reading stands
    if (r.states.size > 200) r.states.clear();
    r.states.set(key, a);
  }
  if (r !== run || curIndex() !== i) return;
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
    try { pg = await client.pages(id, p.pid, v.start, v.end, ev.seq); } catch (e) { return; }
    if (r.pagesAt.size > 200) r.pagesAt.clear();
    r.pagesAt.set(pk, pg);
  }
  if (r !== run || curIndex() !== i) return;
  ui.enginePages = { seq: ev.seq, key: p.key, start: pg.start, states: atob(pg.states) };
  if (applyEnginePages(viewModel(), ev.seq)) update(true);
}

/** applyEnginePages writes the engine's page states for the area on view
 * into m, the model at event seq; it reports whether any page changed. */
function applyEnginePages(m, seq) {
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
async function replaySession(r) {
  if (r.mode === "session" && r.session) return r.session.id;
  if (!r.replay) {
    // Its own session, so that it never replaces a run being stepped.
    r.replay = (async () => {
      const key = JSON.stringify([r.engine, r.model.ram, options().fault_around]);
      if (!replaySess || replaySess.key !== key) {
        if (replaySess) client.deleteSession(replaySess.id);
        const s = await client.createSession(r.engine, options());
        replaySess = { id: s.id, key };
      }
      await client.run(replaySess.id, { ...r.reqBody });
      return replaySess.id;
    })().catch(() => { replaySess = null; return null; });
  }
  return r.replay;
}
let replaySess = null; // {id, key}

// ----------------------------------------------------------------- views

let frame = 0, needFull = false, framesAt = 0, legendAt = 0;

function paused0(r) { return r.mode === "stream" ? r.paused : r.status === "paused"; }

/** update redraws the views on the next animation frame. */
function update(full) {
  if (full) needFull = true;
  if (frame) return;
  // While events pour in, the views are redrawn ten times a second: enough
  // to watch, and the browser's time goes to taking the events in.
  const r = run;
  const streaming = !r.done && !paused0(r) && r.events.length > 5000;
  const wait = streaming ? Math.max(0, lastDraw + 100 - performance.now()) : 0;
  frame = -1;
  const go = () => requestAnimationFrame(() => {
    frame = 0; const f = needFull; needFull = false;
    const t0 = performance.now();
    lastDraw = t0;
    draw(f);
    perf.viewsMs = (perf.viewsMs || 0) + performance.now() - t0;
    perf.parseMs = Client.parseMs;
  });
  if (wait > 0) setTimeout(go, wait); else go();
}

let lastDraw = 0;

function pickProc(m) {
  const procs = m.procList();
  if (!procs.length) return null;
  let p = ui.procKey ? m.procs.get(ui.procKey) : null;
  if (!p) {
    // The first process of the simulated engine by default.
    p = procs.find((x) => x.engine === "" || x.engine === "sim") || procs[0];
  }
  return p;
}

function pickVMA(m, p) {
  if (!p || !p.vmas.length) return null;
  if (ui.vmaStart != null) {
    const v = p.vmas.find((x) => x.start === ui.vmaStart) || p.vmaAt(ui.vmaStart);
    if (v) return v;
  }
  if (m.lastMmap && m.lastMmap.key === p.key) {
    const v = p.vmaAt(m.lastMmap.start);
    if (v) return v;
  }
  // The largest of the program's own areas: not the stack, nor the C
  // library's, its loader's or the vDSO's.
  const lib = (v) => v.file === "[stack]" || v.file === "[vvar]" || v.file === "[vdso]" || /\.so(\.|$)|^\/(usr\/)?lib/.test(v.file || "");
  let best = null;
  for (const v of p.vmas) if (!lib(v) && (!best || v.end - v.start > best.end - best.start)) best = v;
  return best || p.vmas[0];
}

function draw(full) {
  const r = run;
  const m = viewModel();
  const p = pickProc(m);
  const v = pickVMA(m, p);
  const procKey = p ? p.key : null;

  // Address space; on both engines, the same process on the other engine
  // beside it, with the areas that differ marked.
  const other = counterpart(m, p);
  const otherVersion = other ? other.vmaVersion : -1;
  if (full || !p || procKey !== renderedProcKey || p.vmaVersion !== renderedVMAVersion || otherVersion !== renderedOtherVersion || m !== renderedModel && ui.viewIndex >= 0) {
    vmaView.render(m, p, v ? v.start : null, !full && ui.viewIndex < 0, other);
    $("vma-other").hidden = !other;
    $("vma-engine-a").hidden = !other;
    if (other) {
      $("vma-engine-a").textContent = `${t("engine-name-" + p.engine)} · pid ${p.pid}`;
      $("vma-engine-b").textContent = `${t("engine-name-" + other.engine)} · pid ${other.pid}`;
      otherView.render(m, other, null, false, p);
    }
    renderedProcKey = procKey;
    renderedVMAVersion = p ? p.vmaVersion : -1;
    renderedOtherVersion = otherVersion;
  }

  // Page map.
  if (pagemap.proc !== p || pagemap.vma !== v || full) {
    pagemap.show(p, v);
    $("pm-title").textContent = v ? `${hex(v.start)}-${hex(v.end)} ${v.perms} ${v.file || ""}` : "";
  } else pagemap.changed();
  // The first draw after the exit event is the one the tests time.
  if (r.exited && perf.exitAt && !perf.drawnAt) pagemap.request();
  const now = performance.now();
  const running = !r.done && !paused0(r);
  const slow = full || !running || now - legendAt > 400; // what costs a scan of every page
  if (slow) legendAt = now;
  if (p && v && slow) {
    const n = (v.end - v.start) / PAGE;
    const counts = new Array(8).fill(0);
    if (n <= 1 << 20) {
      const st = p.states(v.start / PAGE, n, new Uint8Array(n));
      for (let i = 0; i < n; i++) counts[st[i]]++;
    }
    renderLegend($("legend"), counts);
    $("pm-summary").textContent = t(n === 1 ? "area-page" : "area-pages", { n: n.toLocaleString(), p: (n - counts[0] - counts[5]).toLocaleString() });
  } else if (!p || !v) {
    renderLegend($("legend"));
    $("pm-summary").textContent = t("no-area");
  }

  // Counters: on both engines, each kernel's in its own column.
  renderCounters($("counters"), m.counters, !running, r.engine === "both" ? m.realCounters || {} : null);
  // The whole run's output, what was written after the moment on view
  // dimmed ("later"); on both engines, each engine's in its own column.
  const both = r.engine === "both";
  const soFar = m === r.model || both ? -1 : m.out.reduce((n, o) => n + o.text.length, 0);
  const outKey = r.model.out.length + ":" + (r.model.out.length ? r.model.out[r.model.out.length - 1].text.length : 0) + ":" + soFar + ":" + both;
  if (full || renderedOut !== outKey) {
    const cols = both ? [["sim", $("stdout")], ["real", $("stdout-b")]] : [[null, $("stdout")]];
    $("out-col-b").hidden = !both;
    $("out-engine-a").hidden = !both;
    const texts = {}, pieces = {};
    for (const [eng, box] of cols) {
      const spans = [];
      let left = soFar < 0 ? Infinity : soFar;
      let mark = null;
      let all = "";
      pieces[eng] = [];
      for (const o of r.model.out) {
        const mine = eng == null || o.engine === eng;
        const cls = o.stream !== "stdout" ? "err" : "";
        const now = o.text.slice(0, Math.max(0, left)), later = o.text.slice(Math.max(0, left));
        left -= o.text.length;
        if (!mine) continue;
        all += o.text;
        pieces[eng].push({ text: o.text, cls });
        if (now) { const s = document.createElement("span"); s.className = cls; s.textContent = now; spans.push(s); }
        if (later) {
          const s = document.createElement("span");
          s.className = cls + " later";
          s.title = t("output-later");
          s.textContent = later;
          if (!mark) mark = s;
          spans.push(s);
        }
      }
      texts[eng] = all;
      box.replaceChildren(...spans);
      box.scrollTop = mark ? Math.max(0, mark.offsetTop - box.offsetTop - 40) : box.scrollHeight;
    }
    if (both) {
      // Each kernel's column, the lines the other did not print marked.
      const ls = { sim: lines(pieces.sim), real: lines(pieces.real) };
      const flat = (l) => l.map((ps) => ps.map((p) => p.text).join(""));
      const u = unmatched(flat(ls.sim), flat(ls.real));
      renderColumn($("stdout"), ls.sim, u.a, t("line-differs"), texts.sim.endsWith("\n"));
      renderColumn($("stdout-b"), ls.real, u.b, t("line-differs"), texts.real.endsWith("\n"));
      const same = texts.sim === texts.real;
      $("out-engine-a").textContent = t("engine-name-sim") + (same ? "" : " ≠");
      $("out-engine-b").textContent = t("engine-name-real") + (same ? "" : " ≠");
      $("out-engine-a").title = $("out-engine-b").title = same ? t("out-same") : t("out-differ");
      $("out-cols").classList.toggle("differ", !same);
    }
    renderedOut = outKey;
  }

  // --engine both: where the two kernels differ.
  const dbox = $("diffs");
  if (m.diffs.length) {
    dbox.hidden = false;
    dbox.innerHTML = `<h3>${t("differences")} (${m.diffs.length})</h3><ul>${m.diffs.slice(0, 20).map((d) =>
      `<li class="${d.explained ? "explained" : ""}"><b>${escapeHTML(d.field)}</b>: sim <code title="${escapeHTML(d.sim)}">${escapeHTML(clip(d.sim))}</code> · real <code title="${escapeHTML(d.real)}">${escapeHTML(clip(d.real))}</code>${d.explained ? " — " + escapeHTML(d.explained) : ""}</li>`).join("")}</ul>`;
  } else dbox.hidden = true;
  // Where a limit of the server stopped or refused the run, in words.
  if (r.exited && !r.refs) r.refs = refusals(r.events, r.engine === "real");
  const lbox = $("limits");
  const refs = r.refs || [];
  if (refs.length) {
    const key = refs.map((x) => x.engine + x.what).join() + i18n.getLang();
    if (lbox.dataset.key !== key) {
      lbox.dataset.key = key;
      lbox.innerHTML = `<h3>${escapeHTML(t("limit-title"))}</h3><ul>${refs.map((x) => `<li data-testid="limit-${x.what}" data-engine="${x.engine}">${escapeHTML(sayRefusal(x, limitsTable, t))}</li>`).join("")}</ul>`;
    }
    lbox.hidden = false;
  } else { lbox.hidden = true; lbox.dataset.key = ""; }
  const nbox = $("notes");
  if (m.notes.length) {
    nbox.hidden = false;
    nbox.innerHTML = `<h3>${t("notes")}</h3><ul>${m.notes.slice(0, 12).map((n) => `<li>${n.engine ? `<b>${escapeHTML(n.engine)}</b>: ` : ""}${escapeHTML(n.message || "")}</li>`).join("")}</ul>`;
  } else nbox.hidden = true;

  // Exit status and errors.
  // The run's exit, whichever moment is on view.
  const ex = r.model.exit;
  const es = $("exit-status");
  if (ex) {
    es.textContent = ex.signal ? t("killed", { sig: ex.signal }) : t("exit-status", { status: ex.status });
    es.className = "exit " + (ex.signal || ex.status ? "bad" : "ok");
  } else { es.textContent = ""; es.className = "exit"; }
  // Compile errors are the program's, whatever moment the views show.
  const errs = r.model.errors;
  if (errs.length && (full || editor.diags.length !== errs.filter((e) => e.line > 0).length)) {
    editor.setDiagnostics(errs.map((e) => ({ line: e.line, col: e.col, message: e.message, text: e.text })));
  }

  // The event log (naming processes when there are several).
  const multi = r.model.procs.size > 1;
  if (eventLog.multi !== multi || eventLog.events !== r.events) {
    eventLog.multi = multi;
    $("event-log").classList.toggle("multi", multi);
    eventLog.events = r.events;
    eventLog.refilter();
  } else if (r.logged !== r.events.length) eventLog.appended(Math.min(r.logged, r.events.length));
  r.logged = r.events.length;

  // Where the program is.
  const paused = !r.done && (r.mode === "stream" ? r.paused : r.status === "paused");
  if (ui.viewIndex >= 0 && r.mode === "session" && !r.done && r.engine !== "sim") {
    // A real kernel's program does not go back: the page shows the past
    // from its log, and says so.
    setStatus(t("back-real", { seq: r.events[ui.viewIndex].seq ?? ui.viewIndex + 1, at: r.pausedSeq || r.lastSeq }));
  } else if (ui.viewIndex >= 0) {
    setStatus(restText(r, ui.viewIndex) || t("state-at", { seq: r.events[ui.viewIndex].seq ?? ui.viewIndex + 1 }));
  } else if (paused && r.events.length) {
    const last = r.events[r.events.length - 1];
    if (last.line) editor.setLine(last.line);
    eventLog.setCurrent(r.events.length - 1);
  } else if (r.exited) {
    if (!r.exitShown) {
      r.exitShown = true;
      const refs = r.refs || [];
      const msg = refs.length ? sayRefusal(refs[0], limitsTable, t)
        : m.errors.some((e) => e.line) ? t("compile-errors")
        : t("exited", { n: r.events.length.toLocaleString() }) + (m.errors.length ? " " + m.errors[0].message : "") + (r.dropped ? " " + t("missed", { n: r.dropped }) : "");
      setStatus(msg, !!m.errors.length || refs.length > 0);
      editor.setLine(0);
      editor.setCrash(crashOf(r));
      buttons();
      fetchState();
      // (On both engines the end stays: each engine's areas as at its exit,
      // side by side.)
      if (!m.errors.length && !refs.length && !r.rested && r.engine !== "both") {
        // The last event shows the address space torn down: rest the
        // views at the moment the run is about, and say so.
        r.rested = true;
        const l = lessons.current;
        const evs = r.engine === "both" ? r.events.filter((e) => e.engine !== "real") : r.events;
        const k0 = l && l.moment ? findMoment(evs, l.moment) : -1;
        const mo = k0 >= 0 ? { index: k0, why: "lesson", ev: evs[k0] } : restMoment(evs);
        if (mo.index >= 0 && mo.index < r.events.length - 1) {
          const k = r.engine === "both" ? r.events.indexOf(mo.ev) : mo.index;
          ui.rest = { ...mo, index: k };
          if (l && l.moment && l.moment.show && k0 >= 0) showArea(r.events[k], l.moment.show);
          showAt(k);
        }
      }
    }
  }

  drawTimeline(r, full);

  // Frames and page cache: a scan of every page, so at most twice a second
  // while the program runs. The server's numbers when it has given them
  // for the event on view.
  const curEv = r.events[curIndex()];
  const sst = ui.serverState && curEv && ui.serverSeq === curEv.seq ? ui.serverState : null;
  if (full || !running || now - framesAt > 1000) {
    framesAt = now;
    renderFrames($("page-cache"), m, sst, running);
    vmaView.updateCounts(p);
  }
  if (ui.walkAddr != null) renderWalk($("page-walk"), mergeWalk(m, p, ui.walkAddr, ui.walk));
}

/** drawTimeline sets the scrubber, its strip of events and the words for
 * the event on view. */
let stripN = -1, stripW = 0;
function drawTimeline(r, full) {
  const n = r.events.length;
  const sc = $("scrubber");
  const cur = curIndex();
  sc.max = String(Math.max(0, n - 1));
  sc.value = String(Math.max(0, cur));
  sc.disabled = n < 2;
  const w = $("where");
  if (!n) { w.textContent = t("where-none"); }
  else {
    const ev = r.events[cur];
    const wd = where(ev, cur, n);
    w.innerHTML = `<b>${escapeHTML(wd.head)}</b> · <span class="kindw">${escapeHTML(wd.text)}</span>`;
    w.title = wd.head + " · " + wd.text;
    sc.setAttribute("aria-valuetext", wd.head + ": " + wd.text);
  }
  // The strip: one column per slice of the run, coloured by what happened
  // in it (faults over syscalls over the rest), checkpoints marked.
  const c = $("tl-strip");
  const cw = Math.max(1, Math.round(c.clientWidth));
  if (!full && stripN === n && stripW === cw) return;
  if (r.mode !== "session" && !r.done && n - stripN < 2000 && stripW === cw && stripN > 0) return;
  stripN = n; stripW = cw;
  c.width = cw; c.height = 7;
  const ctx = c.getContext("2d");
  ctx.clearRect(0, 0, cw, 7);
  if (n < 2) return;
  const cs = getComputedStyle(document.documentElement);
  const col = (v) => cs.getPropertyValue(v).trim() || "#888";
  const rank = { fault: 3, signal: 4, syscall: 2, checkpoint: 5 };
  const colors = { 2: col("--ev-syscall"), 3: col("--ev-fault"), 4: col("--ev-signal"), 5: col("--ev-out") };
  const best = new Uint8Array(cw);
  for (let i = 0; i < n; i++) {
    const k = rank[r.events[i].type] || 0;
    const x = Math.min(cw - 1, Math.floor((i / (n - 1)) * (cw - 1)));
    if (k > best[x]) best[x] = k;
  }
  for (let x = 0; x < cw; x++) {
    if (!best[x]) continue;
    ctx.fillStyle = colors[best[x]];
    ctx.fillRect(x, best[x] === 5 ? 0 : 2, 1, best[x] === 5 ? 7 : 5);
  }
}

/** crashOf finds where a signal killed the program: the signal's line,
 * with the fault that raised it and its si_code, in words. */
function crashOf(r) {
  const ex = r.model.exit;
  if (!ex || !ex.signal) return null;
  let k = r.events.length - 1;
  while (k >= 0 && !(r.events[k].type === "signal" && r.events[k].signal === ex.signal)) k--;
  if (k < 0) return null;
  const sig = r.events[k];
  let f = null;
  for (let j = k - 1; j >= 0 && j >= k - 50; j--) {
    const e = r.events[j];
    if (e.type === "fault" && e.result && e.result !== "ok") { f = e; break; }
  }
  const line = sig.line || (f && f.line) || 0;
  const why = f ? `${t("say-fault", { access: t("acc-" + (f.access || "read")), addr: hex(f.addr || 0) })}: ${t("kind-" + f.kind)}` : t("say-signal", { sig: sig.signal, code: sig.code || "", addr: hex(sig.addr || 0) });
  return { line, message: t("crash", { line, sig: sig.signal, code: sig.code || "?", why }) };
}

/** restText says why the views show event i after a run, when they rest
 * there by themselves. */
function restText(r, i) {
  const mo = ui.rest;
  if (!mo || mo.index !== i || !r.exited) return "";
  const ev = r.events[i];
  const vars = { seq: ev.seq ?? i + 1, n: r.events.length.toLocaleString(), line: ev.line || "?" };
  if (mo.why === "before-unmap") {
    const by = mo.removedBy || {};
    return t("rest-before-unmap", { ...vars, area: (mo.vma && mo.vma.file) || t("the-mapping"), call: by.name || "munmap", cline: by.line || "?" });
  }
  return t("rest-" + mo.why, vars);
}

// pagemap draws on its own frame; record when the drawing after exit ends.
const origDraw = pagemap.draw.bind(pagemap);
pagemap.draw = () => {
  origDraw();
  perf.draws = pagemap.drawn;
  if (perf.exitAt && !perf.drawnAt && run.exited && run.qhead >= run.queue.length) {
    perf.drawnAt = performance.now();
    performance.mark("pagemap-drawn-after-exit");
  }
};

/** syncPages takes the page states of the area on view from the server
 * while the program is paused there: the engine's word over the page's
 * reading of the events. */
async function syncPages(r) {
  if (r.mode !== "session" || !r.session || r.done) return;
  // Wait for the websocket to deliver the events up to the pause.
  for (let k = 0; k < 50 && r.lastSeq < r.pausedSeq; k++) await new Promise((res) => setTimeout(res, 20));
  const m = r.model, p = pickProc(m), v = pickVMA(m, p);
  if (!p || !v || p.engine === "real" || (v.end - v.start) / PAGE > 1 << 20) return;
  try {
    const a = await client.pages(r.session.id, p.pid, v.start, v.end);
    if (r !== run || !a || !a.states || r.status !== "paused") return;
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

async function fetchState() {
  const r = run;
  if (r.mode !== "session" || !r.session) return;
  try { const a = await client.state(r.session.id); ui.serverState = a && a.state ? a.state : a; ui.serverSeq = a && a.seq; update(); } catch (e) { /* none */ }
}

// ------------------------------------------------------------------ walk

function mergeWalk(m, p, addr, server) {
  const local = localWalk(m, p, addr);
  const ev = run.events[curIndex()];
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

const clip = (s, n = 90) => { s = String(s || "").replace(/\n/g, "⏎ "); return s.length > n ? s.slice(0, n) + "…" : s; };

const pteHex = (n) => "0x" + Math.floor(n).toString(16).padStart(16, "0");

async function walkTo(addr, quiet) {
  if (addr == null) return;
  ui.walkAddr = addr;
  ui.walk = null;
  $("walk-addr").value = hex(addr);
  update();
  const r = run;
  if (r.mode === "session" && r.session && !r.done) {
    const p = pickProc(viewModel());
    try {
      const st = await client.state(r.session.id, { addr, pid: p ? p.pid : undefined });
      ui.walk = st && (st.walk || (st.levels ? st : null));
      if (ui.walk) ui.walk.addr = addr;
      update();
    } catch (e) { /* the local walk stands */ }
  }
  if (!quiet) $("page-walk").scrollIntoView({ block: "nearest" });
}

$("walk-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const s = $("walk-addr").value.trim();
  const a = s.startsWith("0x") ? parseInt(s.slice(2), 16) : parseInt(s, 10);
  if (Number.isFinite(a)) walkTo(a - (a % 1));
});

// ---------------------------------------------------------- lesson spots

function spot(n) {
  const match = n ? eventMatcher(n) : null;
  const tab = n && { "page-walk": "walk", "page-cache": "frames", counters: "counters" }[n.view];
  if (tab) tabs.show(tab);
  eventLog.setSpot(match);
  for (const e of document.querySelectorAll(".counters .spot-el")) e.classList.remove("spot-el");
  if (n && n.counters) for (const c of n.counters) { const e = document.querySelector(`[data-counter="${c}"]`); if (e) e.classList.add("spot-el"); }
  if (!n || !run.events.length) return;
  // Take the views to the moment the notice is about: its checkpoint, or
  // the first event it points at; for the page map or the walk without
  // one, the last fault in a mapping the program made (what it touched).
  const ev = run.events;
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
  eventLog.scrollTo(i);
}

/** showArea puts the area a moment names (its file, or "anon") of ev's
 * process on the page map. */
function showArea(ev, name) {
  const m = build(run.events, run.events.indexOf(ev) + 1);
  const p = m.procs.get(ev.engine ? `${ev.engine}:${ev.pid}` : String(ev.pid || 1));
  // The program's own mapping: made by mmap, not the C runtime's.
  const made = (x) => { for (const e of run.events) if (e.type === "vma" && e.op === "add" && e.vma && e.vma.start === x.start && (e.why === "mmap" || e.why === "mremap")) return e.why; return ""; };
  const v = p && p.vmas.find((x) => (x.file ? x.file === name : name === "anon" && made(x)));
  if (!v) return;
  ui.procKey = p.key;
  ui.vmaStart = v.start;
  ui.vmaUser = true;
}

// -------------------------------------------------------------- examples

let examples = [];

async function loadExamples() {
  try {
    const data = await client.examples();
    examples = Array.isArray(data) ? data : (data && (data.examples || data.items)) || [];
  } catch (e) { examples = []; }
  fillExamples();
}

function fillExamples() {
  const sel = $("example-select");
  if (!sel) return;
  const first = sel.options[0];
  first.textContent = t("choose-example");
  // In teaching order: the lessons' examples first, in the lessons' order,
  // then the others by title.
  const order = new Map(lessonsData.map((l, i) => [l.example, i]));
  const title = (x) => (i18n.getLang() === "zh" ? x.title_zh || x.title : x.title) || x.name;
  const sorted = [...examples].sort((a, b) => (order.get(a.name) ?? 1e9) - (order.get(b.name) ?? 1e9) || title(a).localeCompare(title(b)));
  sel.replaceChildren(first, ...sorted.map((x) => {
    const o = document.createElement("option");
    o.value = x.name;
    o.textContent = (i18n.getLang() === "zh" ? x.title_zh || x.title : x.title) || x.name;
    return o;
  }));
  sel.value = ui.example ? ui.example.name : "";
}

async function loadExample(name, { keepLesson } = {}) {
  if (!name) return null;
  let ex = null;
  try { ex = await client.example(name); } catch (e) { setStatus(failure(e), true); return null; }
  ex = ex && ex.example ? ex.example : ex;
  ui.example = ex;
  editor.value = ex.source || "";
  $("file-name").textContent = (ex.name || name) + ".c";
  showFrom();
  const sel = $("example-select");
  if (sel) sel.value = ex.name;
  // An example that runs on the simulated engine only (/dev/demo_dev)
  // switches the engine to it.
  const need = engineName() === "both" ? ["sim", "real"] : [engineName()];
  if (ex.engines && ex.engines.length && need.some((e) => !ex.engines.includes(e))) $("engine").value = ex.engines[0];
  if (!keepLesson && lessons.current) lessons.close();
  reset();
  return ex;
}

/** showFrom names where the example in the editor comes from, as a
 * reader would ("from the tutorial “Linux之mmap”"), or nothing. */
function showFrom() {
  const ex = ui.example, el = $("ex-from");
  const from = ex && (i18n.getLang() === "zh" ? ex.from_zh || ex.from : ex.from);
  el.hidden = !from;
  el.textContent = from ? t("from", { from }) : "";
}

// ----------------------------------------------------------------- links

/** shareURL is a link that opens this program (compressed, ?z=) or
 * example, with its lesson, engine and language, and runs it. */
async function shareURL() {
  const u = new URL(location.origin + (isEmbed ? "/embed" : "/"));
  if (ui.example && editor.value === ui.example.source) u.searchParams.set("example", ui.example.name);
  else {
    u.searchParams.set("z", await pack(editor.value));
    if (ui.example) u.searchParams.set("files", ui.example.name);
  }
  if (engineName() !== "sim") u.searchParams.set("engine", engineName());
  if (lessons.current) u.searchParams.set("lesson", lessons.current.id);
  u.searchParams.set("lang", i18n.getLang());
  u.searchParams.set("run", "1");
  return u.toString();
}

function setURL(changes) {
  if (isEmbed) return;
  const u = new URL(location.href);
  for (const [k, v] of Object.entries(changes)) { if (v == null) u.searchParams.delete(k); else u.searchParams.set(k, v); }
  u.searchParams.delete("run");
  history.replaceState(null, "", u);
}

// ----------------------------------------------------------------- wiring

$("run").addEventListener("click", () => runFree());
$("step-syscall").addEventListener("click", (e) => step("syscall", e.shiftKey ? -1 : 1));
$("step-fault").addEventListener("click", (e) => step("fault", e.shiftKey ? -1 : 1));
$("step-checkpoint").addEventListener("click", (e) => step("checkpoint", e.shiftKey ? -1 : 1));
$("tl-first").addEventListener("click", () => goTo(0));
$("tl-prev").addEventListener("click", () => goTo(curIndex() - 1));
$("tl-next").addEventListener("click", () => goTo(curIndex() + 1));
$("tl-last").addEventListener("click", () => goTo(run.events.length - 1));
$("scrubber").addEventListener("input", () => goTo(+$("scrubber").value));
$("pause").addEventListener("click", () => pause());
$("continue").addEventListener("click", () => cont());
$("back").addEventListener("click", () => back());
$("reset").addEventListener("click", () => reset());

// Keys: Ctrl+Enter runs from anywhere; outside the editor and the form
// fields, the timeline's keys move through the run (the Keys box lists them).
const KEYS = [["Ctrl+Enter", "keys-run"], ["Esc", "keys-leave"], ["Tab", "keys-indent"], ["Alt+Z", "keys-wrap"], ["( ) { }", "keys-brackets"], ["← →", "keys-event"], ["Home End", "keys-ends"],
  ["S  Shift+S", "keys-syscall"], ["F  Shift+F", "keys-fault"], ["C  Shift+C", "keys-checkpoint"], ["Tab  Shift+Tab", "keys-tab"]];
function renderKeys() {
  $("keys").innerHTML = `<h3>${escapeHTML(t("keys-title"))}</h3><table>${KEYS.map(([k, d]) => `<tr><td>${k.split("  ").map((x) => x.split(" ").map((y) => `<kbd>${escapeHTML(y)}</kbd>`).join(" ")).join(" / ")}</td><td>${escapeHTML(t(d))}</td></tr>`).join("")}</table>`;
}
document.addEventListener("keydown", (e) => {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); runFree(); return; }
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "z" || e.key === "Z" || e.code === "KeyZ")) { e.preventDefault(); setWrap(!editor.wrap); return; }
  if (e.key === "Escape" && !$("keys").hidden) { $("keys").hidden = true; const k = $("keys-help"); if (k) k.setAttribute("aria-expanded", "false"); return; }
  const tg = e.target;
  const typing = tg && (tg.tagName === "TEXTAREA" || tg.tagName === "INPUT" && tg.type !== "range" || tg.tagName === "SELECT" || tg.isContentEditable);
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
  // Widgets that take arrow keys themselves.
  if (tg && (tg.classList && (tg.classList.contains("split") || tg.closest(".event-log,.vma-list,.tabs") || tg.id === "page-map"))) {
    if (["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"].includes(e.key)) return;
  }
  const n = run.events.length;
  let done = true;
  switch (e.key) {
    case "ArrowRight": goTo(curIndex() + 1); break;
    case "ArrowLeft": goTo(curIndex() - 1); break;
    case "Home": goTo(0); break;
    case "End": goTo(n - 1); break;
    case "s": case "S": step("syscall", e.shiftKey ? -1 : 1); break;
    case "f": case "F": step("fault", e.shiftKey ? -1 : 1); break;
    case "c": case "C": step("checkpoint", e.shiftKey ? -1 : 1); break;
    default: done = false;
  }
  if (done) e.preventDefault();
});
// Long lines wrapped in the editor, or not: remembered.
const WRAP_KEY = "mmap-playground.wrap";
function setWrap(on) {
  editor.setWrap(on);
  $("wrap").setAttribute("aria-pressed", String(on));
  try { localStorage.setItem(WRAP_KEY, on ? "1" : ""); } catch (e) { /* ignore */ }
}
$("wrap").addEventListener("click", () => setWrap(!editor.wrap));
try { if (localStorage.getItem(WRAP_KEY) === "1") setWrap(true); } catch (e) { /* ignore */ }
const keysBtn = $("keys-help");
if (keysBtn) keysBtn.addEventListener("click", () => {
  const box = $("keys");
  box.hidden = !box.hidden;
  keysBtn.setAttribute("aria-expanded", String(!box.hidden));
  if (!box.hidden) renderKeys();
});

// The panes: splitters, the details tabs, the lesson folded or open.
splitters(document, () => { pagemap.request(true); eventLog.request(); update(true); });
const tabs = new Tabs($("detail-tabs"), document, () => update(true));
$("lesson-fold").addEventListener("click", () => {
  const l = $("lesson");
  const folded = l.classList.toggle("folded");
  $("lesson-fold").textContent = t(folded ? "unfold" : "fold");
  $("lesson-fold").setAttribute("aria-expanded", String(!folded));
  pagemap.request(true);
});
$("zoom-in").addEventListener("click", () => pagemap.zoomBy(1));
$("zoom-out").addEventListener("click", () => pagemap.zoomBy(-1));
for (const id of ["engine", "ram", "fault-around"]) $(id).addEventListener("change", () => { if (run.done) reset(); });
if (body.dataset.real !== "1") {
  // This host cannot run programs on its real kernel: offer the model only.
  for (const o of $("engine").options) if (o.value !== "sim") { o.disabled = true; o.title = t("real-unavailable"); }
}
const exSel = $("example-select");
if (exSel) exSel.addEventListener("change", async () => {
  if (!exSel.value) return;
  await loadExample(exSel.value);
  setURL({ example: exSel.value, src: null, lesson: null, files: null });
});
for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => i18n.setLang(b.dataset.lang));
i18n.onLang(() => { run.exitShown = false; eventLog.refilter(); eventLog.buildFilters($("ev-filters")); if (!$("keys").hidden) renderKeys(); $("lesson-fold").textContent = t($("lesson").classList.contains("folded") ? "unfold" : "fold"); renderAreaLegend($("vma-legend")); lessons.render(); lessons.fillSelect(); fillExamples(); showFrom(); renderCounters($("counters"), viewModel().counters); update(true); if (run.done && !run.exited) setStatus(t("ready")); });
const big = $("big-text");
if (big) {
  const KEY = "mmap-playground.big";
  const set = (on) => {
    document.documentElement.classList.toggle("big", on);
    big.setAttribute("aria-pressed", String(on));
    pagemap.recolor();
    try { localStorage.setItem(KEY, on ? "1" : ""); } catch (e) { /* ignore */ }
    pagemap.request(true);
    update(true);
  };
  let on = false;
  try { on = localStorage.getItem(KEY) === "1"; } catch (e) { /* ignore */ }
  if (on) set(true);
  big.addEventListener("click", () => set(big.getAttribute("aria-pressed") !== "true"));
}
const share = $("share");
if (share) share.addEventListener("click", async () => {
  const url = await shareURL();
  $("share-url").value = url;
  $("share-len").textContent = t("share-len", { n: url.length });
  $("share-box").hidden = false;
  $("share-url").select();
  $("share-copy").textContent = t("copy");
});
$("share-copy").addEventListener("click", async () => {
  const ok = await copyText($("share-url").value);
  $("share-copy").textContent = t(ok ? "copied" : "copy");
  setStatus(ok ? t("share-copied") : t("share-select"));
  if (!ok) $("share-url").select();
});
$("share-close").addEventListener("click", () => { $("share-box").hidden = true; });
const full = $("open-full");
if (full) {
  // The link to the full page is made when the embed's program is known.
  const set = async () => { full.href = (await shareURL()).replace("/embed", "/"); };
  full.addEventListener("pointerenter", set);
  full.addEventListener("focus", set);
}
window.addEventListener("pagehide", () => { if (session) client.deleteSession(session.id); if (replaySess) client.deleteSession(replaySess.id); });

// ----------------------------------------------------------------- start

/** choosePanels shows only the panels ?panels= lists (the embed page in a
 * tutorial's iframe): code, output, areas, pagemap, log, walk, frames,
 * counters. Panes left empty go, with their splitters. */
function choosePanels(list) {
  const want = new Set(list.split(",").map((s) => s.trim()).filter(Boolean));
  if (!want.size) return;
  const views = { code: "editor", output: "stdout", areas: "vmas", vmas: "vmas", pagemap: "pagemap", log: "events", events: "events" };
  for (const [name, view] of Object.entries(views)) {
    const el = document.querySelector(`.pane > [data-view="${view}"]`);
    if (el) el.hidden = !want.has(name) && !(name === "vmas" && want.has("areas")) && !(name === "areas" && want.has("vmas")) && !(name === "events" && want.has("log")) && !(name === "log" && want.has("events"));
  }
  const tabNames = ["walk", "frames", "counters"].filter((x) => want.has(x));
  document.querySelector('[data-view="details"]').hidden = !tabNames.length;
  for (const b of document.querySelectorAll("#detail-tabs [data-tab]")) b.hidden = !tabNames.includes(b.dataset.tab);
  if (tabNames.length) tabs.show(tabNames[0]);
  for (const pane of document.querySelectorAll(".pane")) {
    const shown = [...pane.children].filter((c) => c.classList.contains("panel") && !c.hidden);
    pane.hidden = !shown.length;
    // The panels left share the pane.
    for (const c of shown) c.style.flex = "1 1 0";
  }
  for (const sp of document.querySelectorAll(".split")) {
    const prev = sp.previousElementSibling, next = sp.nextElementSibling;
    sp.hidden = !prev || !next || prev.hidden || next.hidden;
  }
  const panes = [...document.querySelectorAll(".pane")].filter((p) => !p.hidden);
  for (const p of panes) p.style.flex = "1 1 0";
  document.body.dataset.panels = [...want].join(",");
}

async function start() {
  i18n.apply(document);
  if (params.get("panels")) choosePanels(params.get("panels"));
  renderAreaLegend($("vma-legend"));
  renderLegend($("legend"));
  renderCounters($("counters"), new Model().counters);
  renderWalk($("page-walk"), null);
  renderFrames($("page-cache"), new Model(), null);
  run.done = true;
  buttons();
  setStatus(t("ready"));
  const eng = params.get("engine");
  if (eng && ["sim", "real", "both"].includes(eng) && !$("engine").querySelector(`option[value="${eng}"]`).disabled) $("engine").value = eng;
  const exList = loadExamples();
  const lessonID = params.get("lesson");
  const src = params.get("src"), z = params.get("z");
  if (src || z) {
    const fname = params.get("files") || params.get("example");
    if (fname) await loadExample(fname);
    try { editor.value = z ? await unpack(z) : srcText(src); } catch (e) { setStatus(t("bad-link"), true); }
    if (!fname) $("file-name").textContent = "prog.c";
  } else if (lessonID && lessons.openByID(lessonID)) {
    await new Promise((r) => setTimeout(r, 0));
  } else if (params.get("example")) {
    await loadExample(params.get("example"));
  } else {
    await exList;
    if (!editor.value && examples.length) {
      const first = examples.find((x) => x.name === "three_phases") || examples[0];
      await loadExample(first.name);
    }
  }
  if (lessonID && src) lessons.openByID(lessonID);
  document.body.dataset.ready = "1";
  if (params.get("run") === "1") {
    // wait for the lesson or example to load
    const wait = () => new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 100 && !editor.value; i++) await wait();
    runFree();
  }
}

start();

// For the browser tests and the curious: the page's pieces.
window.__pg = { run: () => run, client, pagemap, eventLog, editor, lessons, ui, update, showAt, idle: () => frame === 0 && !needFull };
