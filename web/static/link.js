// link.js: share links. A program travels in the URL compressed:
// ?z=<base64url of its UTF-8 text, deflate-raw compressed> (the browser's
// CompressionStream), so a 50-line program fits in a short link. Links
// made before, with ?src=<base64url of the text>, still open.

/** b64url encodes bytes as base64url without padding. */
export function b64url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** unb64url decodes base64url (with or without padding) to bytes. */
export function unb64url(s) {
  s = s.replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4) s += "=";
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

// Before compressing, the C that mmap tutorials write most often is
// replaced by one control character each (deflate has no shared dictionary
// in the browser): a fifth shorter. A program holding any of these
// characters goes as it is. The link's first character says which: "1"
// substituted, "0" not. The table is the link format: append only.
const TOKENS = ["#include <sys/", "#include <", ".h>\n", "int main(void)\n{\n", "printf(\"", "\\n\"", "perror(\"", "return ",
  "MAP_FAILED", "mmap(NULL, ", "PROT_READ", "PROT_WRITE", "MAP_PRIVATE", "MAP_SHARED", "MAP_ANONYMOUS", "munmap(", "close(",
  "sizeof(", "4096", "present_pages(", "checkpoint(\"", "strerror(errno)", "char *", "for (int i = 0; i < ", "if (", "O_RDWR"];
const CODES = [];
for (let c = 1; c < 32 && CODES.length < TOKENS.length; c++) if (c !== 9 && c !== 10 && c !== 13) CODES.push(String.fromCharCode(c));
const HAS_CODE = new RegExp("[" + CODES.join("") + "]");

/** pack compresses a program for ?z=. */
export async function pack(text) {
  const sub = !HAS_CODE.test(text);
  let t = text;
  if (sub) TOKENS.forEach((tok, i) => { t = t.split(tok).join(CODES[i]); });
  return (sub ? "1" : "0") + b64url(await pipe(new TextEncoder().encode(t), new CompressionStream("deflate-raw")));
}

/** unpack reads ?z= back; it throws on a damaged link. */
export async function unpack(z) {
  const mode = z[0];
  if (mode !== "0" && mode !== "1") throw new Error("not a program link");
  let t = new TextDecoder("utf-8", { fatal: true }).decode(await pipe(unb64url(z.slice(1)), new DecompressionStream("deflate-raw")));
  if (mode === "1") CODES.forEach((c, i) => { t = t.split(c).join(TOKENS[i]); });
  return t;
}

/** srcText reads an old ?src= link. */
export function srcText(s) { return new TextDecoder("utf-8", { fatal: true }).decode(unb64url(s)); }

/** copyText puts text on the clipboard: first through a selected text
 * area and execCommand("copy"), which works on plain http within the
 * click, then through the Clipboard API (secure contexts only). It reports
 * whether either worked. */
export async function copyText(text, doc = globalThis.document) {
  if (doc) {
    const ta = doc.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.style.position = "fixed";
    ta.style.opacity = "0";
    doc.body.append(ta);
    ta.select();
    let ok = false;
    try { ok = doc.execCommand("copy"); } catch (e) { ok = false; }
    ta.remove();
    if (ok) return true;
  }
  try {
    if (globalThis.navigator && navigator.clipboard && globalThis.isSecureContext) { await navigator.clipboard.writeText(text); return true; }
  } catch (e) { /* not allowed */ }
  return false;
}
