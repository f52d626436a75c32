// Accessibility repairs for markup that comes from the theme and the quiz plugin.
// Runs on every page, including pages reached by Material's instant navigation.
document$.subscribe(() => {
  // Material's search overlay is a dialog without a name.
  const search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");

  // Wide tables scroll sideways on a phone: keyboard users must be able to reach them.
  for (const region of document.querySelectorAll(".md-typeset__scrollwrap, .generated-table")) {
    if (!region.hasAttribute("tabindex")) region.setAttribute("tabindex", "0");
  }

  // mkdocs-quiz writes its verdict and explanation into these elements after Submit:
  // make them live regions so that screen readers announce the feedback.
  for (const feedback of document.querySelectorAll(".quiz .quiz-feedback, .quiz .content")) {
    feedback.setAttribute("aria-live", "polite");
  }
});
