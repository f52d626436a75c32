// MathJax 3 configuration for pymdownx.arithmatex (generic mode), served from our own
// origin (assets/vendor/mathjax). With Material's instant navigation the page body is
// swapped without a reload, so we typeset again whenever a new page arrives.
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
  },
};

document$.subscribe(() => {
  // On the very first page MathJax typesets by itself once it has loaded.
  if (!window.MathJax.startup || !window.MathJax.typesetPromise) return;
  MathJax.startup.output.clearCache();
  MathJax.typesetClear();
  MathJax.texReset();
  MathJax.typesetPromise();
});
