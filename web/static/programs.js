// programs.js: the programs the editor holds: the server's examples (in
// teaching order), loading one with its files and where it comes from, and
// links that open the program again (share, the address bar).

import * as i18n from "./i18n.js";
import { t } from "./i18n.js";
import { pack } from "./link.js";
import { $, P, ui, isEmbed, setStatus, lessonsData } from "./state.js";
import { engineName, failure, reset } from "./run.js";

let examples = [];

/** exampleList is the examples the server offers (once loadExamples ends). */
export function exampleList() { return examples; }

export async function loadExamples() {
  try {
    const data = await P.client.examples();
    examples = Array.isArray(data) ? data : (data && (data.examples || data.items)) || [];
  } catch (e) { examples = []; }
  fillExamples();
}

export function fillExamples() {
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

export async function loadExample(name, { keepLesson } = {}) {
  if (!name) return null;
  let ex = null;
  try { ex = await P.client.example(name); } catch (e) { setStatus(failure(e), true); return null; }
  ex = ex && ex.example ? ex.example : ex;
  ui.example = ex;
  P.editor.value = sourceFor(ex);
  $("file-name").textContent = (ex.name || name) + ".c";
  showFrom();
  const sel = $("example-select");
  if (sel) sel.value = ex.name;
  // An example that runs on the simulated engine only (/dev/demo_dev)
  // switches the engine to it.
  const need = engineName() === "both" ? ["sim", "real"] : [engineName()];
  if (ex.engines && ex.engines.length && need.some((e) => !ex.engines.includes(e))) $("engine").value = ex.engines[0];
  if (!keepLesson && P.lessons.current) P.lessons.close();
  reset();
  return ex;
}

/** sourceFor is the example's program in the page's language: in Chinese
 * its comments are Chinese (source_zh, the same program line for line). */
export function sourceFor(ex) {
  return (ex && ((i18n.getLang() === "zh" && ex.source_zh) || ex.source)) || "";
}

/** unedited reports whether text is example ex as the server gave it, in
 * either language: the student has not changed it. */
export function unedited(ex, text) {
  return !!ex && (text === ex.source || (!!ex.source_zh && text === ex.source_zh));
}

/** showLangSource shows the example in the editor in the page's language
 * when the language changes, unless the student has edited it. */
export function showLangSource() {
  const ex = ui.example;
  if (!unedited(ex, P.editor.value)) return;
  const want = sourceFor(ex);
  if (P.editor.value !== want) P.editor.retext(want);
}

/** showFrom names where the example in the editor comes from, as a
 * reader would ("from the tutorial “Linux之mmap”"), or nothing. */
export function showFrom() {
  const ex = ui.example, el = $("ex-from");
  const from = ex && (i18n.getLang() === "zh" ? ex.from_zh || ex.from : ex.from);
  el.hidden = !from;
  el.textContent = from ? t("from", { from }) : "";
  el.title = el.textContent;
}

/** shareURL is a link that opens this program (compressed, ?z=) or
 * example, with its lesson, engine and language, and runs it. */
export async function shareURL() {
  const u = new URL(location.origin + (isEmbed ? "/embed" : "/"));
  if (unedited(ui.example, P.editor.value)) u.searchParams.set("example", ui.example.name);
  else {
    u.searchParams.set("z", await pack(P.editor.value));
    if (ui.example) u.searchParams.set("files", ui.example.name);
  }
  if (engineName() !== "sim") u.searchParams.set("engine", engineName());
  if (P.lessons.current) u.searchParams.set("lesson", P.lessons.current.id);
  u.searchParams.set("lang", i18n.getLang());
  u.searchParams.set("run", "1");
  return u.toString();
}

export function setURL(changes) {
  if (isEmbed) return;
  const u = new URL(location.href);
  for (const [k, v] of Object.entries(changes)) { if (v == null) u.searchParams.delete(k); else u.searchParams.set(k, v); }
  u.searchParams.delete("run");
  history.replaceState(null, "", u);
}
