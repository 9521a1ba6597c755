// panels.js: the embed page in a tutorial's iframe shows only the panels
// ?panels= lists: code, output, areas, pagemap, log, walk, frames,
// counters. panelViews reads the list (pure, tested under node);
// choosePanels hides the rest, and the panes and splitters left empty.

/** PANELS maps each name ?panels= takes to the view it shows. */
export const PANELS = { code: "editor", output: "stdout", areas: "vmas", vmas: "vmas", pagemap: "pagemap", log: "events", events: "events",
  walk: "walk", frames: "frames", counters: "counters" };

const TABS = ["walk", "frames", "counters"];

/** EMBED_PANELS is what /embed shows when its link names no panels: the
 * program, its output, the page map and the log, which fit an 800x600
 * iframe; the whole page is a link away ("Open in the playground"). */
export const EMBED_PANELS = "code,output,pagemap,log";

/** panelList is the ?panels= list a page shows: the link's, else the
 * embed's default, else none (the whole page). */
export function panelList(asked, embed) {
  if (panelViews(asked).names.length) return asked;
  return embed ? EMBED_PANELS : "";
}

/** panelViews is what a ?panels= list shows: the panels' views and the
 * details tabs, in the list's order; unknown names are left out. */
export function panelViews(list) {
  const names = String(list || "").split(",").map((s) => s.trim().toLowerCase()).filter((n) => n in PANELS);
  const views = new Set(names.map((n) => PANELS[n]));
  return { names, views, tabs: TABS.filter((x) => views.has(x)) };
}

/** choosePanels shows in doc only the panels list names (nothing changes
 * for a list naming none); onTab(name) shows the first tab kept. */
export function choosePanels(doc, list, onTab) {
  const { names, views, tabs } = panelViews(list);
  if (!names.length) return;
  for (const view of ["editor", "stdout", "vmas", "pagemap", "events"]) {
    const el = doc.querySelector(`.pane > [data-view="${view}"]`);
    if (el) el.hidden = !views.has(view);
  }
  doc.querySelector('[data-view="details"]').hidden = !tabs.length;
  for (const b of doc.querySelectorAll("#detail-tabs [data-tab]")) b.hidden = !tabs.includes(b.dataset.tab);
  if (tabs.length) onTab(tabs[0]);
  for (const pane of doc.querySelectorAll(".pane")) {
    const shown = [...pane.children].filter((c) => c.classList.contains("panel") && !c.hidden);
    pane.hidden = !shown.length;
    // The panels left share the pane.
    for (const c of shown) c.style.flex = "1 1 0";
  }
  for (const sp of doc.querySelectorAll(".split")) {
    const prev = sp.previousElementSibling, next = sp.nextElementSibling;
    sp.hidden = !prev || !next || prev.hidden || next.hidden;
  }
  // The program's pane is the widest: its lines are longer than a log row.
  for (const p of [...doc.querySelectorAll(".pane")].filter((x) => !x.hidden))
    p.style.flex = views.has("editor") && p.querySelector('[data-view="editor"]') ? "5 1 0" : "4 1 0";
  doc.body.dataset.panels = names.join(",");
}
