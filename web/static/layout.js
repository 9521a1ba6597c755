// layout.js: the one-screen layout's moving parts: splitters between panes
// (drag them, or focus one and press the arrow keys; sizes are remembered),
// and the tabs of the details panel (walk, frames, counters).

const KEY = "mmap-playground.layout";

function load() {
  try { return JSON.parse(localStorage.getItem(KEY) || "{}") || {}; } catch (e) { return {}; }
}
function save(sizes) {
  try { localStorage.setItem(KEY, JSON.stringify(sizes)); } catch (e) { /* storage off */ }
}

/** splitters wires every .split under root: each resizes the element
 * before it (a pane, or a panel in a pane), in pixels. onResize is called
 * after a change. */
export function splitters(root, onResize) {
  const sizes = load();
  for (const sp of root.querySelectorAll(".split")) {
    const name = sp.dataset.split;
    const vertical = sp.classList.contains("col-split");
    const target = () => {
      let e = sp.previousElementSibling;
      while (e && e.hidden) e = e.previousElementSibling;
      return e;
    };
    const apply = (px) => {
      const t = target();
      if (!t) return;
      const parent = sp.parentElement.getBoundingClientRect();
      const max = (vertical ? parent.width : parent.height) - 120;
      const v = Math.max(60, Math.min(max, px));
      t.style.flex = `0 0 ${v}px`;
      sizes[name] = v;
    };
    if (sizes[name]) requestAnimationFrame(() => apply(sizes[name]));
    sp.addEventListener("pointerdown", (e) => {
      const t = target();
      if (!t) return;
      e.preventDefault();
      sp.setPointerCapture(e.pointerId);
      sp.classList.add("drag");
      const r0 = t.getBoundingClientRect();
      const start = vertical ? e.clientX : e.clientY;
      const base = vertical ? r0.width : r0.height;
      const move = (m) => { apply(base + (vertical ? m.clientX : m.clientY) - start); onResize && onResize(); };
      const up = () => {
        sp.classList.remove("drag");
        sp.removeEventListener("pointermove", move);
        sp.removeEventListener("pointerup", up);
        save(sizes);
      };
      sp.addEventListener("pointermove", move);
      sp.addEventListener("pointerup", up);
    });
    sp.addEventListener("keydown", (e) => {
      const d = { ArrowLeft: -1, ArrowUp: -1, ArrowRight: 1, ArrowDown: 1 }[e.key];
      if (!d) return;
      const t = target();
      if (!t) return;
      e.preventDefault();
      const r = t.getBoundingClientRect();
      apply((vertical ? r.width : r.height) + d * (e.shiftKey ? 80 : 20));
      save(sizes);
      onResize && onResize();
    });
  }
}

/** Tabs switches the panels of a tab list: buttons with data-tab, bodies
 * with data-tabbody. */
export class Tabs {
  constructor(list, root, onShow) {
    this.list = list;
    this.root = root;
    this.onShow = onShow;
    for (const b of list.querySelectorAll("[data-tab]")) {
      b.addEventListener("click", () => this.show(b.dataset.tab));
      b.addEventListener("keydown", (e) => {
        const all = [...list.querySelectorAll("[data-tab]")];
        const i = all.indexOf(b);
        const j = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : -1;
        if (j < 0 && e.key !== "ArrowLeft") return;
        e.preventDefault();
        const n = all[(j + all.length) % all.length];
        this.show(n.dataset.tab);
        n.focus();
      });
    }
  }

  get current() {
    const b = this.list.querySelector('[aria-selected="true"]');
    return b ? b.dataset.tab : "";
  }

  show(name) {
    for (const b of this.list.querySelectorAll("[data-tab]")) {
      const on = b.dataset.tab === name;
      b.setAttribute("aria-selected", String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const body of this.root.querySelectorAll("[data-tabbody]")) body.hidden = body.dataset.tabbody !== name;
    this.onShow && this.onShow(name);
  }
}
