// patterns.js: each page state's pattern, so that the states are told apart
// by shape as well as by colour: in forced-colors mode (a high-contrast
// theme replaces the page's colours, though not a canvas's), on a grey
// projector, and for a student who does not tell the colours apart. The page
// map draws its cells with them once they are large enough to show one, and
// the legends draw their swatches with the same function, so the key is the
// map.

import { PAGE_STATES } from "./linux.js";

/** PATTERN is each page state's (engine.PageState's names) pattern. */
export const PATTERN = {
  none: "outline", // not present: an empty square
  zero: "dot", // the shared zero page
  clean: "solid",
  dirty: "diagonal",
  cow: "triangle", // copy-on-write: half of it
  swapped: "hstripes",
  locked: "framed", // mlocked: a dark frame around it
  device: "vstripes",
};

// What a pixel of a pattern is.
export const BG = 0, COLOR = 1, INK = 2;

/** mask is what pixel (x, y) of an n×n cell with pattern p is: BG (the
 * map's ground), COLOR (the state's colour) or INK (the page's text colour). */
export function mask(p, x, y, n) {
  const u = Math.max(1, Math.round(n / 7)); // a line's width
  const per = Math.max(2, 2 * u); // a stripe and its gap
  const edge = x < u || y < u || x >= n - u || y >= n - u;
  switch (p) {
    case "outline": return edge ? COLOR : BG;
    case "dot": { const a = Math.round(n * 0.4), b = n - a; return x >= a && x < b && y >= a && y < b ? COLOR : BG; }
    case "solid": return COLOR;
    case "diagonal": return (x + y) % per < per / 2 ? COLOR : BG;
    case "triangle": return x + y < n ? COLOR : BG;
    case "hstripes": return y % per < per / 2 ? COLOR : BG;
    case "framed": return edge ? INK : COLOR;
    case "vstripes": return x % per < per / 2 ? COLOR : BG;
  }
  return COLOR;
}

/** cellPixels is an n×n cell of each page state, as 32-bit pixels (the
 * canvas's byte order): colors[i] the state's, bg the ground's, ink the
 * frame's, each a packed pixel. */
export function cellPixels(n, colors, bg, ink) {
  return PAGE_STATES.map((s, i) => {
    const out = new Uint32Array(n * n);
    const p = PATTERN[s];
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
      const m = mask(p, x, y, n);
      out[y * n + x] = m === COLOR ? colors[i] : m === INK ? ink : bg;
    }
    return out;
  });
}

/** drawSwatch draws state's pattern on a swatch canvas of css×css CSS
 * pixels, in rgb colours [r, g, b]. */
export function drawSwatch(canvas, state, css, color, bg, ink) {
  const dpr = (typeof window !== "undefined" && window.devicePixelRatio) || 1;
  const n = Math.max(4, Math.round(css * dpr));
  canvas.width = canvas.height = n;
  canvas.style.width = canvas.style.height = css + "px";
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(n, n);
  const p = PATTERN[state];
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) {
    const m = mask(p, x, y, n);
    const [r, g, b] = m === COLOR ? color : m === INK ? ink : bg;
    const k = (y * n + x) * 4;
    img.data[k] = r; img.data[k + 1] = g; img.data[k + 2] = b; img.data[k + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}
