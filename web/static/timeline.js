// timeline.js: moving through a run's events: the event on view (the
// latest, or one chosen by the scrubber, a key, the log or a notice), the
// model at it, the scrubber and its strip, and the words for where the
// views rest after a run.

import { t } from "./i18n.js";
import { build } from "./model.js";
import { where } from "./words.js";
import { detail, escapeHTML } from "./eventlog.js";
import { $, S, P, ui } from "./state.js";
import { buttons } from "./run.js";
import { update, pickProc, pickVMA } from "./draw.js";
import { applyEnginePages, stateAtLater, walkTo } from "./serverstate.js";

/** curIndex is the event on view: the chosen one, or the latest. */
export function curIndex() { return ui.viewIndex >= 0 ? ui.viewIndex : S.run.events.length - 1; }

/** goTo shows event i of the timeline (clamped). */
export function goTo(i) {
  const n = S.run.events.length;
  if (!n) return;
  showAt(Math.max(0, Math.min(n - 1, i)));
}

export function viewModel() {
  if (ui.viewIndex < 0) return S.run.model;
  if (!S.renderedModel || S.renderedModel.seqIndex !== ui.viewIndex) {
    S.renderedModel = build(S.run.events, ui.viewIndex + 1);
    S.renderedModel.ram = S.run.model.ram;
    S.renderedModel.seqIndex = ui.viewIndex;
  }
  const ev = S.run.events[ui.viewIndex];
  if (ev) applyEnginePages(S.renderedModel, ev.seq);
  return S.renderedModel;
}

/** showAt shows the state at event index i. */
export async function showAt(i) {
  const ev = S.run.events[i];
  if (!ev) return;
  ui.viewIndex = i === S.run.events.length - 1 && !S.run.exited ? -1 : i;
  P.eventLog.sel = i;
  P.eventLog.request(true);
  P.eventLog.scrollTo(i);
  $("ev-detail").innerHTML = detail(ev) + (ui.viewIndex >= 0 ? ` · <a href="#" id="live-link">${t("back-live")}</a>` : "");
  const live = $("live-link");
  if (live) live.onclick = (e) => { e.preventDefault(); ui.viewIndex = -1; P.eventLog.sel = -1; $("ev-detail").textContent = ""; update(true); buttons(); };
  if (ev.line) P.editor.setLine(ev.line);
  if ((ev.type === "fault" || ev.type === "pte" || ev.type === "signal") && ev.addr) walkTo(ev.addr - (ev.addr % 1), true);
  else {
    // A moment without an address: the walk of the last page the program
    // touched in the area on view.
    const m = viewModel(), p = pickProc(m), v = pickVMA(m, p);
    if (v && !(ui.walkAddr >= v.start && ui.walkAddr < v.end)) {
      for (let k = ui.viewIndex; k >= 0; k--) {
        const e = S.run.events[k];
        if (e.type === "fault" && (!e.result || e.result === "ok") && e.addr >= v.start && e.addr < v.end) { walkTo(e.addr, true); break; }
      }
    }
  }
  update(true);
  buttons();
  stateAtLater(S.run, i);
}

/** drawTimeline sets the scrubber, its strip of events and the words for
 * the event on view. */
let stripN = -1, stripW = 0;

export function drawTimeline(r, full) {
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
  // The strip: one column per slice of the run, marked by what happened
  // in it (checkpoints over signals over faults over syscalls).
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
    // Told apart by place as well as colour: system calls in the upper
    // half, faults in the lower, checkpoints the whole height, signals the
    // whole height and twice as wide.
    ctx.fillStyle = colors[best[x]];
    const [y, h, w] = { 2: [0, 3, 1], 3: [4, 3, 1], 4: [0, 7, 2], 5: [0, 7, 1] }[best[x]];
    ctx.fillRect(x, y, w, h);
  }
}

/** restText says why the views show event i after a run, when they rest
 * there by themselves. */
export function restText(r, i) {
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
