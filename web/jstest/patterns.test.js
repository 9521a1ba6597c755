import { test } from "node:test";
import assert from "node:assert/strict";
import { PATTERN, mask, cellPixels, COLOR } from "../static/patterns.js";
import { PAGE_STATES } from "../static/linux.js";

test("every page state has a pattern, each its own", () => {
  assert.deepEqual(Object.keys(PATTERN).sort(), [...PAGE_STATES].sort());
  assert.equal(new Set(Object.values(PATTERN)).size, PAGE_STATES.length);
});

test("the patterns differ in shape at every cell size the map draws them, not in colour alone", () => {
  for (const n of [5, 6, 7, 11, 14, 23, 28]) {
    // Where each pattern has its state's colour: no two alike.
    const shapes = PAGE_STATES.map((s) => {
      let bits = "";
      for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) bits += mask(PATTERN[s], x, y, n) === COLOR ? "1" : "0";
      return bits;
    });
    assert.equal(new Set(shapes).size, shapes.length, `cells of ${n} px`);
  }
});

test("a cell's pixels are its state's colour, the ground's and the frame's", () => {
  const colors = PAGE_STATES.map((_, i) => 100 + i);
  const cells = cellPixels(6, colors, 1, 2);
  assert.equal(cells.length, PAGE_STATES.length);
  const clean = cells[PAGE_STATES.indexOf("clean")];
  assert.ok(clean.every((p) => p === colors[PAGE_STATES.indexOf("clean")]), "clean is solid");
  const locked = cells[PAGE_STATES.indexOf("locked")];
  assert.ok(locked.includes(2) && locked.includes(colors[PAGE_STATES.indexOf("locked")]), "locked is framed");
});
