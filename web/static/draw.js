// draw.js: drawing the views of the event on view: the address space
// (each engine's, side by side on both), the page map and its legend, the
// counters, the output (two columns on both), the limits that stopped a
// run, the differences and notes, the exit, the event log, where the views
// rest after a run, the frames and the walk. update() asks for a drawing
// on the next animation frame; draw() is it.

import * as i18n from "./i18n.js";
import { t } from "./i18n.js";
import { Client } from "./api.js";
import { PAGE, hex } from "./model.js";
import { escapeHTML } from "./eventlog.js";
import { renderCounters, renderLegend, renderWalk, renderFrames } from "./views.js";
import { restMoment, findMoment } from "./moment.js";
import { unmatched, lines, renderColumn } from "./sidebyside.js";
import { refusals, sayRefusal } from "./limits.js";
import { $, S, P, ui, perf, setStatus, limitsTable } from "./state.js";
import { buttons } from "./run.js";
import { curIndex, drawTimeline, restText, showAt, viewModel } from "./timeline.js";
import { fetchState, mergeWalk } from "./serverstate.js";
import { showArea } from "./spots.js";

// What the views last drew, so that a frame redraws only what changed.
let renderedVMAVersion = -1, renderedProcKey = null, renderedOut = -1, renderedOtherVersion = -1;

/** forgetDrawn makes the next frame draw every view afresh. */
export function forgetDrawn() { renderedVMAVersion = -1; renderedOut = -1; }

/** counterpart is p's process on the other engine of a run on both: the
 * one in the same place in that engine's process list. */
export function counterpart(m, p) {
  if (!p || !p.engine) return null;
  const mine = m.procList().filter((x) => x.engine === p.engine);
  const theirs = m.procList().filter((x) => x.engine && x.engine !== p.engine);
  return theirs[mine.indexOf(p)] || null;
}

let frame = 0, needFull = false, framesAt = 0, legendAt = 0;

export function paused0(r) { return r.mode === "stream" ? r.paused : r.status === "paused"; }

/** update redraws the views on the next animation frame. */
export function update(full) {
  if (full) needFull = true;
  if (frame) return;
  // While events pour in, the views are redrawn ten times a second: enough
  // to watch, and the browser's time goes to taking the events in.
  const r = S.run;
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

export function pickProc(m) {
  const procs = m.procList();
  if (!procs.length) return null;
  let p = ui.procKey ? m.procs.get(ui.procKey) : null;
  if (!p) {
    // The first process of the simulated engine by default.
    p = procs.find((x) => x.engine === "" || x.engine === "sim") || procs[0];
  }
  return p;
}

export function pickVMA(m, p) {
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

export function draw(full) {
  const r = S.run;
  const m = viewModel();
  const p = pickProc(m);
  const v = pickVMA(m, p);
  const procKey = p ? p.key : null;

  // Address space; on both engines, the same process on the other engine
  // beside it, with the areas that differ marked.
  const other = counterpart(m, p);
  const otherVersion = other ? other.vmaVersion : -1;
  if (full || !p || procKey !== renderedProcKey || p.vmaVersion !== renderedVMAVersion || otherVersion !== renderedOtherVersion || m !== S.renderedModel && ui.viewIndex >= 0) {
    P.vmaView.render(m, p, v ? v.start : null, !full && ui.viewIndex < 0, other);
    $("vma-other").hidden = !other;
    $("vma-engine-a").hidden = !other;
    if (other) {
      $("vma-engine-a").textContent = `${t("engine-name-" + p.engine)} · pid ${p.pid}`;
      $("vma-engine-b").textContent = `${t("engine-name-" + other.engine)} · pid ${other.pid}`;
      P.otherView.render(m, other, null, false, p);
    }
    renderedProcKey = procKey;
    renderedVMAVersion = p ? p.vmaVersion : -1;
    renderedOtherVersion = otherVersion;
  }

  // Page map.
  if (P.pagemap.proc !== p || P.pagemap.vma !== v || full) {
    P.pagemap.show(p, v);
    $("pm-title").textContent = v ? `${hex(v.start)}-${hex(v.end)} ${v.perms} ${v.file || ""}` : "";
  } else P.pagemap.changed();
  // The first draw after the exit event is the one the tests time.
  if (r.exited && perf.exitAt && !perf.drawnAt) P.pagemap.request();
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
    // On both engines the outputs are the point: their panel takes more
    // of its pane (until the student drags the splitter).
    document.body.classList.toggle("both-run", both);
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

  // --engine both: where the two kernels differ; and the engines' notes.
  // Folded to one line each (the outputs keep the room), opened by a click,
  // and drawn again only when they change.
  folded($("diffs"), m.diffs.length ? `${t("differences")} (${m.diffs.length})` : "", () => `<ul>${m.diffs.slice(0, 20).map((d) =>
    `<li class="${d.explained ? "explained" : ""}"><b>${escapeHTML(d.field)}</b>: sim <code title="${escapeHTML(d.sim)}">${escapeHTML(clip(d.sim))}</code> · real <code title="${escapeHTML(d.real)}">${escapeHTML(clip(d.real))}</code>${d.explained ? " — " + escapeHTML(d.explained) : ""}</li>`).join("")}</ul>`, m.diffs.length);
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
  folded($("notes"), m.notes.length ? `${t("notes")} (${m.notes.length})` : "", () => `<ul>${m.notes.slice(0, 12).map((n) => `<li>${n.engine ? `<b>${escapeHTML(t("engine-name-" + n.engine))}</b>: ` : ""}${escapeHTML(n.message || "")}</li>`).join("")}</ul>`, m.notes.length);

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
  if (errs.length && (full || P.editor.diags.length !== errs.filter((e) => e.line > 0).length)) {
    P.editor.setDiagnostics(errs.map((e) => ({ line: e.line, col: e.col, message: e.message, text: e.text })));
  }

  // The event log (naming processes when there are several).
  const multi = r.model.procs.size > 1;
  if (P.eventLog.multi !== multi || P.eventLog.events !== r.events) {
    P.eventLog.multi = multi;
    $("event-log").classList.toggle("multi", multi);
    P.eventLog.events = r.events;
    P.eventLog.refilter();
  } else if (r.logged !== r.events.length) P.eventLog.appended(Math.min(r.logged, r.events.length));
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
    if (last.line) P.editor.setLine(last.line);
    P.eventLog.setCurrent(r.events.length - 1);
  } else if (r.exited) {
    if (!r.exitShown) {
      r.exitShown = true;
      const refs = r.refs || [];
      const msg = refs.length ? sayRefusal(refs[0], limitsTable, t)
        : m.errors.some((e) => e.line) ? t("compile-errors")
        : t("exited", { n: r.events.length.toLocaleString() }) + (m.errors.length ? " " + m.errors[0].message : "") + (r.dropped ? " " + t("missed", { n: r.dropped }) : "");
      setStatus(msg, !!m.errors.length || refs.length > 0);
      P.editor.setLine(0);
      P.editor.setCrash(crashOf(r));
      buttons();
      fetchState();
      // (On both engines the end stays: each engine's areas as at its exit,
      // side by side.)
      if (!m.errors.length && !refs.length && !r.rested && r.engine !== "both") {
        // The last event shows the address space torn down: rest the
        // views at the moment the run is about, and say so.
        r.rested = true;
        const l = P.lessons.current;
        const evs = r.engine === "both" ? r.events.filter((e) => e.engine !== "real") : r.events;
        const k0 = l && l.moment ? findMoment(evs, l.moment) : -1;
        const mo = k0 >= 0 ? { index: k0, why: "lesson", ev: evs[k0] } : restMoment(evs);
        if (mo.index >= 0 && mo.index < r.events.length - 1) {
          const k = r.engine === "both" ? r.events.indexOf(mo.ev) : mo.index;
          ui.rest = { ...mo, index: k };
          if (l && l.moment && l.moment.show && k0 >= 0) showArea(r.events[k], l.moment.show);
          else if (mo.vma && !ui.vmaUser) {
            // The page map shows the mapping the moment is about, not the
            // largest area (the heap, often).
            ui.procKey = (mo.ev && mo.ev.engine ? mo.ev.engine + ":" : "") + mo.pid;
            ui.vmaStart = mo.vma.start;
            ui.vmaUser = true;
          }
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
    P.vmaView.updateCounts(p);
  }
  if (ui.walkAddr != null) renderWalk($("page-walk"), mergeWalk(m, p, ui.walkAddr, ui.walk));
}

/** crashOf finds where a signal killed the program: the signal's line,
 * with the fault that raised it and its si_code, in words. */
export function crashOf(r) {
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

/** folded shows box as a folded <details>: its summary, and body() when
 * opened; hidden without a summary. It is drawn again only when key
 * changes, and keeps its open or folded state. */
function folded(box, summary, body, key) {
  if (!summary) { box.hidden = true; box.dataset.key = ""; return; }
  box.hidden = false;
  const k = summary + ":" + key + ":" + i18n.getLang();
  if (box.dataset.key === k) return;
  box.dataset.key = k;
  const was = box.querySelector("details");
  const open = was ? was.open : false;
  box.innerHTML = `<details${open ? " open" : ""}><summary>${escapeHTML(summary)}</summary>${body()}</details>`;
}

/** timePagemap records when the page map's first drawing after the exit
 * event ends (the browser tests' Run→drawn). */
export function timePagemap() {
  const origDraw = P.pagemap.draw.bind(P.pagemap);
  P.pagemap.draw = () => {
    origDraw();
    perf.draws = P.pagemap.drawn;
    if (perf.exitAt && !perf.drawnAt && S.run.exited && S.run.qhead >= S.run.queue.length) {
      perf.drawnAt = performance.now();
      performance.mark("pagemap-drawn-after-exit");
    }
  };
}

export const clip = (s, n = 90) => { s = String(s || "").replace(/\n/g, "⏎ "); return s.length > n ? s.slice(0, n) + "…" : s; };

/** idle reports whether no drawing is pending (the browser tests wait for it). */
export function idle() { return frame === 0 && !needFull; }
