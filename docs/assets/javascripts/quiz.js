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
