import { test } from "node:test";
import assert from "node:assert/strict";
import { panelViews } from "../static/panels.js";

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
