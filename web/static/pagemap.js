// pagemap.js: one cell per page of an area, coloured by its state, drawn
// into ImageData on a canvas. Only the rows in view are drawn (the canvas
// stays the size of its window while a spacer gives the scroll height), and
// redraws are coalesced into one per animation frame, so a 1 GiB area of
// 262,144 pages stays smooth while its faults stream in.

import { PAGE_STATES, PAGE, bitsString, hex, size } from "./model.js";
import { t } from "./i18n.js";
import { cellPixels } from "./patterns.js";

// Cell sizes in CSS pixels: a 1 GiB area at 1, one page at 64.
const ZOOMS = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64];

/** stateColors reads the --pg-* colours from the style sheet as RGBA. */
export function stateColors() {
  return PAGE_STATES.map((s) => cssColor("--pg-" + s));
}

/** cssColor reads a #rrggbb custom property of the style sheet as RGB. */
export function cssColor(name) {
  const c = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const m = /^#([0-9a-f]{6})$/i.exec(c);
  const n = m ? parseInt(m[1], 16) : 0xcccccc;
  return [n >> 16, (n >> 8) & 255, n & 255];
}

export class PageMap {
  constructor({ canvas, wrap, card, zoomLabel, onPick, onHover }) {
    this.canvas = canvas;
    this.wrap = wrap;
    this.card = card;
    this.zoomLabel = zoomLabel;
    this.onPick = onPick;
    this.onHover = onHover;
    this.ctx = canvas.getContext("2d", { alpha: false });
    this.colors = stateColors();
    this.bg = cssColor("--map-bg");
    this.ink = cssColor("--ink");
    this.cellPx = null; // each state's pattern at the cell size drawn
    // The colours follow the theme (light, dark, projector).
    const recolor = () => { this.colors = stateColors(); this.bg = cssColor("--map-bg"); this.ink = cssColor("--ink"); this.cellPx = null; this.request(true); };
    if (window.matchMedia) window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", recolor);
    this.recolor = recolor;
    this.proc = null;
    this.vma = null;
    this.zoomIdx = 3;
    this.autoZoom = true;
    this.pending = false;
    this.drawn = 0; // how many draws, for tests
    this.lastVersion = -1;
    this.states = new Uint8Array(0);
    this.spacer = document.createElement("div");
    this.spacer.className = "pm-space";
    canvas.after(this.spacer);
    canvas.style.position = "sticky";
    canvas.style.top = "0";
    this.spacer.style.height = "0px";
    wrap.addEventListener("scroll", () => this.request());
    new ResizeObserver(() => this.request(true)).observe(wrap);
    canvas.addEventListener("mousemove", (e) => this.hover(e));
    canvas.addEventListener("mouseleave", () => { this.card.hidden = true; });
    // The keyboard: arrow keys move a cursor over the pages, Enter walks
    // the page under it.
    this.cursor = -1;
    canvas.addEventListener("keydown", (e) => this.key(e));
    canvas.addEventListener("focus", () => { if (this.cursor < 0) this.cursor = 0; this.request(); this.showCursor(); });
    canvas.addEventListener("blur", () => { this.card.hidden = true; this.request(); });
    canvas.addEventListener("click", (e) => {
      const a = this.addrAt(e);
      if (a != null) this.onPick && this.onPick(a);
    });
  }

  get zoom() { return ZOOMS[this.zoomIdx]; }

  key(e) {
    if (!this.vma) return;
    const n = (this.vma.end - this.vma.start) / PAGE;
    const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -this.cols, ArrowDown: this.cols, PageUp: -this.cols * 8, PageDown: this.cols * 8 }[e.key];
    if (step) this.cursor = Math.max(0, Math.min(n - 1, this.cursor + step));
    else if (e.key === "Home") this.cursor = 0;
    else if (e.key === "End") this.cursor = n - 1;
    else if (e.key === "Enter" || e.key === " ") { this.onPick && this.onPick(this.vma.start + Math.max(0, this.cursor) * PAGE); }
    else return;
    e.preventDefault();
    e.stopPropagation();
    // Keep the cursor's row in view.
    const rowY = Math.floor(this.cursor / this.cols) * this.cell / this.dpr;
    if (rowY < this.wrap.scrollTop || rowY > this.wrap.scrollTop + this.viewCss - this.cell / this.dpr) this.wrap.scrollTop = Math.max(0, rowY - this.viewCss / 2);
    this.request();
    this.showCursor();
  }

  /** showCursor shows the hover card for the page under the cursor. */
  showCursor() {
    if (!this.vma || this.cursor < 0) return;
    const r = this.canvas.getBoundingClientRect();
    const cell = this.cell / this.dpr;
    const x = r.left + (this.cursor % this.cols) * cell + cell / 2;
    const y = r.top + Math.floor(this.cursor / this.cols) * cell - this.wrap.scrollTop + cell / 2;
    this.hover({ clientX: x, clientY: y });
  }

  zoomBy(d) {
    this.autoZoom = false;
    this.zoomIdx = Math.max(0, Math.min(ZOOMS.length - 1, this.zoomIdx + d));
    this.request(true);
  }

  /** show selects the area to draw (proc and vma may be null). */
  show(proc, vma) {
    const same = this.proc === proc && this.vma && vma && this.vma.start === vma.start && this.vma.end === vma.end;
    this.proc = proc;
    this.vma = vma;
    if (!same) {
      this.card.hidden = true;
      this.autoZoom = true;
      this.wrap.scrollTop = 0;
    }
    this.request(true);
  }

  /** request schedules a redraw on the next animation frame. */
  request(layout) {
    if (layout) this.needLayout = true;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => { this.pending = false; this.draw(); });
  }

  /** changed redraws if the process's pages changed since the last draw. */
  changed() {
    if (this.proc && this.proc.version !== this.lastVersion) this.request();
  }

  layout() {
    const n = this.vma ? (this.vma.end - this.vma.start) / PAGE : 0;
    const dpr = window.devicePixelRatio || 1;
    const cssW = Math.max(100, this.wrap.clientWidth - 2);
    // The map fills its pane: the rows in view are the pane's height.
    const avail = Math.max(40, this.wrap.clientHeight - 2);
    if (this.autoZoom && n) {
      // The largest cells that show the whole area in the pane.
      let best = 0;
      for (let i = 0; i < ZOOMS.length; i++) {
        const z = ZOOMS[i];
        const cols = Math.floor(cssW / z);
        if (Math.ceil(n / cols) * z <= avail) best = i;
      }
      this.zoomIdx = best;
    }
    const z = this.zoom;
    this.cell = Math.max(1, Math.round(z * dpr));
    this.cols = Math.max(1, Math.floor((cssW * dpr) / this.cell));
    this.rows = Math.ceil(n / this.cols);
    const totalCss = (this.rows * this.cell) / dpr;
    const viewCss = Math.min(totalCss, avail);
    this.dpr = dpr;
    this.cssW = cssW;
    this.viewCss = Math.max(viewCss, n ? z : 40);
    const w = Math.floor(cssW * dpr), h = Math.ceil(this.viewCss * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.image = null;
    }
    this.canvas.style.width = cssW + "px";
    this.canvas.style.height = this.viewCss + "px";
    this.spacer.style.height = Math.max(0, totalCss - this.viewCss) + "px";
    // The spacer after the sticky canvas gives the scroll height; the canvas
    // stays in view and draws the rows scrolled to.
    this.zoomLabel.textContent = z + "×";
    this.needLayout = false;
  }

  draw() {
    const t0 = performance.now();
    if (this.needLayout || !this.image) this.layout();
    const W = this.canvas.width, H = this.canvas.height;
    if (!this.image || this.image.width !== W || this.image.height !== H) {
      this.image = this.ctx.createImageData(W, H);
      this.px = new Uint32Array(this.image.data.buffer);
    }
    const px = this.px;
    const [br, bgr, bb] = this.bg || [250, 251, 252];
    const bg = (0xff000000 | (bb << 16) | (bgr << 8) | br) >>> 0; // ABGR of --map-bg
    px.fill(bg);
    const n = this.vma ? (this.vma.end - this.vma.start) / PAGE : 0;
    if (this.proc && n) {
      const abgr = this.colors.map(([r, g, b]) => (0xff000000 | (b << 16) | (g << 8) | r) >>> 0);
      const cell = this.cell, cols = this.cols;
      const gap = cell >= 5 ? 1 : 0;
      const scrollDev = Math.round(this.wrap.scrollTop * this.dpr);
      const row0 = Math.floor(scrollDev / cell);
      const yoff = row0 * cell - scrollDev;
      const visRows = Math.ceil((H - yoff) / cell) + 1;
      const first = row0 * cols;
      const count = Math.max(0, Math.min(n - first, visRows * cols));
      if (this.states.length < count) this.states = new Uint8Array(count);
      const st = this.proc.states(this.vma.start / PAGE + first, count, this.states);
      const inner = cell - gap;
      // Cells large enough to show a pattern show their state's (patterns.js):
      // the states told apart by shape as well as colour.
      const pat = inner >= 5;
      if (pat && (!this.cellPx || this.cellPx.n !== inner)) {
        const pack = ([r, g, b]) => (0xff000000 | (b << 16) | (g << 8) | r) >>> 0;
        this.cellPx = { n: inner, px: cellPixels(inner, abgr, bg, pack(this.ink || [0, 0, 0])) };
      }
      for (let i = 0; i < count; i++) {
        const r = Math.floor(i / cols), c = i - r * cols;
        const x0 = c * cell, y0 = yoff + r * cell;
        const color = abgr[st[i]];
        if (cell === 1) {
          if (y0 >= 0 && y0 < H) px[y0 * W + x0] = color;
          continue;
        }
        if (pat) {
          const cp = this.cellPx.px[st[i]];
          for (let y = Math.max(0, y0); y < Math.min(H, y0 + inner); y++) {
            const k = (y - y0) * inner;
            px.set(cp.subarray(k, k + inner), y * W + x0);
          }
          continue;
        }
        for (let y = Math.max(0, y0); y < Math.min(H, y0 + inner); y++) {
          const rowBase = y * W + x0;
          px.fill(color, rowBase, rowBase + inner);
        }
      }
    }
    this.ctx.putImageData(this.image, 0, 0);
    if (document.activeElement === this.canvas && this.cursor >= 0 && this.vma) {
      // The keyboard's cursor: a ring around its cell.
      const cell = this.cell;
      const scrollDev = Math.round(this.wrap.scrollTop * this.dpr);
      const cx = (this.cursor % this.cols) * cell, cy = Math.floor(this.cursor / this.cols) * cell - scrollDev;
      this.ctx.lineWidth = Math.max(2, Math.round(this.dpr * 2));
      this.ctx.strokeStyle = getComputedStyle(document.documentElement).getPropertyValue("--ink").trim() || "#000";
      this.ctx.strokeRect(cx + 1, cy + 1, Math.max(3, cell - 2), Math.max(3, cell - 2));
    }
    this.lastVersion = this.proc ? this.proc.version : -1;
    this.drawn++;
    this.lastDrawMs = performance.now() - t0;
    this.lastDrawAt = performance.now();
  }

  addrAt(e) {
    if (!this.vma) return null;
    const r = this.canvas.getBoundingClientRect();
    const x = (e.clientX - r.left) * this.dpr, y = (e.clientY - r.top + this.wrap.scrollTop) * this.dpr;
    const c = Math.floor(x / this.cell), row = Math.floor(y / this.cell);
    if (c >= this.cols) return null;
    const i = row * this.cols + c;
    const n = (this.vma.end - this.vma.start) / PAGE;
    if (i < 0 || i >= n) return null;
    return this.vma.start + i * PAGE;
  }

  hover(e) {
    const a = this.addrAt(e);
    if (a == null || !this.proc) { this.card.hidden = true; return; }
    const pg = this.proc.page(a / PAGE);
    const st = PAGE_STATES[pg.st];
    const v = this.vma;
    const idx = (a - v.start) / PAGE;
    const rows = [
      [t("addr"), `<code>${hex(a)}</code> <span class="k">(${t("page")} ${idx.toLocaleString()} ${t("of")} ${((v.end - v.start) / PAGE).toLocaleString()})</span>`],
      [t("state"), `<span class="st" style="background:var(--pg-${st})">${t("st-" + st)}</span>`],
      [t("bits"), `<code>${pg.bits ? bitsString(pg.bits) : "—"}</code>`],
      [t("frame"), pg.pfn ? `<code>pfn ${pg.pfn}</code>` : "—"],
    ];
    if (v.file && !v.file.startsWith("[")) rows.push([v.file, `<code>offset ${hex(v.offset + idx * PAGE)}</code>`]);
    const others = (this.onHover ? this.onHover(pg.pfn) : []).filter((m) => !(m.addr === a && m.pid === this.proc.pid));
    if (others.length) rows.push([t("mappers"), others.map((m) => `pid ${m.pid} <code>${hex(m.addr)}</code>`).join("<br>")]);
    this.card.innerHTML = rows.map(([k, v]) => `<div><span class="k">${k}:</span> ${v}</div>`).join("");
    this.card.hidden = false;
    // The card lives in the panel, outside the scrolling map, so that it is
    // never clipped.
    const pr = this.card.offsetParent ? this.card.offsetParent.getBoundingClientRect() : this.wrap.getBoundingClientRect();
    let x = e.clientX - pr.left + 14, y = e.clientY - pr.top + 14;
    if (x + 280 > pr.width) x = Math.max(0, e.clientX - pr.left - 290);
    this.card.style.left = x + "px";
    this.card.style.top = y + "px";
  }
}

export { size };
