/* What a closed box or a quiz's explanation holds, put into the page when it is shown.
 *
 * hooks/folded.py writes every formula and code listing a reader cannot see at load
 * inside a <noscript class="folded">: with scripts running, the browser keeps it as one
 * piece of text, so the thousands of elements they are made of cost nothing at load.
 * Opening a box (click, keyboard, a script, find-in-page, a link into it), showing a
 * quiz's explanation (after Submit, or restored from an earlier visit) and printing put
 * them in. A listing gets the same copy button Material gives every other code block
 * (Material's clipboard handler serves any [data-clipboard-target] button).
 */
(() => {
  let listings = 0;

  function addCopyButton(pre) {
    pre.id = `__folded_code_${listings++}`;
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

  function unfold(root) {
    for (const kept of root.querySelectorAll("noscript.folded")) {
      // Parsed in a separate, inert document (no script in it could run), then moved in.
      const parsed = new DOMParser().parseFromString(kept.textContent, "text/html");
      const nodes = [...parsed.body.childNodes];
      kept.replaceWith(...nodes);
      for (const node of nodes) {
        if (node.matches && node.matches(".highlight")) node.querySelectorAll(":scope > pre").forEach(addCopyButton);
      }
    }
  }

  // Whatever opens a box sets its `open` attribute; the observer runs before the next
  // frame is drawn, so the contents are there when the box first shows. (The `toggle`
  // event comes a task later: a box opened by a script showed empty in between.)
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.target.open) unfold(change.target);
    }
  }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["open"] });
  window.addEventListener("beforeprint", () => unfold(document));

  // The quiz plugin shows an explanation by taking away its `hidden` class.
  const shown = new MutationObserver((changes) => {
    for (const change of changes) {
      if (!change.target.classList.contains("hidden")) unfold(change.target);
    }
  });
  for (const explanation of document.querySelectorAll(".quiz > section.content")) {
    if (!explanation.querySelector("noscript.folded")) continue;
    if (explanation.classList.contains("hidden")) {
      shown.observe(explanation, { attributes: true, attributeFilter: ["class"] });
    } else {
      unfold(explanation);
    }
  }
})();
