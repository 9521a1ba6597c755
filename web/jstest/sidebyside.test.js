import { test } from "node:test";
import assert from "node:assert/strict";
import { unmatched, lines } from "../static/sidebyside.js";

test("lines both kernels printed are matched, the rest marked", () => {
  const sim = ["mapped", "0x7ffff7dd2000", "done"];
  const real = ["mapped", "0x7f3a1c000000", "extra", "done"];
  assert.deepEqual(unmatched(sim, real), { a: [false, true, false], b: [false, true, true, false] });
});

test("the same output marks nothing", () => {
  const u = unmatched(["a", "b"], ["a", "b"]);
  assert.deepEqual(u, { a: [false, false], b: [false, false] });
});

test("an empty column marks every line of the other", () => {
  assert.deepEqual(unmatched([], ["x", "y"]), { a: [], b: [true, true] });
});

test("long outputs are compared line by line", () => {
  const a = Array.from({ length: 3000 }, (_, i) => "l" + i), b = [...a];
  b[7] = "other";
  const u = unmatched(a, b);
  assert.equal(u.a.filter(Boolean).length, 1);
  assert.equal(u.a[7], true);
});

test("output pieces split into lines, each keeping its stream", () => {
  const ls = lines([{ text: "one\ntw", cls: "" }, { text: "o\n", cls: "" }, { text: "bad\n", cls: "err" }]);
  assert.deepEqual(ls, [[{ text: "one", cls: "" }], [{ text: "tw", cls: "" }, { text: "o", cls: "" }], [{ text: "bad", cls: "err" }]]);
  assert.deepEqual(lines([{ text: "no newline", cls: "" }]), [[{ text: "no newline", cls: "" }]]);
});
