import "./browserless.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import { Model } from "../static/model.js";
import { ui } from "../static/state.js";
import { pickProc, pickVMA, counterpart, crashOf } from "../static/draw.js";

const vma = (start, end, file, perms = "rw-p") => ({ start, end, file, perms });
const exec = (pid, v, engine) => ({ type: "exec", pid, vma: v, engine });
const add = (pid, v, why, engine) => ({ type: "vma", op: "add", pid, vma: v, why, engine });

test("the page map shows the newest mapping the program made", () => {
  const m = new Model();
  m.apply(exec(1, vma(0x400000, 0x401000, "prog", "r-xp")));
  m.apply(add(1, vma(0x7ffff7dd5000, 0x7ffff7dfb000, "/usr/lib/x86_64-linux-gnu/libc.so.6"), "exec"));
  m.apply(add(1, vma(0x7f0000000000, 0x7f0000010000, ""), "mmap"));
  ui.procKey = null; ui.vmaStart = null;
  const p = pickProc(m);
  assert.equal(p.pid, 1);
  assert.equal(pickVMA(m, p).start, 0x7f0000000000);
  ui.vmaStart = 0x400000;
  assert.equal(pickVMA(m, p).file, "prog", "the area the student chose");
  ui.vmaStart = null;
});

test("without a mapping: the largest of the program's own areas, not the C library's", () => {
  const m = new Model();
  m.apply(exec(1, vma(0x400000, 0x401000, "prog")));
  m.apply(add(1, vma(0x7ffff7dd5000, 0x7ffff7f00000, "/usr/lib/x86_64-linux-gnu/libc.so.6"), "exec"));
  m.apply(add(1, vma(0x7ffffffde000, 0x7ffffffff000, "[stack]"), "exec"));
  m.apply(add(1, vma(0x405000, 0x426000, "[heap]"), "brk"));
  m.lastMmap = null;
  assert.equal(pickVMA(m, pickProc(m)).file, "[heap]");
});

test("on both engines the default is the simulated kernel's process, and its counterpart the real one's", () => {
  const m = new Model();
  m.apply(exec(9, vma(0x400000, 0x401000, "prog"), "real"));
  m.apply(exec(1000, vma(0x400000, 0x401000, "prog"), "sim"));
  ui.procKey = null;
  const p = pickProc(m);
  assert.equal(p.engine, "sim");
  assert.equal(counterpart(m, p).key, "real:9");
  assert.equal(counterpart(m, counterpart(m, p)).key, "sim:1000");
});

test("a crash is located at the signal's line, with the fault that raised it", () => {
  const events = [
    { type: "fault", pid: 1, addr: 0x7f0000000000, access: "write", kind: "anon", result: "SEGV_ACCERR", line: 12 },
    { type: "signal", pid: 1, signal: "SIGSEGV", code: "SEGV_ACCERR", addr: 0x7f0000000000, line: 12 },
    { type: "exit", pid: 1, status: 0, signal: "SIGSEGV" },
  ];
  const model = new Model();
  for (const e of events) model.apply(e);
  const c = crashOf({ events, model });
  assert.equal(c.line, 12);
  assert.match(c.message, /SIGSEGV/);
  assert.match(c.message, /SEGV_ACCERR/);
  assert.equal(crashOf({ events: [], model: new Model() }), null, "no signal, no crash");
});
