// Our additions to mkdocs-quiz, loaded on every page with a quiz (hooks/assets.py).
//
// Submit with no answer chosen: the plugin would score the question as wrong and lock
// it. Instead, nothing is scored; a short hint asks for an answer. This listener runs in
// the capture phase on the document, so it sees the submit event before the plugin's
// own listener on the form, and stops it there.

const HINT_CLASS = "quiz-hint";

function hintFor(form) {
  let hint = form.querySelector(`.${HINT_CLASS}`);
  if (!hint) {
    hint = document.createElement("p");
    hint.className = HINT_CLASS;
    hint.setAttribute("role", "status");
    form.append(hint);
  }
  return hint;
}

document.addEventListener(
  "submit",
  (event) => {
    const form = event.target;
    const quiz = form instanceof HTMLFormElement ? form.closest(".quiz") : null;
    if (!quiz || quiz.dataset.quizType === "fill-blank") return;
    const options = form.querySelectorAll('input[name="answer"]');
    if (options.length === 0 || form.querySelector('input[name="answer"]:checked')) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    hintFor(form).textContent = "Choose an answer first, then press Submit.";
    options[0].focus();
  },
  true,
);

// The hint goes away as soon as an answer is chosen.
document.addEventListener("change", (event) => {
  const form = event.target.closest?.(".quiz form");
  const hint = form?.querySelector(`.${HINT_CLASS}`);
  if (hint) hint.remove();
});

// Answers are shuffled a quiz at a time, when it comes within a screen of the reader or
// at the next idle moment, not all at once when the page loads. The plugin shuffles
// every quiz at load (`data-shuffle-answers`), and putting a chapter's answers back in
// the page restyled all of them and their formulas in one go: on chapter 1, the
// largest piece of the longest task at load. This module runs before the plugin's
// start-up (DOMContentLoaded), takes the attribute away and shuffles as the plugin
// would (Fisher-Yates); the plugin restores saved answers by value, so order is free.
const PENDING = ".quiz[data-shuffle-pending]";

function shuffle(quiz) {
  if (!quiz.matches(PENDING)) return;
  delete quiz.dataset.shufflePending;
  const fieldset = quiz.querySelector("fieldset");
  const options = [...fieldset.querySelectorAll(":scope > div")];
  for (let i = options.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [options[i], options[j]] = [options[j], options[i]];
  }
  fieldset.append(...options);
}

const nearScreen = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    if (entry.isIntersecting) shuffle(entry.target);
  }
}, { rootMargin: "100% 0px" });
for (const quiz of document.querySelectorAll(".quiz[data-shuffle-answers]")) {
  quiz.removeAttribute("data-shuffle-answers");
  quiz.dataset.shufflePending = "";
  nearScreen.observe(quiz);
}
const whenIdle = window.requestIdleCallback || ((callback) => setTimeout(callback, 50));
function shuffleNext() {
  const next = document.querySelector(PENDING);
  if (!next) return nearScreen.disconnect();
  shuffle(next);
  whenIdle(shuffleNext);
}
whenIdle(shuffleNext);
