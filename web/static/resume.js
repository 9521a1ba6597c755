// resume.js: sessions that outlive their server.
//
// A session lives in one server process: a restart loses it, and behind a
// proxy with several replicas another replica has never heard of it. A
// simulated session is deterministic, so its recipe rebuilds it anywhere:
// the session's engine and options, its run's body, the event (Seq) the
// page stands at, and whether the program was paused there. Rebuilding is
// POST /sessions, then POST /sessions/{id}/run with "at_seq" (docs/api.md,
// "Moving a session"): the server replays the program quietly to that
// event, and its stream carries only the events after it.
//
// ResumingClient is the page's API client (api.js's Client) with this
// added. It keeps each session's recipe by watching the calls the page
// makes and the events its stream brings, so the page does not know about
// it. A session is rebuilt, under the id the page holds, when
//   - a call about it answers 404 (the server restarted, or the proxy sent
//     the call to a replica that does not hold it): rebuilt, and the call
//     made again;
//   - its stream closes while the page still reads it: once a server
//     answers again (the same one, or another replica), the stream is
//     opened again, on a rebuilt session if that server does not hold it;
//   - its stream says {"type":"move"} (the server is draining): rebuilt
//     wherever the proxy sends the new session, and read from there.
// A call that cannot reach a server (or that a proxy answers 502/503/504)
// is tried again for a while first. A one-shot run (POST /run, the Run
// button's) cut off in the middle is streamed again. A real-engine session
// or run cannot be replayed, so it cannot move: the page is told so
// plainly (onLost).

import { Client, APIError } from "./api.js";
import { getLang } from "./i18n.js";

const WORDS = {
  en: {
    lost: "This run was on the real kernel, on a server that has gone away (it restarted, or the classroom moved you to another). A real run cannot be moved or replayed: run the program again.",
    draining: "This server is shutting down. A run on the real kernel cannot move to another server; it may finish here, then run the program again.",
  },
  zh: {
    lost: "这次运行在真实内核上，而它所在的服务器已经离开（重启了，或者课堂把你转到了另一台）。真实内核上的运行无法迁移或重放：请再运行一次程序。",
    draining: "这台服务器正在关闭。真实内核上的运行无法迁移到另一台服务器；它可以在这里运行完，之后请再运行一次程序。",
  },
};

/** words is the sentence key in the page's language. */
export function words(key) {
  const w = WORDS[getLang()] || WORDS.en;
  return w[key] || WORDS.en[key];
}

// How long to keep trying a server that does not answer: about a minute,
// more than a restart or a proxy's health check takes.
const ATTEMPTS = 30;
function backoff(attempt) {
  return new Promise((res) => setTimeout(res, Math.min(2000, 100 * 2 ** attempt)));
}

/**
 * unreachable says whether err means no server answered (try again): the
 * connection failed, a proxy found no server (502, 504, or a 503 that is
 * not the playground's JSON), or the server is draining. The playground's
 * other 503s (busy, unsupported) are its answer, said to the student.
 */
function unreachable(err) {
  if (err instanceof APIError) {
    return err.status === 502 || err.status === 504 || (err.status === 503 && (err.code === "draining" || err.code === "http"));
  }
  return err instanceof TypeError; // fetch: the connection failed
}

/** gone says whether err means the server does not hold the session. */
function gone(err) { return err instanceof APIError && err.status === 404; }

/** LostError is a call about a session that could not be rebuilt. */
export class LostError extends Error {}

const SESSION_PATH = /^\/sessions\/([^/?]+)(.*)$/;

export class ResumingClient extends Client {
  /**
   * opts.onLost(message) tells the student a session was lost; opts.wait
   * (attempt) waits before trying a server again (tests give their own).
   */
  constructor(base, opts = {}) {
    super(base);
    this.onLost = opts.onLost || (() => {});
    this.wait = opts.wait || backoff;
    this.recipes = new Map(); // the page's session id -> recipe
    this.resumed = 0; // sessions rebuilt (the browser tests read it)
  }

  /**
   * stream is a one-shot run (POST /run). When its server goes away in the
   * middle, a simulated run is streamed again from whichever server
   * answers, and the events the page has are not given again (the same
   * run, byte for byte); a real one is lost, and the page told so.
   */
  async stream(body, onBatch, opts = {}) {
    let last = 0;
    // What the page's own onBatch throws is the page's, not the server's
    // going away: it is not a reason to stream again.
    const own = { error: null };
    const take = async (evs) => {
      // Events come in order: only a batch of a stream begun again holds
      // some the page has (a run of a quarter of a million events is not
      // copied).
      const keep = evs.length && evs[0].seq > last ? evs : evs.filter((e) => !e.seq || e.seq > last);
      if (keep.length && keep[keep.length - 1].seq) last = keep[keep.length - 1].seq;
      try {
        if (keep.length) await onBatch(keep);
      } catch (e) {
        own.error = e;
        throw e;
      }
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return await super.stream(body, take, opts);
      } catch (e) {
        if (own.error || (opts.signal && opts.signal.aborted) || !unreachable(e) || attempt + 1 >= ATTEMPTS) throw e;
        if ((body.engine || "sim") !== "sim" && last > 0) {
          const msg = words("lost");
          this.onLost(msg);
          throw new LostError(msg);
        }
        await this.wait(attempt);
      }
    }
  }

  /** recipe is what rebuilds the session the page knows as id (or null). */
  recipe(id) { return this.recipes.get(id) || null; }

  async req(method, path, body, opts = {}) {
    const m = SESSION_PATH.exec(path);
    if (method === "POST" && path === "/sessions") {
      const c = await this.persist(() => super.req(method, path, body, opts));
      this.recipes.set(c.id, {
        cur: c.id, engine: c.engine, options: (body && body.options) || {},
        run: null, seq: 0, paused: false, exited: false, stream: null, rebuilding: null,
      });
      return c;
    }
    const r = m && this.recipes.get(m[1]);
    if (!r) return super.req(method, path, body, opts);
    const rest = m[2];
    if (method === "DELETE" && rest === "") this.recipes.delete(m[1]);
    if (method === "POST" && rest === "/run") {
      const { paused, at_seq: _, ...run } = body || {};
      Object.assign(r, { run, seq: 0, paused: !!paused, exited: false });
    }
    let st;
    try {
      st = await this.persist(() => super.req(method, "/sessions/" + r.cur + rest, body, opts));
    } catch (e) {
      // A DELETE of a gone session is done; a GET of the session itself is
      // the page asking whether it is still there (it makes a new one).
      if (!gone(e) || method === "DELETE" || (method === "GET" && rest === "")) throw e;
      if (rest === "/run") {
        // A new run: the session is made again, without the old one.
        const run = r.run;
        r.run = null;
        try { await this.rebuild(r); } finally { r.run = run; }
      } else {
        await this.rebuild(r);
      }
      st = await super.req(method, "/sessions/" + r.cur + rest, body, opts);
    }
    this.observe(r, rest, st);
    return st;
  }

  /** observe keeps the recipe's pause and Seq from a run status. */
  observe(r, rest, st) {
    if (!st || typeof st.state !== "string" || !/^\/(run|step|pause|continue|back)$/.test(rest)) return;
    r.paused = st.state === "paused";
    r.exited = st.state === "exited";
    if (rest === "/back") r.seq = st.seq;
  }

  /** persist calls f until a server answers (or it has tried long enough). */
  async persist(f) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await f();
      } catch (e) {
        if (!unreachable(e) || attempt + 1 >= ATTEMPTS) throw e;
        await this.wait(attempt);
      }
    }
  }

  /** rebuild makes the session again from its recipe, once at a time. */
  rebuild(r) {
    if (!r.rebuilding) {
      r.rebuilding = this.rebuildNow(r).finally(() => { r.rebuilding = null; });
    }
    return r.rebuilding;
  }

  async rebuildNow(r) {
    if (r.engine !== "sim" && r.run) {
      const msg = words("lost");
      this.onLost(msg);
      throw new LostError(msg);
    }
    const c = await this.persist(() => super.req("POST", "/sessions", { engine: r.engine, options: r.options }));
    if (r.run) {
      const body = { ...r.run, paused: r.paused && !r.exited };
      if (r.seq > 0) body.at_seq = r.seq;
      await this.persist(() => super.req("POST", `/sessions/${c.id}/run`, body));
    }
    r.cur = c.id;
    this.resumed++;
    if (r.stream && !r.stream.facade.closed) await this.openStream(r, 0);
  }

  /**
   * ws opens the session's stream. What it returns stands for the socket
   * (the page only closes it) across the sockets a moved session needs.
   */
  async ws(id, onBatch, onClose) {
    const r = this.recipes.get(id);
    if (!r) return super.ws(id, onBatch, onClose);
    const facade = {
      closed: false, sock: null,
      close() { this.closed = true; if (this.sock) this.sock.close(); },
    };
    r.stream = { facade, onBatch, onClose, gen: 0 };
    await this.openStream(r, 0);
    return facade;
  }

  /**
   * openStream opens a socket for r's stream. skipTo drops the events the
   * page has (a stream opened again on the same session starts at its
   * run's first event); a rebuilt session's starts after them.
   */
  async openStream(r, skipTo) {
    const s = r.stream;
    const gen = ++s.gen;
    if (s.facade.sock) { try { s.facade.sock.close(); } catch (e) { /* closed */ } }
    s.facade.sock = await super.ws(r.cur, (msgs) => {
      if (gen !== s.gen) return undefined; // a socket this stream has left
      const keep = [];
      for (const m of msgs) {
        if (m.type === "move") {
          if (r.engine !== "sim") { this.onLost(words("draining")); continue; }
          // What came before the move is the page's; the rest comes from
          // the session rebuilt elsewhere.
          this.move(r);
          return keep.length ? s.onBatch(keep) : undefined;
        }
        if (m.seq && m.type !== "state" && m.type !== "dropped") {
          if (m.seq <= skipTo) continue;
          skipTo = 0;
          r.seq = m.seq;
          if (m.type === "exit") r.exited = true;
        }
        keep.push(m);
      }
      return keep.length ? s.onBatch(keep) : undefined;
    }, () => {
      if (gen === s.gen) this.streamClosed(r);
    });
  }

  /** streamClosed: the server closed the stream, or went away. */
  async streamClosed(r) {
    const s = r.stream;
    // Closed by the page, or a session it has let go; or a real run that
    // ended (nothing more to read, and nothing to rebuild).
    if (s.facade.closed || !this.has(r) || (r.exited && r.engine !== "sim")) {
      if (s.onClose) s.onClose();
      return;
    }
    try {
      await this.persist(() => super.req("GET", "/sessions/" + r.cur));
      // The same server, still holding the session: read on.
      await this.openStream(r, r.seq);
    } catch (e) {
      try {
        if (!gone(e)) throw e;
        await this.rebuild(r);
      } catch (e2) {
        if (!(e2 instanceof LostError)) this.onLost(e2.message);
        if (s.onClose) s.onClose();
      }
    }
  }

  /** has says whether r is still a session the page holds. */
  has(r) {
    for (const v of this.recipes.values()) if (v === r) return true;
    return false;
  }

  /** move rebuilds r, a simulated session, elsewhere: its server drains. */
  async move(r) {
    const s = r.stream;
    s.gen++; // what the draining server still sends is no longer read
    try { s.facade.sock.close(); } catch (e) { /* closed */ }
    try { await this.rebuild(r); } catch (e) { if (!(e instanceof LostError)) this.onLost(e.message); }
  }
}
