import { test } from "node:test";
import assert from "node:assert/strict";
import { Model, ST, pageStateAt } from "../static/model.js";

const P = 1000, A = 0x7f0000000000, PG = 4096;
const page = (m, pid, addr) => m.procs.get(String(pid)).page(Math.floor(addr / PG));

test("a fault's page is in the state the engine names, with its bits and frame", () => {
  const m = new Model();
  m.apply({ type: "fault", pid: P, addr: A + 12, kind: "file-minor", access: "read", result: "ok", pfn: 77, bits: "present|user|accessed", page_state: "clean" });
  assert.deepEqual(page(m, P, A), { st: ST.clean, bits: 1 | 4 | 8, pfn: 77 });
  assert.equal(m.counters.minor_faults, 1);
});

test("the page draws what the engine says, not what the kind suggests", () => {
  // A write fault the page used to draw dirty by its kind; the engine says clean.
  const m = new Model();
  m.apply({ type: "fault", pid: P, addr: A, kind: "anon", access: "write", result: "ok", pfn: 5, bits: "present|write", page_state: "clean" });
  assert.equal(page(m, P, A).st, ST.clean);
});

test("swapped pages are drawn swapped (the engine's why is swap-out)", () => {
  const m = new Model();
  m.apply({ type: "fault", pid: P, addr: A, kind: "anon", access: "write", result: "ok", pfn: 5, bits: "present|write|dirty", page_state: "dirty" });
  m.apply({ type: "pte", pid: P, op: "clear", why: "swap-out", addr: A, pages: 1, page_state: "swapped" });
  assert.equal(page(m, P, A).st, ST.swapped);
});

test("a range with mixed states takes one digit per page", () => {
  const m = new Model();
  m.apply({ type: "pte", pid: P, op: "change", why: "fork", addr: A, pages: 3, page_states: "403" });
  assert.deepEqual([0, 1, 2].map((i) => page(m, P, A + i * PG).st), [ST.cow, ST.none, ST.dirty]);
});

test("fork's child takes the parent's frames", () => {
  const m = new Model();
  m.apply({ type: "fault", pid: P, addr: A, kind: "anon", access: "write", result: "ok", pfn: 42, bits: "present|write|dirty", page_state: "dirty" });
  m.apply({ type: "process", pid: P, op: "fork", child: P + 1 });
  m.apply({ type: "pte", pid: P + 1, op: "set", why: "fork", addr: A, pages: 1, page_state: "cow" });
  assert.equal(page(m, P + 1, A).pfn, 42);
  assert.equal(page(m, P + 1, A).st, ST.cow);
});

test("an event without states (the real engine) says present or not", () => {
  assert.equal(pageStateAt({ type: "fault", result: "ok" }, 0), ST.clean);
  assert.equal(pageStateAt({ type: "pte", op: "clear" }, 0), ST.none);
});

test("teardown at exit is not drawn", () => {
  const m = new Model();
  m.apply({ type: "fault", pid: P, addr: A, kind: "anon", access: "write", result: "ok", pfn: 5, bits: "present|write|dirty", page_state: "dirty" });
  m.apply({ type: "pte", pid: P, op: "clear", why: "exit", addr: A, pages: 1 });
  assert.equal(page(m, P, A).st, ST.dirty);
});

test("on both engines each kernel counts apart, and its exit's count is its own", () => {
  const m = new Model();
  m.apply({ type: "syscall", engine: "sim", pid: P, name: "mmap" });
  m.apply({ type: "fault", engine: "sim", pid: P, addr: A, kind: "anon", result: "ok", page_state: "dirty" });
  m.apply({ type: "syscall", engine: "real", pid: 9, name: "mmap" });
  m.apply({ type: "syscall", engine: "real", pid: 9, name: "munmap" });
  assert.equal(m.counters.syscalls, 1);
  assert.equal(m.counters.minor_faults, 1);
  assert.equal(m.realCounters.syscalls, 2);
  assert.equal(m.realCounters.minor_faults, 0);
  m.apply({ type: "exit", engine: "real", pid: 9, counters: { syscalls: 14, minor_faults: 3 } });
  assert.equal(m.realCounters.minor_faults, 3, "the real kernel's own count at its end");
  assert.equal(m.counters.minor_faults, 1);
  // A run the server stopped ends with zeros: the count so far stands.
  m.apply({ type: "exit", engine: "sim", pid: P, signal: "SIGKILL", counters: { syscalls: 0, minor_faults: 0 } });
  assert.equal(m.counters.syscalls, 1);
});

test("a run on one engine counts in one place", () => {
  const m = new Model();
  m.apply({ type: "syscall", pid: P, name: "mmap" });
  assert.equal(m.counters.syscalls, 1);
  assert.equal(m.realCounters, null);
});
