import { test } from "node:test";
import assert from "node:assert/strict";
import { keyAction, keysHTML, KEYS } from "../static/keys.js";

// A key press as keyAction reads it: a key, modifiers, and the element it
// was pressed in.
const press = (key, o = {}) => ({ key, code: o.code || "", ctrlKey: !!o.ctrl, metaKey: false, altKey: !!o.alt, shiftKey: !!o.shift, target: o.target || body });
const el = (tagName, o = {}) => ({ tagName, type: o.type || "", id: o.id || "", isContentEditable: false, classList: { contains: (c) => (o.cls || []).includes(c) }, closest: (sel) => (o.inside && sel.split(",").includes(o.inside) ? {} : null) });
const body = el("BODY");
const editor = el("TEXTAREA");

test("Ctrl+Enter runs and Alt+Z wraps, from anywhere, the editor too", () => {
  assert.deepEqual(keyAction(press("Enter", { ctrl: true, target: editor })), { do: "run" });
  assert.deepEqual(keyAction(press("z", { alt: true, code: "KeyZ", target: editor })), { do: "wrap" });
  assert.deepEqual(keyAction(press("Ω", { alt: true, code: "KeyZ" })), { do: "wrap" }, "a layout that types another letter");
});

test("the timeline's keys, outside the editor", () => {
  assert.deepEqual(keyAction(press("ArrowRight")), { do: "next" });
  assert.deepEqual(keyAction(press("Home")), { do: "first" });
  assert.deepEqual(keyAction(press("s")), { do: "syscall", dir: 1 });
  assert.deepEqual(keyAction(press("F", { shift: true })), { do: "fault", dir: -1 });
  assert.equal(keyAction(press("s", { target: editor })), null, "typing in the editor is typing");
  assert.equal(keyAction(press("s", { target: el("INPUT", { type: "text" }) })), null);
  assert.deepEqual(keyAction(press("ArrowLeft", { target: el("INPUT", { type: "range" }) })), { do: "prev" }, "the scrubber moves the timeline");
});

test("widgets keep their arrow keys, not the others", () => {
  const log = el("DIV", { inside: ".event-log" });
  assert.equal(keyAction(press("ArrowDown", { target: log })), null);
  assert.deepEqual(keyAction(press("c", { target: log })), { do: "checkpoint", dir: 1 });
  assert.equal(keyAction(press("ArrowLeft", { target: el("CANVAS", { id: "page-map" }) })), null);
});

test("Esc closes the Keys box when it is open", () => {
  assert.deepEqual(keyAction(press("Escape"), true), { do: "close-keys" });
  assert.equal(keyAction(press("Escape"), false), null);
});

test("the Keys box lists every key, its words by t", () => {
  const html = keysHTML((k) => "«" + k + "»");
  for (const [, d] of KEYS) assert.ok(html.includes("«" + d + "»"), d);
  assert.ok(html.includes("<kbd>Shift+S</kbd>"));
});
