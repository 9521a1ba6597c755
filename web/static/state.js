// state.js: what the parts of the page share: the run on view, the
// session it steps in, what the views show (ui), the page's pieces (P, set
// by app.js), the measurements the browser tests read, and the status line.
//
// The page is split by concern (app.js wires it): run.js runs programs and
// takes their events, timeline.js moves through them, draw.js draws the
// views, serverstate.js asks the server for the engine's state at an
// event, spots.js takes a lesson's notice to its moment, programs.js loads
// examples and makes links, keys.js reads the keyboard, panels.js picks
// the embed's panels. They share these objects, never module globals of
// each other's.

import { limitTable } from "./limits.js";

// (Outside a browser, as in the node unit tests, there is no document.)
const doc = typeof document !== "undefined" ? document : null;

export const $ = (id) => document.getElementById(id);

export const isEmbed = !!doc && doc.body.classList.contains("embed");

export const params = new URLSearchParams(doc ? location.search : "");

/** S holds what changes as the student works: the run on view (run.js's
 * Run), the stepping session ({id, key}), the session that replays a
 * streamed run for /state?seq= ({id, key}), and the model rebuilt for the
 * event on view (timeline.js's viewModel). */
export const S = { run: null, session: null, replaySess: null, renderedModel: null };

/** P are the page's pieces, made by app.js: client, editor, pagemap,
 * eventLog, vmaView, otherView, lessons, tabs. */
export const P = {};

// The server's limits, to name the setting that changes one (limits.js).
export const limitsTable = doc ? limitTable(doc) : new Map();

/** lessonsData are the lessons, written into the page by the server. */
export let lessonsData = [];
try { lessonsData = doc ? JSON.parse($("lessons-data").textContent) || [] : []; } catch (e) { lessonsData = []; }

export const ui = {
  procKey: null, // the process whose areas are shown
  vmaStart: null, // the area the page map shows
  vmaUser: false, // chosen by the user (else the newest mapping)
  viewIndex: -1, // the event the views show (-1: the latest)
  walkAddr: null,
  example: null, // the example the editor holds, for its files and args
  serverState: null,
};

// The measurements the browser tests read.
export const perf = { exitAt: 0, drawnAt: 0, events: 0, draws: 0, runs: 0 };
if (doc) window.__playground = perf;

export function setStatus(s, err) {
  const el = $("status");
  el.textContent = s;
  el.classList.toggle("err", !!err);
}
