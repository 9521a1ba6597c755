// browserless.js: the little of a browser that the page's modules read when
// they load (the address, the language, storage), for the node unit tests
// of the modules that draw and run. Import it before them.
globalThis.location = { search: "", protocol: "http:", host: "class.test", origin: "http://class.test" };
globalThis.navigator = { language: "en" };
const store = new Map();
globalThis.localStorage = { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, String(v)), removeItem: (k) => store.delete(k) };
