import { test } from "node:test";
import assert from "node:assert/strict";
import { restMoment, callStart, nextIndex, JUMPS } from "../static/moment.js";

const P = 1000;
const area = (start, pages, file = "") => ({ start, end: start + pages * 4096, perms: "rw-p", file, present_pages: 0 });
const A = area(0x7f0000000000, 4, "data.bin");
const B = area(0x7f0000100000, 2);

// A run as the engine streams it: exec, a mmap, faults, a munmap whose
// PTE clear and area removal come before its syscall event, then exit.
const unmapped = [
  { type: "exec", pid: P },
  { type: "vma", pid: P, op: "add", why: "exec", vma: area(0x555555554000, 1, "prog") },
  { type: "vma", pid: P, op: "add", why: "mmap", vma: A, line: 10 },
  { type: "syscall", pid: P, name: "mmap", line: 10 },
  { type: "fault", pid: P, kind: "file-major", line: 11 },
  { type: "checkpoint", pid: P, label: "touched", line: 12 },
  { type: "pte", pid: P, op: "clear", why: "munmap", line: 13 },
  { type: "vma", pid: P, op: "remove", why: "munmap", vma: A, line: 13 },
  { type: "syscall", pid: P, name: "munmap", line: 13 },
  { type: "syscall", pid: P, name: "exit_group", line: 14 },
  { type: "vma", pid: P, op: "remove", why: "exit", vma: area(0x555555554000, 1, "prog") },
  { type: "exit", pid: P },
];

test("rests before the munmap that removed the program's last mapping", () => {
  const m = restMoment(unmapped);
  assert.equal(m.why, "before-unmap");
  assert.equal(m.index, 5, "the checkpoint before munmap's events");
  assert.equal(m.vma.file, "data.bin");
  assert.equal(m.removedBy.name, "munmap");
});

test("rests at exit_group when a mapping lasts to the end", () => {
  const kept = unmapped.filter((e) => !(e.line === 13));
  const m = restMoment(kept);
  assert.equal(m.why, "at-exit");
  assert.equal(kept[m.index].name, "exit_group");
  assert.equal(m.vma.file, "data.bin", "the page map shows the mapping that lasted");
  assert.equal(m.pid, P);
});

test("a mapping left when another is removed keeps the rest at exit", () => {
  const two = [...unmapped.slice(0, 3), { type: "vma", pid: P, op: "add", why: "mmap", vma: B }, ...unmapped.slice(3)];
  assert.equal(restMoment(two).why, "at-exit");
  assert.equal(restMoment(two).vma, B, "the newest mapping still there");
});

test("a lesson's key moment wins, preferring the program's own line", () => {
  const m = restMoment(unmapped, (e) => e.type === "fault");
  assert.equal(m.why, "lesson");
  assert.equal(m.index, 4);
});

test("no events, no moment", () => {
  assert.equal(restMoment([]).index, -1);
});

test("a program without mappings rests at exit_group", () => {
  const evs = unmapped.filter((e) => !e.line || e.line === 14);
  const m = restMoment(evs);
  assert.equal(evs[m.index].name, "exit_group");
});

test("callStart finds the first event of a call", () => {
  assert.equal(callStart(unmapped, 7), 6);
  assert.equal(callStart(unmapped, 4), 4);
});

test("nextIndex steps by kind both ways", () => {
  assert.equal(nextIndex(unmapped, 0, 1, JUMPS.syscall), 3);
  assert.equal(nextIndex(unmapped, 8, -1, JUMPS.syscall), 3);
  assert.equal(nextIndex(unmapped, 3, 1, JUMPS.fault), 4);
  assert.equal(nextIndex(unmapped, 4, 1, JUMPS.fault), -1);
  assert.equal(nextIndex(unmapped, 0, 1, JUMPS.checkpoint), 5);
});

test("munmap after munmap: rests before the first of them", () => {
  const two = [...unmapped.slice(0, 3), { type: "vma", pid: P, op: "add", why: "mmap", vma: B, line: 20 }, { type: "syscall", pid: P, name: "mmap", line: 20 },
    ...unmapped.slice(3, 9),
    { type: "pte", pid: P, op: "clear", why: "munmap", line: 21 },
    { type: "vma", pid: P, op: "remove", why: "munmap", vma: B, line: 21 },
    { type: "syscall", pid: P, name: "munmap", line: 21 },
    ...unmapped.slice(9)];
  const m = restMoment(two);
  assert.equal(m.why, "before-unmap");
  assert.equal(two[m.index].label, "touched");
});

test("a program killed by a signal rests at the signal", () => {
  const evs = [...unmapped.slice(0, 5), { type: "signal", pid: P, signal: "SIGSEGV", line: 12 },
    { type: "pte", pid: P, op: "clear", why: "exit" }, { type: "exit", pid: P, signal: "SIGSEGV" }];
  const m = restMoment(evs);
  assert.equal(m.why, "at-signal");
  assert.equal(m.index, 5);
});

import { findMoment, matchAll } from "../static/moment.js";

test("findMoment follows the areas: a fault in data.bin, not in the binary", () => {
  const evs = [
    { type: "vma", pid: P, op: "add", why: "exec", vma: area(0x555555554000, 1, "prog") },
    { type: "fault", pid: P, kind: "file-minor", addr: 0x555555554010, line: 5 },
    ...unmapped.slice(2, 4),
    { type: "fault", pid: P, kind: "file-minor", addr: A.start + 8, line: 11 },
  ];
  assert.equal(findMoment(evs, { type: "fault", in: "data.bin" }), 4);
  assert.equal(findMoment(evs, { type: "fault", in: "prog" }), 1);
  assert.equal(findMoment(evs, { type: "fault", in: "anon" }), -1);
});

test("findMoment's nth, errno, after and text", () => {
  const evs = [
    { type: "syscall", name: "mmap", errno: "EINVAL" }, { type: "syscall", name: "mmap", errno: "" },
    { type: "checkpoint", label: "x" }, { type: "syscall", name: "mmap", errno: "" }, { type: "stdout", text: "hello there" },
  ];
  assert.equal(findMoment(evs, { type: "syscall", errno: "ok" }), 1);
  assert.equal(findMoment(evs, { type: "syscall", errno: "ok", nth: 2 }), 3);
  assert.equal(findMoment(evs, { type: "syscall", errno: "EINVAL" }), 0);
  assert.deepEqual(matchAll(evs, { type: "syscall", after: "x" }), [3]);
  assert.equal(findMoment(evs, { type: "stdout", text: "there" }), 4);
});

test("a mapping merged into the loader's area below it stays the program's", () => {
  const L = { ...area(0x7ffff7fc0000, 2), loader: true };
  const N = area(0x7ffff7fbc000, 4);
  const merged = { ...area(0x7ffff7fbc000, 6), loader: false };
  const evs = [
    { type: "exec", pid: P },
    { type: "vma", pid: P, op: "add", why: "exec", vma: L },
    { type: "vma", pid: P, op: "add", why: "mmap", vma: N, line: 10 },
    { type: "vma", pid: P, op: "remove", why: "merge", vma: L, line: 10 },
    { type: "vma", pid: P, op: "change", why: "merge", vma: merged, old: N, line: 10 },
    { type: "syscall", pid: P, name: "mmap", line: 10 },
    { type: "checkpoint", pid: P, label: "touched", line: 11 },
    { type: "vma", pid: P, op: "change", why: "munmap", vma: L, old: merged, line: 12 },
    { type: "syscall", pid: P, name: "munmap", line: 12 },
    { type: "syscall", pid: P, name: "exit_group", line: 13 },
    { type: "exit", pid: P },
  ];
  assert.equal(restMoment(evs).why, "at-exit", "merged with the next area: the change keeps it live");
  const before = [
    evs[0], evs[1],
    { type: "vma", pid: P, op: "add", why: "mmap", vma: area(0x7ffff7fc2000, 4), line: 10 },
    { type: "vma", pid: P, op: "remove", why: "merge", vma: area(0x7ffff7fc2000, 4), line: 10 },
    { type: "vma", pid: P, op: "change", why: "merge", vma: area(0x7ffff7fc0000, 6), old: L, line: 10 },
    { type: "syscall", pid: P, name: "mmap", line: 10 },
    { type: "syscall", pid: P, name: "exit_group", line: 13 },
    { type: "exit", pid: P },
  ];
  assert.equal(restMoment(before).why, "at-exit", "merged into the area before it: still the program's");
});

test("a child's exit and teardown are not the end", () => {
  const C = P + 1;
  const evs = [...unmapped.slice(0, 9).filter((e) => e.line !== 13),
    { type: "process", pid: P, op: "fork", child: C },
    { type: "syscall", pid: C, name: "exit_group" },
    { type: "vma", pid: C, op: "remove", why: "exit", vma: A },
    { type: "syscall", pid: P, name: "wait4", line: 13 },
    ...unmapped.slice(9)];
  const m = restMoment(evs);
  assert.equal(m.why, "at-exit");
  assert.equal(evs[m.index].pid, P);
  assert.equal(evs[m.index].name, "exit_group");
});
