// Accessibility repairs for markup that comes from the theme and the quiz plugin.
// Runs on every page, including pages reached by Material's instant navigation.
document$.subscribe(() => {
  // Material's search overlay is a dialog without a name.
  const search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");

  // Wide tables and notebook code scroll sideways on a phone: keyboard users must be
  // able to reach whatever actually overflows (and only that, to keep tab stops few).
  const scrollers = ".md-typeset__scrollwrap, .generated-table, .highlight-ipynb, .jp-OutputArea-output";
  for (const region of document.querySelectorAll(scrollers)) {
    const overflows = region.scrollWidth > region.clientWidth + 1 || region.scrollHeight > region.clientHeight + 1;
    if (overflows && !region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
  }

  // mkdocs-quiz writes its verdict and explanation into these elements after Submit:
  // make them live regions so that screen readers announce the feedback.
  for (const feedback of document.querySelectorAll(".quiz .quiz-feedback, .quiz .content")) {
    feedback.setAttribute("aria-live", "polite");
  }
});
