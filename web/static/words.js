// words.js: one event said in words, for the timeline's status: what
// happened, in the page's language, as a teacher would say it.

import { t } from "./i18n.js";
import { describe, syscallText } from "./eventlog.js";
import { hex } from "./model.js";

/** say is a sentence about ev (without its number or line). */
export function say(ev) {
  switch (ev.type) {
    case "syscall": {
      const s = syscallText(ev);
      return t(ev.errno ? "say-syscall-err" : "say-syscall", { call: s.call, ret: s.ret });
    }
    case "fault": {
      const what = t("kind-" + ev.kind);
      const base = t("say-fault", { access: t("acc-" + (ev.access || "read")), addr: hex(ev.addr || 0) });
      return `${base}: ${what === "kind-" + ev.kind ? ev.kind : what}${ev.code ? " (" + ev.code + ")" : ""}`;
    }
    case "checkpoint": return t("say-checkpoint", { label: ev.label || "" });
    case "vma": {
      const v = ev.vma || {};
      return t("say-vma-" + (ev.op || "add"), { area: `${hex(v.start || 0)}-${hex(v.end || 0)} ${v.perms || ""} ${v.file || ""}`.trim(), why: ev.why || "" });
    }
    case "pte": return t(ev.op === "clear" ? "say-pte-clear" : "say-pte-set", { n: ev.pages || 1, addr: hex(ev.addr || 0), why: ev.why || "" });
    case "signal": return t("say-signal", { sig: ev.signal || "", code: ev.code || "", addr: hex(ev.addr || 0) });
    case "stdout": case "stderr": return t("say-output", { text: JSON.stringify(ev.text || "").slice(0, 60) });
    case "exit": return ev.signal ? t("say-exit-signal", { sig: ev.signal }) : t("say-exit", { status: ev.status || 0 });
    case "exec": return t("say-exec", { name: ev.name || "" });
    case "process": return ev.op === "fork" ? t("say-fork", { child: ev.child || "" }) : t("say-process-exit");
    case "pagecache": return t("say-cache", { file: ev.file || "", index: ev.index || 0, op: ev.op || "", state: ev.state && ev.state !== ev.op ? "→ " + ev.state : "" }).trim();
    case "disk": return t("say-disk-" + (ev.op === "write" ? "write" : "read"), { file: ev.file || "swap", why: ev.why || "" });
  }
  const d = describe(ev);
  return `${ev.type} ${d.main}`;
}

/** where is the timeline's line for event i of n: its number, its source
 * line, and what it is. */
export function where(ev, i, n) {
  const head = t("where-event", { i: (i + 1).toLocaleString(), n: n.toLocaleString() });
  const line = ev.line ? " · " + t("where-line", { line: ev.line }) : "";
  return { head: head + line, text: say(ev) };
}
