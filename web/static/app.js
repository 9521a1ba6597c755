// app.js: the page's entry point (skeleton; the views follow).
import * as i18n from "./i18n.js";

i18n.apply(document);
for (const b of document.querySelectorAll("[data-lang]")) {
  b.addEventListener("click", () => i18n.setLang(b.dataset.lang));
}
