import "./browserless.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { P, ui } from "../static/state.js";
import { request, failure } from "../static/run.js";
import { APIError } from "../static/api.js";

test("a run's request is the editor's program with the example's files and arguments, on a terminal", () => {
  P.editor = { value: "int main(void) { return 0; }\n" };
  ui.example = { name: "three_phases", args: ["data.bin"], files: { "data.bin": "hi\n" } };
  assert.deepEqual(request(), { name: "three_phases.c", source: P.editor.value, args: ["data.bin"], files: { "data.bin": "hi\n" }, terminal: true });
  ui.example = null;
  assert.deepEqual(request(), { name: "prog.c", source: P.editor.value, args: [], files: {}, terminal: true });
});

test("a failed request says the server's reason, or that no server answered", () => {
  assert.match(failure(new APIError(429, "busy", "too many runs")), /too many runs/);
  assert.match(failure(new TypeError("Failed to fetch")), /Failed to fetch/);
});
