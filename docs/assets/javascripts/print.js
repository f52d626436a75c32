// Open every folded "deeper" box while printing, and close it again afterwards, for
// browsers whose print stylesheet cannot reveal the contents of a closed <details>.
(() => {
  let opened = [];
  window.addEventListener("beforeprint", () => {
    opened = [...document.querySelectorAll("details:not([open])")];
    for (const box of opened) box.setAttribute("open", "");
  });
  window.addEventListener("afterprint", () => {
    for (const box of opened) box.removeAttribute("open");
    opened = [];
  });
})();
