/* Course site: wide tables on a phone. Every table in the article sits in a container that scrolls
   sideways inside the page (the page itself never does, WCAG 1.4.10). When a table is wider than its
   container, the container becomes a labelled, keyboard-focusable region (so it can be scrolled without
   a mouse, WCAG 2.1.1) and a visible cue above it says that it scrolls. Re-checked on resize. */
(function () {
  "use strict";
  // The page's language decides the words (the Korean edition: <html lang="ko">).
  const WORDS = document.documentElement.lang === "ko"
    ? {table: "표", scrolls: " (옆으로 스크롤됩니다)",
       cue: "\u2194 이 표는 옆으로 스크롤됩니다: 밀어서 넘기거나 화살표 키를 사용하세요."}
    : {table: "Table", scrolls: " (scrolls sideways)",
       cue: "\u2194 This table scrolls sideways: swipe or use the arrow keys."};
  function label(table) {
    const caption = table.querySelector("caption");
    const head = table.querySelector("th");
    const text = (caption || head || table).textContent.trim().replace(/\s+/g, " ").slice(0, 60);
    return WORDS.table + (text ? ": " + text : "") + WORDS.scrolls;
  }
  function wrap(table) {
    let box = table.parentElement;
    if (!box.classList.contains("pst-scrollable-table-container") && !box.classList.contains("spinecourse-table-scroll")) {
      box = document.createElement("div");
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    box.classList.add("spinecourse-table-scroll");
    return box;
  }
  function update(box) {
    const table = box.querySelector("table");
    const wide = box.scrollWidth > box.clientWidth + 1;
    let cue = box.previousElementSibling;
    if (!(cue && cue.classList.contains("spinecourse-scroll-cue"))) {
      cue = document.createElement("p");
      cue.className = "spinecourse-scroll-cue";
      cue.setAttribute("aria-hidden", "true");  // the region's name says it to screen readers
      cue.textContent = WORDS.cue;
      box.parentNode.insertBefore(cue, box);
    }
    cue.hidden = !wide;
    box.classList.toggle("spinecourse-scrolls", wide);
    if (wide) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label(table));
    } else {
      ["tabindex", "role", "aria-label"].forEach((a) => box.removeAttribute(a));
    }
  }
  function setup() {
    const boxes = [...document.querySelectorAll("main table")].map(wrap);
    const all = () => boxes.forEach(update);
    all();
    window.addEventListener("resize", all);
    document.documentElement.dataset.spinecourseTables = "ready";  // for the tests: the boxes are final
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
