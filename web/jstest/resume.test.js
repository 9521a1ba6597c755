// The page's sessions outliving their server (static/resume.js), against a
// fake server: fetch and WebSocket stand for the API and the stream.
import { test } from "node:test";
import assert from "node:assert/strict";

globalThis.location = { search: "", protocol: "http:", host: "class.test" };
globalThis.navigator = { language: "en" };

/** FakeServer answers the API as a playground server does, and can restart. */
class FakeServer {
  constructor() {
    this.sessions = new Map();
    this.n = 0;
    this.calls = []; // "METHOD path body"
    this.sockets = [];
    this.down = 0; // calls that find no server
    this.draining = 0; // session creations refused 503
  }
  async fetch(url, init) {
    const path = url.replace(/^\/api\/v1/, "");
    const body = init.body ? JSON.parse(init.body) : undefined;
    if (this.down > 0) { this.down--; throw new TypeError("fetch failed"); }
    this.calls.push(`${init.method} ${path}${body ? " " + JSON.stringify(body) : ""}`);
    const json = (status, v) => new Response(v === undefined ? "" : JSON.stringify(v), { status });
    const missing = () => json(404, { error: { code: "not_found", message: "no session" } });
    if (init.method === "POST" && path === "/sessions") {
      if (this.draining > 0) { this.draining--; return json(503, { error: { code: "draining", message: "draining" } }); }
      if (body.engine === "none") return json(503, { error: { code: "unsupported", message: "this host cannot run it" } });
      if (this.proxyDown > 0) { this.proxyDown--; return new Response("<html>503 Service Unavailable</html>", { status: 503 }); }
      const id = "s" + ++this.n;
      this.sessions.set(id, { engine: body.engine || "sim" });
      return json(201, { id, engine: body.engine || "sim", ws: `/api/v1/sessions/${id}/ws` });
    }
    if (init.method === "POST" && path === "/run") return this.runStream(body);
    const m = /^\/sessions\/([^/]+)(.*)$/.exec(path);
    const s = m && this.sessions.get(m[1]);
    if (!s) return missing();
    switch (m[2]) {
      case "": return init.method === "DELETE" ? json(204) : json(200, { id: m[1], engine: s.engine });
      case "/run": return json(202, { state: body.paused ? "paused" : "running", seq: body.at_seq || 1 });
      case "/step": return json(200, { state: "paused", seq: 99 });
      case "/continue": return json(200, { state: "running", seq: 99 });
    }
    return json(400, { error: { code: "invalid", message: "fake: " + path } });
  }
  /**
   * runStream answers POST /run with the run's events as NDJSON; cutAfter,
   * when set, ends the connection after that many events (the server
   * went away), once.
   */
  runStream(body) {
    const n = this.runEvents;
    const cut = this.cutAfter;
    this.cutAfter = 0;
    const enc = new TextEncoder();
    let i = 0;
    return new Response(new ReadableStream({
      pull(c) {
        if (cut && i === cut) { c.error(new TypeError("network error")); return; }
        if (i === n) { c.close(); return; }
        i++;
        c.enqueue(enc.encode(JSON.stringify({ type: i === n ? "exit" : "fault", seq: i, t: i, engine: body.engine === "real" ? "real" : undefined }) + "\n"));
      },
    }), { status: 200 });
  }
  /** restart forgets every session and drops every stream. */
  restart() {
    this.sessions.clear();
    for (const s of this.sockets) s.drop();
  }
  socketsOf(id) { return this.sockets.filter((s) => s.url.endsWith(`/sessions/${id}/ws`)); }
}

let server;
class FakeSocket {
  constructor(url) {
    this.url = url;
    this.open = true;
    server.sockets.push(this);
    setImmediate(() => this.onopen && this.onopen());
  }
  send(...msgs) { for (const m of msgs) this.onmessage({ data: JSON.stringify(m) }); }
  drop() { if (this.open) { this.open = false; setImmediate(() => this.onclose && this.onclose()); } }
  close() { this.drop(); }
}
globalThis.WebSocket = FakeSocket;
globalThis.fetch = (url, init) => server.fetch(url, init);

const { ResumingClient, LostError, words } = await import("../static/resume.js");

/** until waits for cond, turn by turn of the event loop (no clock). */
async function until(cond, what) {
  for (let i = 0; i < 10000; i++) {
    if (cond()) return;
    await new Promise((res) => setImmediate(res));
  }
  assert.fail("never: " + what);
}

const ev = (seq, type = "fault") => ({ type, seq, t: seq });
const src = { name: "prog.c", source: "int main(){}", args: [], files: {}, terminal: true };

function setup() {
  server = new FakeServer();
  const lost = [];
  const c = new ResumingClient("/api/v1", { onLost: (m) => lost.push(m), wait: () => Promise.resolve() });
  return { c, lost, got: [], closed: 0 };
}

async function stepping(t, engine = "sim") {
  const s = await t.c.createSession(engine, { ram: 1 << 20 });
  t.sock = await t.c.ws(s.id, (msgs) => t.got.push(...msgs), () => t.closed++);
  await t.c.run(s.id, { ...src, paused: true });
  server.socketsOf(s.id)[0].send([ev(1, "exec"), ev(2), ev(3)], [ev(4), ev(5, "syscall")]);
  await t.c.step(s.id, "fault");
  return s.id;
}

test("a server that restarted: the session is rebuilt at the event the page has, and the stream goes on", async () => {
  const t = setup();
  const id = await stepping(t);
  server.restart();
  await until(() => server.socketsOf("s2").length === 1, "a stream on the rebuilt session");
  assert.deepEqual(server.calls.slice(-3), [
    "GET /sessions/s1",
    'POST /sessions {"engine":"sim","options":{"ram":1048576}}',
    `POST /sessions/s2/run ${JSON.stringify({ ...src, paused: true, at_seq: 5 })}`,
  ]);
  // The page still says s1; the calls go to s2.
  await t.c.cont(id);
  assert.equal(server.calls.at(-1), "POST /sessions/s2/continue {}");
  server.socketsOf("s2")[0].send([ev(6), ev(7, "exit")]);
  assert.deepEqual(t.got.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7], "every event once, in order");
  assert.equal(t.closed, 0, "the page never saw the stream close");
  assert.equal(t.c.resumed, 1);
  assert.deepEqual(t.lost, []);
});

test("a call that finds the session gone rebuilds it and is made again", async () => {
  const t = setup();
  const id = await stepping(t);
  server.sessions.clear(); // another replica answers: it never held s1
  const st = await t.c.step(id, "fault");
  assert.equal(st.state, "paused");
  assert.deepEqual(server.calls.slice(-4), [
    'POST /sessions/s1/step {"until":"fault"}',
    'POST /sessions {"engine":"sim","options":{"ram":1048576}}',
    `POST /sessions/s2/run ${JSON.stringify({ ...src, paused: true, at_seq: 5 })}`,
    'POST /sessions/s2/step {"until":"fault"}',
  ]);
});

test("while no server answers, the page keeps trying; then it rebuilds", async () => {
  const t = setup();
  const id = await stepping(t);
  server.restart();
  server.down = 5;
  await until(() => server.socketsOf("s2").length === 1, "a stream on the rebuilt session");
  assert.equal(server.down, 0, "every failed attempt was tried again");
  await t.c.cont(id);
  assert.equal(server.calls.at(-1), "POST /sessions/s2/continue {}");
});

test("a stream that drops while its server holds the session is read again without repeats", async () => {
  const t = setup();
  await stepping(t);
  server.socketsOf("s1")[0].drop();
  await until(() => server.socketsOf("s1").length === 2, "the stream opened again");
  assert.equal(server.calls.at(-1), "GET /sessions/s1");
  // The server sends the run from its first event again.
  server.socketsOf("s1")[1].send([ev(1, "exec"), ev(2), ev(3), ev(4), ev(5, "syscall"), ev(6)]);
  assert.deepEqual(t.got.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  assert.equal(t.c.resumed, 0);
});

test("told to move (its server drains), the session is rebuilt elsewhere and the old stream is left", async () => {
  const t = setup();
  const id = await stepping(t);
  await t.c.cont(id);
  server.draining = 2; // the proxy still sends the first tries to the draining server
  const old = server.socketsOf("s1")[0];
  old.send([ev(6)], { type: "move" });
  await until(() => server.socketsOf("s2").length === 1, "a stream on the new session");
  old.send([ev(7)]); // still running there: no longer read
  assert.equal(server.calls.at(-1), `POST /sessions/s2/run ${JSON.stringify({ ...src, paused: false, at_seq: 6 })}`,
    "the program goes on from the event the page has, as it was going");
  server.socketsOf("s2")[0].send([ev(7), ev(8, "exit")]);
  assert.deepEqual(t.got.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.ok(!t.got.some((e) => e.type === "move"), "the move message is not the page's event");
});

test("a real-engine session cannot move: the page says so plainly", async () => {
  const t = setup();
  const id = await stepping(t, "real");
  server.restart();
  await until(() => t.closed === 1, "the stream reported closed");
  assert.deepEqual(t.lost, [words("lost")]);
  assert.match(t.lost[0], /real kernel.*cannot be moved/);
  await assert.rejects(t.c.step(id, "fault"), LostError);
  assert.equal(server.calls.filter((c) => c.startsWith("POST /sessions {")).length, 1, "no session was made again for it");
});

test("a new run in a lost session starts afresh, without replaying the old one", async () => {
  const t = setup();
  const id = await stepping(t);
  t.sock.close();
  await until(() => t.closed === 1, "the page's own close reported");
  server.sessions.clear();
  await t.c.run(id, { ...src, source: "int main(){return 1;}" });
  assert.deepEqual(server.calls.slice(-3), [
    `POST /sessions/s1/run ${JSON.stringify({ ...src, source: "int main(){return 1;}" })}`,
    'POST /sessions {"engine":"sim","options":{"ram":1048576}}',
    `POST /sessions/s2/run ${JSON.stringify({ ...src, source: "int main(){return 1;}" })}`,
  ]);
  assert.equal(server.socketsOf("s2").length, 0, "the page had closed its stream: none is opened for it");
});

test("told to move, a real-engine session stays: the page says it cannot move, and reads on", async () => {
  const t = setup();
  await stepping(t, "real");
  const calls = server.calls.length;
  server.socketsOf("s1")[0].send([ev(6), { type: "move", t: 0, message: "draining" }, ev(7)]);
  assert.deepEqual(t.lost, [words("draining")]);
  assert.deepEqual(t.got.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7], "the run may finish there: its events still come");
  assert.equal(server.calls.length, calls, "no session made elsewhere");
});

test("asking whether a lost session is there is answered truly: the page makes a new one itself", async () => {
  const t = setup();
  const id = await stepping(t, "real");
  t.sock.close();
  server.sessions.clear();
  await assert.rejects(t.c.req("GET", "/sessions/" + id), (e) => e.status === 404);
  assert.deepEqual(t.lost, [], "nothing was lost that the page still needs");
  assert.equal(server.calls.filter((c) => c.startsWith("POST /sessions {")).length, 1, "nothing rebuilt");
});

test("a one-shot run cut off midway is streamed again, and the page gets each event once", async () => {
  const t = setup();
  server.runEvents = 10;
  server.cutAfter = 4;
  server.down = 0;
  const seqs = [];
  await t.c.stream({ engine: "sim", ...src }, (evs) => { seqs.push(...evs.map((e) => e.seq)); });
  assert.deepEqual(seqs, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(server.calls.filter((c) => c.startsWith("POST /run")).length, 2);
  assert.deepEqual(t.lost, []);
});

test("a one-shot run on the real kernel cut off midway is lost, and said so", async () => {
  const t = setup();
  server.runEvents = 10;
  server.cutAfter = 4;
  const seqs = [];
  await assert.rejects(t.c.stream({ engine: "real", ...src }, (evs) => { seqs.push(...evs.map((e) => e.seq)); }), LostError);
  assert.deepEqual(seqs, [1, 2, 3, 4]);
  assert.deepEqual(t.lost, [words("lost")]);
});

test("what the page's own handler throws is not a reason to stream again", async () => {
  const t = setup();
  server.runEvents = 10;
  await assert.rejects(t.c.stream({ engine: "sim", ...src }, () => { throw new TypeError("the page's bug"); }), /the page's bug/);
  assert.equal(server.calls.filter((c) => c.startsWith("POST /run")).length, 1);
});

test("a proxy with no server is tried again; the server's own 503 is its answer", async () => {
  const t = setup();
  server.proxyDown = 3;
  const s = await t.c.createSession("sim", {});
  assert.equal(s.id, "s1");
  assert.equal(server.proxyDown, 0);
  await assert.rejects(t.c.createSession("none", {}), (e) => e.status === 503 && e.code === "unsupported");
  assert.equal(server.calls.filter((c) => c.includes('"engine":"none"')).length, 1, "not tried again");
});
