// run.js: running a program and taking its events: one-shot runs streamed
// (POST /run) or a session that steps on the server, the queue the events
// wait in while the student steps or pauses, and the controls (Run, Pause,
// Continue, the steps, Back, Reset).
//
// A run's events are kept in order in run.events and folded into run.model
// as they arrive; the views draw the model on the next animation frame.

import { t } from "./i18n.js";
import { Model, build } from "./model.js";
import { nextIndex, JUMPS } from "./moment.js";
import { $, S, P, ui, perf, setStatus } from "./state.js";
import { curIndex, showAt } from "./timeline.js";
import { update, forgetDrawn } from "./draw.js";
import { syncPages } from "./serverstate.js";

/** Run is one run of the program: its events, its model and how it runs. */
export class Run {
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

export function request() {
  const ex = ui.example;
  return {
    name: ex ? ex.name + ".c" : "prog.c",
    source: P.editor.value,
    args: ex && ex.args ? ex.args : [],
    files: ex && ex.files ? ex.files : {},
    // On the page stdout is a terminal, as in the tutorial's shell: lines
    // appear as they are printed (the CLI's --json keeps a pipe's buffer).
    terminal: true,
  };
}

export function options() {
  return { ram: +$("ram").value * 1024 * 1024, fault_around: +$("fault-around").value };
}

export function engineName() { return $("engine").value; }

export function resetViews() {
  perf.exitAt = 0; perf.drawnAt = 0; perf.events = 0;
  P.editor.setDiagnostics([]);
  P.editor.setCrash(null);
  P.editor.setLine(0);
  ui.viewIndex = -1;
  ui.rest = null;
  ui.serverState = null;
  ui.procKey = null;
  if (!ui.vmaUser) ui.vmaStart = null;
  forgetDrawn();
  S.renderedModel = null;
  P.eventLog.reset();
  P.eventLog.setEvents(S.run.events);
  $("ev-detail").textContent = "";
  $("exit-status").textContent = "";
  $("exit-status").className = "exit";
  update(true);
}

export function stopRun() {
  const r = S.run;
  r.done = true;
  r.abort.abort();
  if (r.wake) r.wake();
  if (r.sock) { try { r.sock.close(); } catch (e) { /* closed */ } }
}

/** runFree runs the program to the end, streaming its events. */
export async function runFree() {
  if (S.run.mode === "session" && !S.run.done && S.run.status === "paused") return cont();
  if (S.run.mode === "stream" && !S.run.done && S.run.paused) return cont();
  stopRun();
  S.run = new Run("stream");
  perf.runs++;
  ui.vmaUser = false;
  resetViews();
  const r = S.run;
  perf.startAt = performance.now();
  setStatus(t("running"));
  buttons();
  const reqBody = { engine: engineName(), options: options(), ...request() };
  r.reqBody = request();
  try {
    // A pause stops applying events, not reading them: the run on the
    // server finishes within its time limit while the student looks, and
    // its events wait in the page's queue for the steps.
    await P.client.stream(reqBody, (evs) => receive(r, evs), { signal: r.abort.signal });
    // The stream has ended; events may still wait for a step.
    if (r === S.run) {
      r.streamEnded = true;
      if (r.qhead >= r.queue.length) { r.done = true; buttons(); update(true); }
    }
  } catch (e) {
    if (r === S.run && !r.abort.signal.aborted) { setStatus(failure(e), true); r.done = true; buttons(); }
  }
}

/** startStepping starts the program paused on the server, in a session. */
export async function startStepping(until) {
  stopRun();
  S.run = new Run("session");
  perf.runs++;
  ui.vmaUser = false;
  resetViews();
  const r = S.run;
  setStatus(t("connecting"));
  buttons();
  try {
    const s = await ensureSession();
    r.session = s;
    r.sock = await P.client.ws(s.id, (msgs) => receive(r, msgs), () => {});
    r.req = { engine: r.engine, options: options(), ...request() };
    r.lastSeq = 0;
    const st = await P.client.run(s.id, { ...request(), paused: true });
    r.status = st && st.state ? st.state : "paused";
    await stepSession(until);
  } catch (e) {
    if (r === S.run) { setStatus(failure(e), true); r.done = true; buttons(); }
  }
}

export async function ensureSession() {
  const key = JSON.stringify([engineName(), options()]);
  if (S.session && S.session.key === key) {
    try { await P.client.req("GET", "/sessions/" + S.session.id); return S.session; } catch (e) { S.session = null; }
  }
  if (S.session) P.client.deleteSession(S.session.id);
  const s = await P.client.createSession(engineName(), options());
  S.session = { id: s.id, key };
  return S.session;
}

export async function stepSession(until) {
  const r = S.run;
  setStatus(t("running"));
  const st = await P.client.step(r.session.id, until);
  sessionStatus(r, st);
}

export function sessionStatus(r, st) {
  if (!st || r !== S.run) return;
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
export function receive(r, msgs) {
  if (r !== S.run || r.done && r.mode === "stream" && r.exited) return;
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
export async function fillGap(r) {
  const g = r.gap;
  const abort = new AbortController();
  setStatus(t("missed", { n: (g.to - g.from + 1).toLocaleString() }) + " …");
  try {
    await P.client.stream(r.req, (evs) => {
      for (const ev of evs) {
        if (ev.seq < g.from) continue;
        if (ev.seq > g.to) { abort.abort(); break; }
        r.queue.push(ev);
        r.lastSeq = ev.seq;
      }
      pump(r);
    }, { signal: abort.signal });
  } catch (e) { /* aborted once past the gap */ }
  if (r !== S.run) return;
  r.dropped -= Math.max(0, r.lastSeq - g.from + 1);
  r.gap = null;
  receive(r, g.held);
}

/** pump applies queued events, stopping where a step or a pause says. */
export function pump(r) {
  const t0 = performance.now();
  try { pumpEvents(r); } finally { perf.applyMs = (perf.applyMs || 0) + performance.now() - t0; }
}

export function pumpEvents(r) {
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
      P.eventLog.truncated();
      S.renderedModel = null;
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

export async function pause() {
  const r = S.run;
  if (r.done) return;
  if (r.mode === "stream") { r.paused = true; setStatus(t("paused", { seq: r.model.seq })); buttons(); update(); return; }
  try { sessionStatus(r, await P.client.pause(r.session.id)); } catch (e) { setStatus(e.message, true); }
}

export async function cont() {
  const r = S.run;
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
    sessionStatus(r, await P.client.cont(r.session.id));
  } catch (e) { setStatus(e.message, true); }
}

export async function step(until, dir = 1) {
  const r = S.run;
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

/** back steps back to the previous system call or fault. */
export async function back() {
  const r = S.run;
  const cur = ui.viewIndex >= 0 ? ui.viewIndex : r.events.length - 1;
  let i = cur - 1;
  while (i > 0 && r.events[i].type !== "syscall" && r.events[i].type !== "fault") i--;
  if (i < 0) return;
  if (r.mode === "session" && !r.done && engineName() === "sim") {
    try {
      const seq = r.events[i].seq;
      setStatus(t("running"));
      const st = await P.client.back(r.session.id, seq);
      // The server replays quietly to seq and pauses there; the page drops
      // what came after.
      r.events.length = i + 1;
      r.lastSeq = seq;
      r.model = Object.assign(build(r.events, i + 1), { ram: r.model.ram });
      S.renderedModel = null;
      P.eventLog.truncated();
      sessionStatus(r, st);
      update(true);
      return;
    } catch (e) { setStatus(e.message, true); return; }
  }
  showAt(i);
}

export function reset() {
  stopRun();
  S.run = new Run("stream");
  S.run.done = true;
  ui.vmaUser = false;
  resetViews();
  setStatus(t("ready"));
  buttons();
}

export function buttons() {
  const r = S.run;
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
export function failure(e) {
  return e && e.status ? t("run-failed", { msg: e.message }) : t("no-server", { msg: e && e.message });
}
