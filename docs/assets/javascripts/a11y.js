// Accessibility repairs for markup that comes from the theme and the quiz plugin.
// Runs once Material has set up the page (document$ emits after its components mount).
document$.subscribe(() => {
  // Material's search overlay is a dialog without a name.
  const search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");

  // Wide tables, formulas and notebook code scroll sideways on a phone: keyboard users
  // must be able to reach whatever actually overflows (and only that, to keep tab stops
  // few). Measuring forces layout, so each region is measured only when it comes within
  // a screen of the viewport, long before the keyboard can reach it.
  const scrollers = ".md-typeset__scrollwrap, .generated-table, .md-typeset div.arithmatex, " +
    ".highlight-ipynb, .jp-OutputArea-output";
  const watcher = new IntersectionObserver((entries) => {
    for (const { target, isIntersecting } of entries) {
      if (!isIntersecting) continue;
      watcher.unobserve(target);
      const overflows = target.scrollWidth > target.clientWidth + 1 || target.scrollHeight > target.clientHeight + 1;
      if (overflows && !target.hasAttribute("tabindex")) target.setAttribute("tabindex", "0");
    }
  }, { rootMargin: "100% 0px" });
  document.querySelectorAll(scrollers).forEach((region) => watcher.observe(region));

  // mkdocs-quiz writes its verdict and explanation into these elements after Submit:
  // make them live regions so that screen readers announce the feedback.
  for (const feedback of document.querySelectorAll(".quiz .quiz-feedback, .quiz .content")) {
    feedback.setAttribute("aria-live", "polite");
  }
});
