import { test } from "node:test";
import assert from "node:assert/strict";
import { EMBED_PANELS, panelList, panelViews } from "../static/panels.js";

test("?panels= names views and tabs, in either spelling", () => {
  const p = panelViews("code, PageMap,log,walk");
  assert.deepEqual(p.names, ["code", "pagemap", "log", "walk"]);
  assert.deepEqual([...p.views], ["editor", "pagemap", "events", "walk"]);
  assert.deepEqual(p.tabs, ["walk"]);
  assert.deepEqual([...panelViews("areas").views], ["vmas"]);
  assert.deepEqual([...panelViews("vmas,events").views], ["vmas", "events"]);
});

test("unknown names are left out; none known shows the whole page", () => {
  assert.deepEqual(panelViews("code,bogus").names, ["code"]);
  assert.deepEqual(panelViews("bogus").names, []);
  assert.deepEqual(panelViews("").names, []);
});

test("the embed without a list shows its default; the page shows everything", () => {
  assert.equal(panelList(null, true), EMBED_PANELS);
  assert.equal(panelList("bogus", true), EMBED_PANELS);
  assert.equal(panelList("areas", true), "areas");
  assert.equal(panelList(null, false), "");
  assert.equal(panelList("log", false), "log");
  assert.deepEqual(panelViews(EMBED_PANELS).names, ["code", "output", "pagemap", "log"]);
});
