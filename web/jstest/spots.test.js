import "./browserless.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { S, ui } from "../static/state.js";
import { showArea } from "../static/spots.js";

test("a moment's area goes on the page map: its file, or the program's own anonymous mapping", () => {
  const events = [
    { seq: 1, type: "exec", pid: 1, vma: { start: 0x400000, end: 0x401000, file: "prog" } },
    { seq: 2, type: "vma", op: "add", why: "brk", pid: 1, vma: { start: 0x405000, end: 0x426000, file: "" } },
    { seq: 3, type: "vma", op: "add", why: "mmap", pid: 1, vma: { start: 0x7f0000000000, end: 0x7f0000001000, file: "data.bin" } },
    { seq: 4, type: "vma", op: "add", why: "mmap", pid: 1, vma: { start: 0x7f0000010000, end: 0x7f0000020000, file: "" } },
    { seq: 5, type: "checkpoint", pid: 1, label: "mapped" },
  ];
  S.run = { events };
  showArea(events[4], "data.bin");
  assert.equal(ui.vmaStart, 0x7f0000000000);
  showArea(events[4], "anon");
  assert.equal(ui.vmaStart, 0x7f0000010000, "anon is a mapping mmap made, not the heap");
  assert.equal(ui.procKey, "1");
});
