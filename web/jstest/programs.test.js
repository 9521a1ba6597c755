import "./browserless.js";
import { test } from "node:test";
import assert from "node:assert/strict";
import * as i18n from "../static/i18n.js";
import { P, ui } from "../static/state.js";
import { sourceFor, unedited, showLangSource } from "../static/programs.js";

// setLang redraws the page's labels: a document with none.
globalThis.document = { documentElement: {}, querySelectorAll: () => [], title: "" };

const ex = { name: "t", source: "int x; // a note\n", source_zh: "int x; // 一条说明\n" };

// editor is the page's editor as programs.js uses it: retext is a
// replacement of the text that keeps its lines' marks.
function editor(value) {
  const ed = { value, retexts: 0 };
  ed.retext = (s) => { ed.value = s; ed.retexts++; };
  return ed;
}

test("an example is shown in the page's language; one without Chinese comments in English", () => {
  i18n.setLang("en");
  assert.equal(sourceFor(ex), ex.source);
  i18n.setLang("zh");
  assert.equal(sourceFor(ex), ex.source_zh);
  assert.equal(sourceFor({ source: "int y;\n" }), "int y;\n");
  assert.equal(sourceFor(null), "");
});

test("either language's text is the example unedited; a changed one is the student's", () => {
  assert.ok(unedited(ex, ex.source));
  assert.ok(unedited(ex, ex.source_zh));
  assert.ok(!unedited(ex, ex.source + "int z;\n"));
  assert.ok(!unedited({ source: "a" }, ""), "no Chinese text is not an empty one");
  assert.ok(!unedited(null, ""));
});

test("a language change switches the example's comments, but never the student's program", () => {
  i18n.setLang("en");
  ui.example = ex;
  P.editor = editor(ex.source);
  i18n.setLang("zh");
  showLangSource();
  assert.equal(P.editor.value, ex.source_zh);
  i18n.setLang("en");
  showLangSource();
  assert.equal(P.editor.value, ex.source);
  assert.equal(P.editor.retexts, 2);
  showLangSource();
  assert.equal(P.editor.retexts, 2, "no change when it already is in the language");

  P.editor = editor("int x; // mine\n");
  i18n.setLang("zh");
  showLangSource();
  assert.equal(P.editor.value, "int x; // mine\n", "an edited program stays");
  ui.example = null;
  P.editor = editor("int q;\n");
  showLangSource();
  assert.equal(P.editor.value, "int q;\n", "a pasted program stays");
});
