import { test } from "node:test";
import assert from "node:assert/strict";
import { bracketPairs, matchAt, enterText, outdent, highlight } from "../static/editor.js";

test("brackets pair across lines, nested", () => {
  const src = "int main(void)\n{\n\tif (a[1]) { f(); }\n}\n";
  const p = bracketPairs(src);
  assert.equal(p.get(src.indexOf("{")), src.lastIndexOf("}"));
  assert.equal(p.get(src.indexOf("[")), src.indexOf("]"));
  assert.equal(p.get(src.indexOf("f(") + 1), src.indexOf("f(") + 2);
});

test("brackets in comments, strings and characters do not count", () => {
  const src = `f("(", '{', /* [ */ x) // )`;
  const p = bracketPairs(src);
  assert.equal(p.get(1), src.indexOf("x)") + 1);
  assert.equal(p.size, 2);
});

test("an unmatched or mismatched bracket has no partner", () => {
  assert.deepEqual(matchAt("f(x", 2), { at: 1, to: -1 });
  assert.equal(bracketPairs("(]").get(1), -1);
  assert.equal(bracketPairs("(]").get(0), -1);
});

test("the bracket before the cursor, else the one after it", () => {
  assert.deepEqual(matchAt("f(x)", 4), { at: 3, to: 1 });
  assert.deepEqual(matchAt("f(x)", 1), { at: 1, to: 3 });
  assert.equal(matchAt("f(x) y", 6), null);
});

test("Enter keeps the indentation, one more after {, and opens a {} pair", () => {
  assert.deepEqual(enterText("\tx = 1;", 7, 7), { text: "\n\t", back: 0 });
  assert.deepEqual(enterText("\tif (x) {", 9, 9), { text: "\n\t\t", back: 0 });
  assert.deepEqual(enterText("int main(void) {}", 16, 16), { text: "\n\t\n", back: 1 });
  assert.deepEqual(enterText("    if (x) {", 12, 12), { text: "\n        ", back: 0 }, "spaces stay spaces");
  assert.equal(enterText("x = 1;", 6, 6), null, "no indentation: a plain newline");
});

test("} goes one level out", () => {
  assert.equal(outdent("\t\t"), "\t");
  assert.equal(outdent("        "), "    ");
  assert.equal(outdent("  "), "");
});

test("highlight classes C tokens", () => {
  assert.equal(highlight("int x; // hi"), '<span class="hl-ty">int</span> x; <span class="hl-com">// hi</span>');
});
