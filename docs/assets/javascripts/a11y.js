// Accessibility repairs for markup that comes from the theme and the quiz plugin.
// Runs once Material has set up the page (document$ emits after its components mount).
document$.subscribe(() => {
  // Material's search overlay is a dialog without a name.
  const search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");

  // Wide tables and notebook code scroll sideways on a phone: keyboard users must be able
  // to reach them, so they are tab stops. (Measuring which ones overflow would force the
  // whole page to be laid out at once, the cost content-visibility saves.)
  const tables = ".md-typeset__scrollwrap, .generated-table, .highlight-ipynb, .jp-OutputArea-output";
  for (const region of document.querySelectorAll(tables)) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
  }

  // Display formulas are many, and few overflow: each becomes a tab stop only if it does,
  // measured when it comes within a screen of the viewport, before the keyboard reaches it.
  const watcher = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (!isIntersecting) continue;
      watcher.unobserve(target);
      const overflows = target.scrollWidth > target.clientWidth + 1 || target.scrollHeight > target.clientHeight + 1;
      if (overflows && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "0");
    }
  }, { rootMargin: "100% 0px" });
  document.querySelectorAll(".md-typeset div.arithmatex").forEach((formula) => watcher.observe(formula));

  // mkdocs-quiz writes its verdict and explanation into these elements after Submit:
  // make them live regions so that screen readers announce the feedback.
  for (const feedback of document.querySelectorAll(".quiz .quiz-feedback, .quiz .content")) {
    feedback.setAttribute("aria-live", "polite");
  }
});
