/* Step through gradient descent, one iterate at a time, for one learning rate at a time.
 *
 * The page holds the complete static figure (all iterates of every learning rate, drawn by
 * scripts/gradient_descent_quadratic.py or scripts/gradient_descent_ill_conditioned.py);
 * without JavaScript that is what a reader sees. This script puts the SVG inline, shows
 * the chosen learning rate's path up to the current step, and prints x_k and f(x_k) from the
 * script's data file. Before the largest learning rate can be run, the reader predicts what
 * it will do ("predict, then reveal"). Buttons and radio buttons only: keyboard-operable.
 */

import { element, inlineSvg, stepButtons } from "./svg-inline.js";

function number(value) {
  const size = Math.abs(value);
  const text = size !== 0 && (size >= 1e5 || size < 1e-3) ? value.toExponential(2) : String(Number(value.toPrecision(3)));
  return text.replace("-", "−");
}

let counter = 0;

async function setUp(root) {
  const data = await (await fetch(root.dataset.src)).json();
  const svg = await inlineSvg(root.querySelector("img"));
  const id = `gd-stepper-${(counter += 1)}`;
  const runs = data.runs;
  const last = runs[0].points.length - 1;
  let run = 0;
  let step = 0;
  let timer = null;
  let revealed = false;

  // Which learning rate: radio buttons.
  const choose = element("fieldset", "stepper-choose");
  choose.append(element("legend", null, "Learning rate η"));
  const radios = runs.map((r, i) => {
    const label = element("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `${id}-run`;
    input.value = String(i);
    input.checked = i === 0;
    label.append(input, ` η = ${r.lr}` + (i === data.predict ? " (predict first)" : ""));
    choose.append(label);
    input.addEventListener("change", () => { stop(); run = i; step = 0; render(); });
    return input;
  });

  // Predict, then reveal (only for the learning rate the data file names).
  const predict = element("fieldset", "stepper-predict");
  predict.append(element("legend", null, `Before you run η = ${runs[data.predict].lr}: what will the iterates do?`));
  const regimes = [...new Set(runs.map((r) => r.regime))];
  for (const regime of regimes) {
    const label = element("label");
    const input = document.createElement("input");
    input.type = "radio";
    input.name = `${id}-guess`;
    input.value = regime;
    label.append(input, ` ${regime}`);
    predict.append(label);
  }
  const reveal = element("button", "md-button", "Reveal");
  reveal.type = "button";
  const verdict = element("p", "stepper-verdict");
  verdict.setAttribute("aria-live", "polite");
  predict.append(reveal, verdict);

  const { row, step: next, play, reset } = stepButtons("Next step");
  const status = element("p", "stepper-status");
  status.setAttribute("aria-live", "polite");
  const panel = element("div", "stepper-panel");
  panel.append(choose, predict, row, status);
  (svg.closest("a") || svg).after(panel);  // the controls right under the picture, above the caption

  function mark(i, k, part, state) {
    const node = svg.getElementById(`${data.stem}-run${i}-${part}${k}`);
    if (node) node.setAttribute("class", state);
  }

  function render() {
    const locked = run === data.predict && !revealed;
    predict.hidden = run !== data.predict;
    runs.forEach((r, i) => {
      for (let k = 0; k <= last; k += 1) {
        const shown = i === run && !locked && k <= step;
        mark(i, k, "point", shown ? (k === step ? "is-current" : "is-done") : "is-hidden");
        if (k > 0) mark(i, k, "segment", shown ? "is-done" : "is-hidden");
      }
    });
    next.disabled = locked || step >= last;
    play.disabled = locked;
    const r = runs[run];
    const x = r.points[step].map(number).join(", ");
    status.textContent = locked
      ? "Make your prediction, then press Reveal."
      : `Learning rate η = ${r.lr}, step ${step} of ${last}: x = (${x}), f(x) = ${number(r.values[step])}.`;
    status.dataset.step = String(step);
    status.dataset.value = String(r.values[step]);
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }

  next.addEventListener("click", () => { stop(); if (step < last) { step += 1; render(); } });
  reset.addEventListener("click", () => { stop(); step = 0; render(); });
  play.addEventListener("click", () => {
    if (timer !== null) { stop(); return; }
    if (step >= last) step = 0;
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => { step += 1; render(); if (step >= last) stop(); }, 700);
  });
  reveal.addEventListener("click", () => {
    const guess = predict.querySelector("input:checked");
    if (!guess) { verdict.textContent = "Pick one of the answers first."; return; }
    revealed = true;
    const truth = runs[data.predict].regime;
    verdict.textContent = guess.value === truth
      ? `Yes: it ${truth}. Step through it to see how.`
      : `Not quite: it ${truth}. Step through it to see how.`;
    step = 0;
    render();
    next.focus();
  });
  radios[0].checked = true;
  root.classList.add("is-live");
  render();
}

for (const root of document.querySelectorAll('[data-widget="gd-stepper"]')) {
  setUp(root).catch((error) => console.warn("gradient-descent stepper: showing the static figure", error));
}
