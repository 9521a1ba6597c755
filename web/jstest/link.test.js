import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { pack, unpack, srcText, b64url } from "../static/link.js";

const z0 = (z) => z;

test("a program survives the round trip, UTF-8 and all", async () => {
  const src = "#include <stdio.h>\nint main(void)\n{\n\tprintf(\"页帧 ✓\\n\");\n\treturn 0;\n}\n";
  assert.equal(await unpack(await pack(src)), src);
  assert.equal((await pack(src))[0], "1", "the tutorial's words substituted");
  const odd = "int x = '\x01';\n";
  assert.equal(await unpack(await pack(odd)), odd, "a program with control characters goes as it is");
  assert.equal((await pack(odd))[0], "0");
});

test("a 50-line program makes a link under 700 characters", async () => {
  // A tutorial's 50 lines of C: an example's code without its comments.
  const full = readFileSync(new URL("../../examples/c/shared_private_cow.c", import.meta.url), "utf8");
  const src = full.replace(/\/\*[\s\S]*?\*\//g, "").replace(/[ \t]*\/\/[^\n]*/g, "").split("\n").filter((l) => l.trim()).slice(0, 50).join("\n") + "\n";
  assert.equal(src.split("\n").length - 1, 50);
  assert.equal(await unpack(z0(await pack(src))), src);
  const z = await pack(src);
  const link = "http://classroom.local:8080/?z=" + z + "&engine=sim&lang=zh&run=1";
  assert.ok(link.length < 700, `link of ${link.length} characters`);
});

test("old ?src= links still read", () => {
  assert.equal(srcText(b64url(new TextEncoder().encode("int main(){}"))), "int main(){}");
});

test("a damaged link is an error, not garbage", async () => {
  await assert.rejects(unpack("AAAA-not-deflate"));
});
