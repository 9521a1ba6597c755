// api.js: the server's HTTP API and websocket, as the page uses them.
//
// Two ways to run a program:
//   - stream(): POST /api/v1/run, the events as NDJSON. Lossless (the
//     server's writer waits for the page, so the program does too) and
//     fast; the page reads it through a gate it can close (pause) and open
//     again, or open for one step.
//   - a session (POST /api/v1/sessions): a run that pauses on the server
//     at a step for as long as the student looks at it, with its events on
//     a websocket and its state answerable (GET .../state?addr=, ?seq=).

const params = new URLSearchParams(location.search);
const TOKEN_KEY = "mmap-playground.token";

function token() {
  const q = params.get("token");
  if (q) { try { sessionStorage.setItem(TOKEN_KEY, q); } catch (e) { /* ignore */ } return q; }
  try { return sessionStorage.getItem(TOKEN_KEY) || ""; } catch (e) { return ""; }
}

export class APIError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export class Client {
  static parseMs = 0;

  constructor(base) {
    this.base = base || "/api/v1";
    this.token = token();
  }

  headers(json) {
    const h = {};
    if (json) h["Content-Type"] = "application/json";
    if (this.token) h["Authorization"] = "Bearer " + this.token;
    return h;
  }

  async req(method, path, body, opts = {}) {
    const res = await fetch(this.base + path, {
      method,
      headers: this.headers(body !== undefined),
      body: body !== undefined ? JSON.stringify(body) : undefined,
      keepalive: !!opts.keepalive,
      signal: opts.signal,
    });
    const text = await res.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
    if (!res.ok) {
      const err = data && data.error;
      throw new APIError(res.status, err ? err.code : "http", err ? err.message : `${res.status} ${res.statusText}`);
    }
    return data;
  }

  examples() { return this.req("GET", "/examples"); }
  example(name) { return this.req("GET", "/examples/" + encodeURIComponent(name)); }

  createSession(engine, options) { return this.req("POST", "/sessions", { engine, options }); }
  deleteSession(id) { return this.req("DELETE", "/sessions/" + id, undefined, { keepalive: true }).catch(() => {}); }
  run(id, body) { return this.req("POST", `/sessions/${id}/run`, body); }
  step(id, until) { return this.req("POST", `/sessions/${id}/step`, { until }); }
  pause(id) { return this.req("POST", `/sessions/${id}/pause`, {}); }
  cont(id) { return this.req("POST", `/sessions/${id}/continue`, {}); }
  back(id, seq) { return this.req("POST", `/sessions/${id}/back`, { seq }); }
  state(id, q = {}) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v != null) u.set(k, String(v));
    const s = u.toString();
    return this.req("GET", `/sessions/${id}/state${s ? "?" + s : ""}`);
  }
  pages(id, pid, start, end, seq) { return this.req("GET", `/sessions/${id}/pages?pid=${pid}&start=${start}&end=${end}${seq ? "&seq=" + seq : ""}`); }

  /** ws opens the session's event stream; onBatch gets arrays of messages. */
  ws(id, onBatch, onClose) {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const q = this.token ? "?token=" + encodeURIComponent(this.token) : "";
    const sock = new WebSocket(`${proto}//${location.host}${this.base}/sessions/${id}/ws${q}`);
    sock.onmessage = (m) => {
      let v;
      try { v = JSON.parse(m.data); } catch (e) { return; }
      onBatch(Array.isArray(v) ? v : [v]);
    };
    sock.onclose = () => onClose && onClose();
    return new Promise((resolve, reject) => {
      sock.onopen = () => resolve(sock);
      sock.onerror = () => reject(new Error("websocket failed"));
    });
  }

  /**
   * stream runs a program with POST /api/v1/run and hands its events to
   * onBatch in arrays. gate() is awaited before each chunk is read: a page
   * that pauses returns a promise that resolves when it goes on.
   */
  async stream(body, onBatch, { signal, gate } = {}) {
    const res = await fetch(this.base + "/run", { method: "POST", headers: this.headers(true), body: JSON.stringify(body), signal });
    if (!res.ok) {
      let data = null;
      try { data = await res.json(); } catch (e) { /* not JSON */ }
      const err = data && data.error;
      throw new APIError(res.status, err ? err.code : "http", err ? err.message : `${res.status} ${res.statusText}`);
    }
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let rest = "";
    for (;;) {
      if (gate) await gate();
      const { value, done } = await reader.read();
      if (done) break;
      const text = rest + dec.decode(value, { stream: true });
      const cut = text.lastIndexOf("\n");
      if (cut < 0) { rest = text; continue; }
      rest = text.slice(cut + 1);
      // One JSON.parse for the whole chunk: the lines joined as an array.
      const body = text.slice(0, cut).replace(/\n/g, ",");
      if (body) {
        const t0 = performance.now();
        const evs = JSON.parse("[" + body + "]");
        Client.parseMs += performance.now() - t0;
        await onBatch(evs);
      }
    }
    if (rest.trim()) await onBatch([JSON.parse(rest)]);
  }
}
