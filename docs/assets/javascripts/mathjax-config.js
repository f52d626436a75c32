// MathJax 3 for pymdownx.arithmatex (generic mode), served from our own origin
// (assets/vendor/mathjax, copied there by hooks/mathjax.py). MathJax weighs over 1 MB,
// so a page without formulas never loads it. With Material's instant navigation the
// page body is swapped without a reload, so each new page is typeset when it arrives.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"]],
    displayMath: [["\\[", "\\]"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    ignoreHtmlClass: ".*|",
    processHtmlClass: "arithmatex",
    // Formulas are not tab stops: keyboard users move between quiz answers and buttons,
    // not through every symbol. Screen readers still get the hidden MathML.
    menuOptions: { settings: { inTabOrder: false } },
  },
};

const mathjaxSource = new URL("../vendor/mathjax/tex-chtml.js", document.currentScript.src).href;

// A formula wider than the screen scrolls sideways; keyboard users must be able to
// focus it to scroll it (only such formulas become tab stops).
function makeWideFormulasFocusable() {
  for (const box of document.querySelectorAll(".md-typeset div.arithmatex")) {
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
  }
}
window.MathJax.startup = {
  pageReady: () => MathJax.startup.defaultPageReady().then(makeWideFormulasFocusable),
};

document$.subscribe(() => {
  if (!document.querySelector(".arithmatex")) return;
  if (window.MathJax.typesetPromise) {
    MathJax.startup.output.clearCache();
    MathJax.typesetClear();
    MathJax.texReset();
    MathJax.typesetPromise().then(makeWideFormulasFocusable);
  } else if (!document.getElementById("mathjax-script")) {
    // First page with math: load MathJax, which typesets the page once it is ready.
    const script = document.createElement("script");
    script.id = "mathjax-script";
    script.src = mathjaxSource;
    script.async = true;
    document.head.appendChild(script);
  }
});
