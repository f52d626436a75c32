// Loaded by the notebook pages only, in place of the MathJax 2 that mkdocs-jupyter would
// fetch from a CDN (mkdocs.yml: mkdocs-jupyter custom_mathjax_url). It is deliberately
// empty: the site makes no request to another origin, the notebooks' prose has no
// formulas, and any math elsewhere is typeset by the site's own MathJax 3.
