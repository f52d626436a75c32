/* Tap or click a figure to enlarge it.
 *
 * hooks/figure_pages.py wraps every figure image in a link to its full-size SVG, so
 * without JavaScript a tap opens the figure on its own, where the browser can zoom it.
 * With JavaScript the link opens a dialog instead: the full-size figure (the desktop
 * variant, also on a phone: pan it sideways), its caption, and a Close button. Escape,
 * the button or a click outside the figure closes it, and focus returns to the link.
 * Built with DOM calls only (no innerHTML), so the page's strict CSP holds.
 */

function buildDialog() {
  const dialog = document.createElement("dialog");
  dialog.className = "figure-zoom-dialog";
  dialog.setAttribute("aria-label", "Enlarged figure");
  const close = document.createElement("button");
  close.type = "button";
  close.className = "figure-zoom-close md-button";
  close.textContent = "Close";
  close.addEventListener("click", () => dialog.close());
  const frame = document.createElement("div");
  frame.className = "figure-zoom-frame";
  const image = document.createElement("img");
  frame.append(image);
  const caption = document.createElement("div");
  caption.className = "figure-zoom-caption";
  dialog.append(close, frame, caption);
  // A click on the backdrop (the dialog element itself, outside its content) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  document.body.append(dialog);
  return { dialog, image, caption };
}

let parts = null;
let opener = null;

function open(link) {
  parts = parts || buildDialog();
  const source = link.querySelector("img");
  parts.image.src = link.getAttribute("href");
  parts.image.alt = source ? source.alt : "";
  parts.caption.replaceChildren();
  const figcaption = link.closest("figure") && link.closest("figure").querySelector("figcaption");
  if (figcaption) {
    for (const node of figcaption.childNodes) parts.caption.append(node.cloneNode(true));
  }
  opener = link;
  parts.dialog.addEventListener("close", () => opener && opener.focus(), { once: true });
  parts.dialog.showModal();
  parts.dialog.querySelector(".figure-zoom-close").focus();
}

for (const link of document.querySelectorAll("a.figure-zoom")) {
  link.addEventListener("click", (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;  // new tab: let it
    event.preventDefault();
    open(link);
  });
}
