// lessons.js: the guided lessons: their text in the page's language, and
// "what to notice", each pointing at (spotlighting) the view that shows it.

import { getLang, t } from "./i18n.js";
import { escapeHTML } from "./eventlog.js";

// The lesson data's view names (data-testid values) and the panels they are in.
const PANEL = {
  "vma-list": "vmas", "page-map": "pagemap", "event-log": "events", "page-walk": "walk",
  "page-cache": "frames", "counters": "counters", "stdout": "stdout",
};

/** bodyHTML renders Markdown-light: paragraphs and `code`. */
export function bodyHTML(s) {
  // Paragraphs are separated by blank lines; lines starting "- " are a list.
  return String(s || "").split(/\n\s*\n/).map((para) => {
    let out = "", text = [], items = [];
    const flushText = () => { if (text.length) out += "<p>" + inline(text.join(" ")) + "</p>"; text = []; };
    const flushList = () => { if (items.length) out += "<ul>" + items.map((i) => "<li>" + inline(i) + "</li>").join("") + "</ul>"; items = []; };
    for (const line of para.trim().split("\n")) {
      const m = /^\s*[-*] (.*)$/.exec(line);
      if (m) { flushText(); items.push(m[1]); }
      else if (items.length && /^\s+\S/.test(line)) items[items.length - 1] += " " + line.trim();
      else { flushList(); text.push(line.trim()); }
    }
    flushText(); flushList();
    return out;
  }).join("");
}

/** inline renders `code` and **bold** in escaped text. */
export function inline(s) {
  return escapeHTML(s).replace(/`([^`]+)`/g, "<code>$1</code>").replace(/\*\*([^*]+)\*\*/g, "<strong>$1</strong>");
}

export class Lessons {
  constructor({ lessons, panel, select, title, num, text, notices, prev, next, close, onOpen, onSpot }) {
    this.lessons = lessons || [];
    this.panel = panel;
    this.select = select;
    this.title = title;
    this.num = num;
    this.text = text;
    this.notices = notices;
    this.onOpen = onOpen;
    this.onSpot = onSpot;
    this.cur = -1;
    this.spotTimer = 0;
    prev.addEventListener("click", () => this.open(this.cur - 1));
    next.addEventListener("click", () => this.open(this.cur + 1));
    close.addEventListener("click", () => this.close());
    if (select) select.addEventListener("change", () => {
      const i = this.lessons.findIndex((l) => l.id === select.value);
      if (i >= 0) this.open(i); else this.close();
    });
    this.fillSelect();
  }

  get current() { return this.cur >= 0 ? this.lessons[this.cur] : null; }

  fillSelect() {
    if (!this.select) return;
    const keep = this.select.options[0];
    keep.textContent = t("choose-lesson");
    this.select.replaceChildren(keep, ...this.lessons.map((l, i) => {
      const o = document.createElement("option");
      o.value = l.id;
      o.textContent = `${i + 1}. ${(l[getLang()] || l.en).title}`;
      return o;
    }));
    this.select.value = this.current ? this.current.id : "";
  }

  openByID(id) {
    const i = this.lessons.findIndex((l) => l.id === id);
    if (i >= 0) this.open(i);
    return i >= 0;
  }

  open(i) {
    if (i < 0 || i >= this.lessons.length) return;
    this.cur = i;
    this.render();
    this.panel.hidden = false;
    this.onOpen && this.onOpen(this.lessons[i]);
  }

  close() {
    this.cur = -1;
    this.panel.hidden = true;
    this.unspot();
    if (this.select) this.select.value = "";
    this.onOpen && this.onOpen(null);
  }

  render() {
    this.fillSelect();
    const l = this.current;
    if (!l) return;
    const tx = l[getLang()] || l.en;
    this.num.textContent = t("lesson-of", { i: this.cur + 1, n: this.lessons.length });
    this.title.textContent = tx.title;
    this.text.innerHTML = bodyHTML(tx.body);
    this.notices.replaceChildren(...(l.notices || []).map((n, k) => {
      const li = document.createElement("li");
      li.innerHTML = inline(n[getLang()] || n.en);
      li.dataset.view = n.view;
      li.setAttribute("data-testid", "notice-" + k);
      li.tabIndex = 0;
      li.addEventListener("click", () => this.spot(n));
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") this.spot(n); });
      return li;
    }));
  }

  /** spot points at a notice's view: a ring around it, scrolled into view. */
  spot(n, quiet) {
    this.unspot();
    const panel = document.querySelector(`[data-view="${PANEL[n.view] || n.view}"]`);
    if (panel) {
      panel.classList.add("spot");
      if (!quiet) panel.scrollIntoView({ behavior: "smooth", block: "nearest" });
    }
    this.onSpot && this.onSpot(n);
    clearTimeout(this.spotTimer);
    if (!quiet) this.spotTimer = setTimeout(() => this.unspot(), 8000);
  }

  unspot() {
    for (const e of document.querySelectorAll(".spot")) e.classList.remove("spot");
    for (const e of document.querySelectorAll(".spot-el")) e.classList.remove("spot-el");
    this.onSpot && this.onSpot(null);
  }
}

/** eventMatcher turns a notice into a predicate over events. */
export function eventMatcher(n) {
  if (!n) return null;
  const types = n.events && n.events.length ? new Set(n.events) : null;
  const calls = n.syscalls && n.syscalls.length ? new Set(n.syscalls) : null;
  const kinds = n.kinds && n.kinds.length ? new Set(n.kinds) : null;
  const path = n.path && n.path.length ? n.path : null;
  if (!types && !calls && !kinds && !path && !n.checkpoint) return null;
  return (ev) => {
    if (types && !types.has(ev.type)) return false;
    if (calls && ev.type === "syscall" && !calls.has(ev.name)) return false;
    if (calls && !types && ev.type !== "syscall") return false;
    if (kinds && ev.type === "fault" && !kinds.has(ev.kind)) return false;
    if (kinds && !types && ev.type !== "fault") return false;
    // Kernel functions narrow the events that report a path (syscalls,
    // faults); events without one are not held to it.
    if (path && ev.path && ev.path.length && !path.some((p) => ev.path.includes(p))) return false;
    if (path && !types && !(ev.path && path.some((p) => ev.path.includes(p)))) return false;
    if (n.checkpoint && !types && !(ev.type === "checkpoint" && ev.label === n.checkpoint)) return false;
    return true;
  };
}

