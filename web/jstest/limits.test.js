import { test } from "node:test";
import assert from "node:assert/strict";
import { refusals, sayRefusal } from "../static/limits.js";

const table = new Map([
  ["run-time", { flag: "run-time", env: "PLAYGROUND_RUN_TIME", value: "30s" }],
  ["real-map-bytes", { flag: "real-map-bytes", env: "PLAYGROUND_REAL_MAP_BYTES", value: "2G" }],
]);
// t as i18n's, on a few words: the key and its variables.
const t = (k, v) => k + (v ? JSON.stringify(v) : "");

test("a run stopped at the time limit is found, with its setting", () => {
  const evs = [{ type: "syscall", name: "mmap" }, { type: "error", message: "wall-time limit exceeded (30s): the worker was killed" }, { type: "exit" }];
  const rs = refusals(evs, true);
  assert.equal(rs.length, 1);
  assert.equal(rs[0].what, "time");
  assert.equal(rs[0].limit, "run-time");
  assert.equal(rs[0].index, 1);
  const s = sayRefusal(rs[0], table, t);
  assert.match(s, /^limit-time/);
  assert.match(s, /limit-setting\{"flag":"--run-time","env":"PLAYGROUND_RUN_TIME","value":"30s"\}/);
  assert.match(s, /limit-try-sim/, "a real run is told the simulated kernel runs it");
});

test("the simulated kernel's step limit names its setting and no other engine", () => {
  const rs = refusals([{ type: "error", message: "step limit exceeded (20000 steps)", line: 2 }], false);
  assert.equal(rs[0].limit, "run-steps");
  const s = sayRefusal(rs[0], new Map(), t);
  assert.match(s, /limit-no-setting/, "a limit the page has no row for names no setting");
  assert.doesNotMatch(s, /limit-try-sim/);
});

test("ENOMEM from mmap is the real kernel's cap only on the real kernel", () => {
  const ev = { type: "syscall", name: "mmap", errno: "ENOMEM" };
  assert.equal(refusals([ev], false).length, 0, "on the model ENOMEM is the model's answer");
  assert.equal(refusals([ev], true)[0].limit, "real-map-bytes");
  const both = refusals([{ ...ev, engine: "sim" }, { ...ev, engine: "real" }], false);
  assert.deepEqual(both.map((r) => r.engine), ["real"]);
  assert.match(sayRefusal(both[0], table, t), /^engine-name-real: limit-map/);
});

test("each engine's refusal is said once", () => {
  const e = { type: "error", message: "output limit exceeded (65536 bytes)" };
  assert.equal(refusals([e, e], false).length, 1);
});
