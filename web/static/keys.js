// keys.js: the page's keyboard. Ctrl+Enter runs from anywhere and Alt+Z
// wraps the editor's lines; outside the editor and the form fields the
// timeline's keys move through the run. keyAction reads a key press into
// what it does (a pure function, tested under node); app.js does it.

import { escapeHTML } from "./eventlog.js";

/** KEYS are the keys the Keys box lists: [keys, the words' key]; two
 * spaces separate alternatives, one the keys pressed together. */
export const KEYS = [["Ctrl+Enter", "keys-run"], ["Esc", "keys-leave"], ["Tab", "keys-indent"], ["Alt+Z", "keys-wrap"], ["( ) { }", "keys-brackets"], ["← →", "keys-event"], ["Home End", "keys-ends"],
  ["S  Shift+S", "keys-syscall"], ["F  Shift+F", "keys-fault"], ["C  Shift+C", "keys-checkpoint"], ["Tab  Shift+Tab", "keys-tab"]];

/** keysHTML is the Keys box's table, its words by t. */
export function keysHTML(t) {
  return `<h3>${escapeHTML(t("keys-title"))}</h3><table>${KEYS.map(([k, d]) => `<tr><td>${k.split("  ").map((x) => x.split(" ").map((y) => `<kbd>${escapeHTML(y)}</kbd>`).join(" ")).join(" / ")}</td><td>${escapeHTML(t(d))}</td></tr>`).join("")}</table>`;
}

const ARROWS = ["ArrowLeft", "ArrowRight", "ArrowUp", "ArrowDown"];

/**
 * keyAction is what a key press does: "run", "wrap", "close-keys",
 * "next", "prev", "first", "last", "syscall", "fault", "checkpoint" (with
 * dir -1 for Shift: the previous one), or null for none (the key is the
 * focused element's: typing, a form field, a widget's arrows).
 * keysOpen says the Keys box is open.
 */
export function keyAction(e, keysOpen) {
  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) return { do: "run" };
  if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === "z" || e.key === "Z" || e.code === "KeyZ")) return { do: "wrap" };
  if (e.key === "Escape" && keysOpen) return { do: "close-keys" };
  const tg = e.target;
  const typing = tg && (tg.tagName === "TEXTAREA" || tg.tagName === "INPUT" && tg.type !== "range" || tg.tagName === "SELECT" || tg.isContentEditable);
  if (typing || e.ctrlKey || e.metaKey || e.altKey) return null;
  // Widgets that take arrow keys themselves.
  const widget = tg && tg.classList && (tg.classList.contains("split") || tg.closest && tg.closest(".event-log,.vma-list,.tabs") || tg.id === "page-map");
  if (widget && ARROWS.includes(e.key)) return null;
  const dir = e.shiftKey ? -1 : 1;
  switch (e.key) {
    case "ArrowRight": return { do: "next" };
    case "ArrowLeft": return { do: "prev" };
    case "Home": return { do: "first" };
    case "End": return { do: "last" };
    case "s": case "S": return { do: "syscall", dir };
    case "f": case "F": return { do: "fault", dir };
    case "c": case "C": return { do: "checkpoint", dir };
  }
  return null;
}
