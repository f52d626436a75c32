/* The code behind each figure, put into the page when its box is opened.
 *
 * hooks/figure_pages.py builds each figure's folded code listing inside a <noscript>:
 * with scripts running, the browser keeps it as one piece of text, so a chapter's dozen
 * listings cost nothing at load. Opening a box (click, keyboard, or script) and printing
 * put the listing in, with the same copy button Material gives every other code block
 * (Material's clipboard handler serves any [data-clipboard-target] button).
 */
(() => {
  let listings = 0;

  function unfold(box) {
    const deferred = box.querySelector(":scope > noscript.figure-code");
    if (!deferred) return;
    // Parsed in a separate, inert document (no script in it could run), then moved in.
    const parsed = new DOMParser().parseFromString(deferred.textContent, "text/html");
    deferred.replaceWith(...parsed.body.childNodes);
    for (const pre of box.querySelectorAll(".highlight > pre")) {
      pre.id = `__figure_code_${listings++}`;
      const code = pre.querySelector("code");
      code.tabIndex = 0; // long lines scroll sideways on a phone: keyboard users reach them
      const nav = document.createElement("nav");
      nav.className = "md-code__nav";
      const copy = document.createElement("button");
      copy.className = "md-code__button";
      copy.title = "Copy to clipboard";
      copy.dataset.clipboardTarget = `#${pre.id} > code`;
      copy.dataset.mdType = "copy";
      nav.append(copy);
      pre.insertBefore(nav, code);
    }
  }

  // A click on the summary comes before the box opens, so the listing is there in the
  // first frame; `toggle` (after opening) catches boxes opened by a script.
  document.addEventListener("click", (event) => {
    const summary = event.target.closest && event.target.closest("details > summary");
    if (summary) unfold(summary.parentElement);
  }, true);
  document.addEventListener("toggle", (event) => {
    if (event.target.open) unfold(event.target);
  }, true);
  window.addEventListener("beforeprint", () => {
    document.querySelectorAll("details").forEach(unfold);
  });
})();
