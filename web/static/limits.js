// limits.js: a run the server stopped or refused at one of its limits, in
// plain words, with the setting that changes it.
//
// The server's limits (their flags, environment variables and this
// server's values) are written into the page from package api's one table
// (#limits-data). What is read here is only how each limit shows in a run:
// the words of the error event the runner, the interpreter or the sandbox
// ends a run with (the browser test TestLimitsSaid holds each pattern to
// the message a real run over that limit ends with), and a real-engine
// mapping call refused ENOMEM under the worker's RLIMIT_AS.

/** STOPS are the error events a limit ends a run with; limit is the
 * setting's flag, or "" when no setting of the server changes it. */
export const STOPS = [
  { re: /^wall-time limit exceeded|^time limit exceeded/, limit: "run-time", what: "time" },
  { re: /^CPU time limit exceeded/, limit: "", what: "cpu" },
  { re: /^step limit exceeded/, limit: "run-steps", what: "steps" },
  { re: /^output limit exceeded/, limit: "output-bytes", what: "output" },
  { re: /^host memory limit exceeded/, limit: "run-memory", what: "memory" },
  { re: /^disk quota exceeded/, limit: "real-disk-bytes", what: "disk" },
];

// The calls that map memory, refused ENOMEM past RLIMIT_AS.
const MAPPING = new Set(["mmap", "mremap", "brk"]);

/** refusals finds where limits stopped or refused the run in events:
 * [{what, limit, engine, index, message}], at most one per engine and kind.
 * realRun says the events are a run on the real engine alone (they name
 * no engine). */
export function refusals(events, realRun) {
  const out = [];
  const seen = new Set();
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    let r = null;
    if (e.type === "error" && e.message) {
      const s = STOPS.find((x) => x.re.test(e.message));
      if (s) r = { what: s.what, limit: s.limit, message: e.message };
    } else if (e.type === "syscall" && e.errno === "ENOMEM" && MAPPING.has(e.name) && (e.engine === "real" || !e.engine && realRun)) {
      r = { what: "map", limit: "real-map-bytes", message: `${e.name} = ENOMEM`, call: e.name };
    }
    if (!r) continue;
    // On both, each engine's events name it; a run on one names none.
    r.engine = e.engine || "";
    r.real = e.engine === "real" || !e.engine && !!realRun;
    r.index = i;
    const k = r.engine + ":" + r.what;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(r);
  }
  return out;
}

/** limitTable reads the server's limits from the page: flag -> {flag, env, value}. */
export function limitTable(doc) {
  const m = new Map();
  try {
    for (const l of JSON.parse(doc.getElementById("limits-data").textContent) || []) m.set(l.flag, l);
  } catch (e) { /* a page without the table names no settings */ }
  return m;
}

/** sayRefusal is r in words: what stopped, and what changes it. t is
 * i18n's t; table is limitTable's. */
export function sayRefusal(r, table, t) {
  const l = r.limit ? table.get(r.limit) : null;
  const vars = { value: l ? l.value : "", events: (r.index + 1).toLocaleString(), call: r.call || "" };
  let s = (r.engine ? t("engine-name-" + r.engine) + ": " : "") + t("limit-" + r.what, vars);
  s += " " + (l ? t("limit-setting", { flag: "--" + l.flag, env: l.env, value: l.value }) : t("limit-no-setting"));
  // What the real kernel's worker cannot do, the simulated kernel can.
  if (r.real) s += " " + t("limit-try-sim");
  return s;
}
