import "./browserless.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Model } from "../static/model.js";
import { S, ui } from "../static/state.js";
import { curIndex, viewModel, restText } from "../static/timeline.js";

const events = [
  { seq: 1, type: "exec", pid: 1, vma: { start: 0x400000, end: 0x401000, file: "prog", perms: "r-xp" } },
  { seq: 2, type: "vma", op: "add", why: "mmap", pid: 1, vma: { start: 0x7f0000000000, end: 0x7f0000002000, file: "", perms: "rw-p" } },
  { seq: 3, type: "fault", pid: 1, addr: 0x7f0000000000, kind: "anon", result: "ok", page_state: "dirty", pfn: 5, bits: "present|write" },
  { seq: 4, type: "vma", op: "remove", why: "munmap", pid: 1, vma: { start: 0x7f0000000000, end: 0x7f0000002000, file: "", perms: "rw-p" } },
];
function runOf(evs) {
  const model = new Model();
  for (const e of evs) model.apply(e);
  return { events: evs, model, exited: true, mode: "stream", done: true };
}

test("the event on view is the chosen one, else the latest", () => {
  S.run = runOf(events);
  ui.viewIndex = -1;
  assert.equal(curIndex(), 3);
  ui.viewIndex = 1;
  assert.equal(curIndex(), 1);
});

test("the model at an event is the events up to it, however it was reached", () => {
  S.run = runOf(events);
  S.renderedModel = null;
  ui.viewIndex = 2;
  const m = viewModel();
  assert.equal(m.procs.get("1").vmas.length, 2, "the mapping exists at event 3");
  assert.equal(m.counters.minor_faults, 1);
  ui.viewIndex = 0;
  const first = viewModel();
  ui.viewIndex = 2;
  assert.deepEqual(viewModel().procs.get("1").vmas, m.procs.get("1").vmas, "going back and forth gives the same model");
  assert.equal(first.procs.get("1").vmas.length, 1);
  ui.viewIndex = -1;
  assert.equal(viewModel(), S.run.model, "the latest is the run's own model");
});

test("where the views rest after a run is said, only at that event", () => {
  S.run = runOf(events);
  ui.rest = { index: 2, why: "before-unmap", vma: { file: "" }, removedBy: { name: "munmap", line: 9 } };
  assert.match(restText(S.run, 2), /munmap/);
  assert.equal(restText(S.run, 1), "");
  ui.rest = null;
});
