// app.js: the page's entry point. It makes the page's pieces (the editor,
// the page map, the event log, the area lists, the lessons, the API
// client), wires the controls, the keys and the language to them, and
// starts: the example, lesson or link the address names, run at once with
// run=1.
//
// The work is done by modules, one concern each (state.js lists them):
// run.js, timeline.js, draw.js, serverstate.js, spots.js, programs.js,
// keys.js, panels.js.

import * as i18n from "./i18n.js";
import { t } from "./i18n.js";
import { ResumingClient } from "./resume.js";
import { Model } from "./model.js";
import { Editor } from "./editor.js";
import { PageMap } from "./pagemap.js";
import { EventLog } from "./eventlog.js";
import { VMAView, renderCounters, renderLegend, renderAreaLegend, renderWalk, renderFrames } from "./views.js";
import { Lessons } from "./lessons.js";
import { splitters, Tabs } from "./layout.js";
import { unpack, srcText, copyText } from "./link.js";
import { $, S, P, ui, params, isEmbed, setStatus, lessonsData } from "./state.js";
import { Run, runFree, step, pause, cont, back, reset, buttons } from "./run.js";
import { curIndex, goTo, showAt, viewModel } from "./timeline.js";
import { update, idle, pickProc, counterpart, timePagemap } from "./draw.js";
import { walkTo } from "./serverstate.js";
import { spot } from "./spots.js";
import { loadExamples, exampleList, fillExamples, loadExample, showFrom, showLangSource, shareURL, setURL } from "./programs.js";
import { keyAction, keysHTML } from "./keys.js";
import { choosePanels, panelList } from "./panels.js";

// A session survives its server's restart or a move to another replica
// (resume.js); a real-engine run that cannot move is said plainly.
const client = (P.client = new ResumingClient(document.body.dataset.api, { onLost: (msg) => setStatus(msg, true) }));

// ------------------------------------------------------------ the pieces

const editor = (P.editor = new Editor({ textarea: $("source"), pre: $("highlight"), gutter: $("gutter"), diagnostics: $("diagnostics"), onRun: () => runFree(), onLeave: () => $("run").focus() }));
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

const pagemap = (P.pagemap = new PageMap({
  canvas: $("page-map"), wrap: $("pm-wrap"), card: $("hover-card"), zoomLabel: $("zoom-level"),
  onPick: (addr) => walkTo(addr),
  onHover: (pfn) => {
    const m = viewModel();
    return pfn ? m.mappers(pfn).slice(0, 6) : [];
  },
}));
const eventLog = (P.eventLog = new EventLog({ el: $("event-log"), spacer: $("ev-spacer"), filters: $("ev-filters"), count: $("ev-count"), onSelect: (i) => showAt(i) }));
P.vmaView = new VMAView({
  list: $("vma-list"), scale: $("vma-scale"), tabs: $("proc-tabs"),
  onSelect: (v) => { ui.vmaStart = v.start; ui.vmaUser = true; update(true); },
  onSelectProc: (key) => { ui.procKey = key; ui.vmaStart = null; ui.vmaUser = false; update(true); },
});

P.otherView = new VMAView({ list: $("vma-list-other"), scale: null, tabs: null, onSelect: (v) => { ui.procKey = counterpart(viewModel(), pickProc(viewModel()))?.key || ui.procKey; ui.vmaStart = v.start; ui.vmaUser = true; update(true); }, onSelectProc: () => {} });

const lessons = (P.lessons = new Lessons({
  lessons: lessonsData, panel: $("lesson"), select: $("lesson-select"), title: $("lesson-title"), num: $("lesson-num"),
  text: $("lesson-text"), notices: $("lesson-notice"), prev: $("lesson-prev"), next: $("lesson-next"), close: $("lesson-close"),
  onOpen: (l) => { document.querySelector('[data-split="lesson"]').hidden = !l; if (l) { loadExample(l.example, { keepLesson: true }); setURL({ lesson: l.id, example: null, src: null }); } else setURL({ lesson: null }); },
  onSpot: (n) => spot(n),
}));

S.run = new Run("stream");
timePagemap();

// ----------------------------------------------------------------- wiring

$("run").addEventListener("click", () => runFree());
$("step-syscall").addEventListener("click", (e) => step("syscall", e.shiftKey ? -1 : 1));
$("step-fault").addEventListener("click", (e) => step("fault", e.shiftKey ? -1 : 1));
$("step-checkpoint").addEventListener("click", (e) => step("checkpoint", e.shiftKey ? -1 : 1));
$("tl-first").addEventListener("click", () => goTo(0));
$("tl-prev").addEventListener("click", () => goTo(curIndex() - 1));
$("tl-next").addEventListener("click", () => goTo(curIndex() + 1));
$("tl-last").addEventListener("click", () => goTo(S.run.events.length - 1));
$("scrubber").addEventListener("input", () => goTo(+$("scrubber").value));
$("pause").addEventListener("click", () => pause());
$("continue").addEventListener("click", () => cont());
$("back").addEventListener("click", () => back());
$("reset").addEventListener("click", () => reset());
$("walk-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const s = $("walk-addr").value.trim();
  const a = s.startsWith("0x") ? parseInt(s.slice(2), 16) : parseInt(s, 10);
  if (Number.isFinite(a)) walkTo(a - (a % 1));
});

// Keys: Ctrl+Enter runs from anywhere; outside the editor and the form
// fields, the timeline's keys move through the S.run (the Keys box lists them).
const renderKeys = () => { $("keys").innerHTML = keysHTML(t); };
document.addEventListener("keydown", (e) => {
  const a = keyAction(e, !$("keys").hidden);
  if (!a) return;
  switch (a.do) {
    case "run": runFree(); break;
    case "wrap": setWrap(!P.editor.wrap); break;
    case "close-keys": { $("keys").hidden = true; const k = $("keys-help"); if (k) k.setAttribute("aria-expanded", "false"); return; }
    case "next": goTo(curIndex() + 1); break;
    case "prev": goTo(curIndex() - 1); break;
    case "first": goTo(0); break;
    case "last": goTo(S.run.events.length - 1); break;
    default: step(a.do, a.dir);
  }
  e.preventDefault();
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
P.tabs = new Tabs($("detail-tabs"), document, () => update(true));
$("lesson-fold").addEventListener("click", () => {
  const l = $("lesson");
  const folded = l.classList.toggle("folded");
  $("lesson-fold").textContent = t(folded ? "unfold" : "fold");
  $("lesson-fold").setAttribute("aria-expanded", String(!folded));
  pagemap.request(true);
});
$("zoom-in").addEventListener("click", () => pagemap.zoomBy(1));
$("zoom-out").addEventListener("click", () => pagemap.zoomBy(-1));
for (const id of ["engine", "ram", "fault-around"]) $(id).addEventListener("change", () => { if (S.run.done) reset(); });
if (document.body.dataset.real !== "1") {
  // This host cannot S.run programs on its real kernel: offer the model only.
  for (const o of $("engine").options) if (o.value !== "sim") { o.disabled = true; o.title = t("real-unavailable"); }
}
const exSel = $("example-select");
if (exSel) exSel.addEventListener("change", async () => {
  if (!exSel.value) return;
  await loadExample(exSel.value);
  setURL({ example: exSel.value, src: null, lesson: null, files: null });
});
for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => i18n.setLang(b.dataset.lang));
i18n.onLang(() => { S.run.exitShown = false; eventLog.refilter(); eventLog.buildFilters($("ev-filters")); if (!$("keys").hidden) renderKeys(); $("lesson-fold").textContent = t($("lesson").classList.contains("folded") ? "unfold" : "fold"); renderAreaLegend($("vma-legend")); lessons.render(); lessons.fillSelect(); fillExamples(); showLangSource(); showFrom(); renderCounters($("counters"), viewModel().counters); update(true); if (S.run.done && !S.run.exited) setStatus(t("ready")); });
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
window.addEventListener("pagehide", () => { if (S.session) client.deleteSession(S.session.id); if (S.replaySess) client.deleteSession(S.replaySess.id); });

// ----------------------------------------------------------------- start

async function start() {
  i18n.apply(document);
  const panels = panelList(params.get("panels"), isEmbed);
  if (panels) choosePanels(document, panels, (tab) => P.tabs.show(tab));
  renderAreaLegend($("vma-legend"));
  renderLegend($("legend"));
  renderCounters($("counters"), new Model().counters);
  renderWalk($("page-walk"), null);
  renderFrames($("page-cache"), new Model(), null);
  S.run.done = true;
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
    const examples = exampleList();
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
window.__pg = { run: () => S.run, client, pagemap, eventLog, editor, lessons, ui, update, showAt, idle };
