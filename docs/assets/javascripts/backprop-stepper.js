/* Step through the backward pass of chapter 2's chain of sigmoid neurons, one layer at a time.
 *
 * The page holds the complete static diagram (figures/backprop_chain.svg, drawn by
 * scripts/backprop_chain.py); without JavaScript that is what a reader sees. This script
 * puts the same SVG inline, so it can light up one arrow at a time (the drawing gives each
 * arrow and label an id), and adds Step, Play/Pause and Reset buttons and the chain-rule
 * product written out with the current factor highlighted. Every number comes from
 * figures/data/backprop_chain.json, computed by JAX when the site was built.
 * DOM calls only (no innerHTML), for the page's strict Content-Security-Policy.
 */

import { element, inlineSvg, stepButtons } from "./svg-inline.js";

const SUPERSCRIPT = { "-": "⁻", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };

/** A number the way the diagram prints it: two significant digits, 6.6 × 10⁻⁶ when tiny. */
export function numberText(value) {
  const sign = value < 0 ? "−" : "";
  const size = Math.abs(value);
  if (size === 0) return "0";
  if (size < 1e-3) {
    let exponent = Math.floor(Math.log10(size));
    let mantissa = size / 10 ** exponent;
    if (Number(mantissa.toFixed(1)) >= 10) { mantissa /= 10; exponent += 1; }
    const power = String(exponent).split("").map((c) => SUPERSCRIPT[c]).join("");
    return `${sign}${mantissa.toFixed(1)} × 10${power}`;
  }
  if (size >= 10) return sign + size.toFixed(0);
  if (size >= 1) return sign + Number(size.toPrecision(2)).toString();
  return sign + size.toFixed(1 - Math.floor(Math.log10(size)));
}

function subscript(base, index) {
  const span = element("span", null, base);
  span.append(element("sub", null, String(index)));
  return span;
}

async function setUp(root) {
  const data = await (await fetch(root.dataset.src)).json();
  const chain = data.plain;
  const depth = data.setup.depth;  // neurons h_1 .. h_depth
  const prefix = "backprop_chain";
  const svg = await inlineSvg(root.querySelector("img"));

  // The chain-rule product, written out: dL/dh_m relative to dL/dh_depth = f_depth x ... x f_{m+1}.
  const panel = element("div", "stepper-panel");
  const product = element("p", "stepper-product");
  const status = element("p", "stepper-status");
  status.setAttribute("aria-live", "polite");
  const factors = [];
  const lhs = element("span", "stepper-lhs");
  product.append(lhs, " = 1");
  for (let l = depth; l >= 2; l -= 1) {
    const factor = element("span", "stepper-factor");
    factor.append(" × (", numberText(chain.factor[l - 2]), ")");
    factor.title = `w${l} σ′(z${l})`;
    factor.dataset.layer = String(l);
    factors.push(factor);
    product.append(factor);
  }
  const result = element("span", "stepper-result");
  product.append(" = ", result);

  const { row, step, play, reset } = stepButtons("Step back one layer");
  panel.append(row, product, status);
  (svg.closest("a") || svg).after(panel);  // the controls right under the picture, above the caption

  let steps = 0;  // how many factors the signal has passed: it is now at h_{depth - steps}
  let timer = null;

  function mark(id, state) {
    const node = svg.getElementById ? svg.getElementById(id) : svg.querySelector(`[id="${id}"]`);
    if (node) node.setAttribute("class", state);
  }

  function render() {
    const at = depth - steps;  // the neuron the signal has reached
    mark(`${prefix}-arrow-${depth + 1}`, steps === 0 ? "is-current" : "is-done");
    mark(`${prefix}-product-${depth}`, steps === 0 ? "is-current" : "is-done");
    for (let l = depth; l >= 2; l -= 1) {
      const state = l > at + 1 ? "is-done" : l === at + 1 ? "is-current" : "is-future";
      for (const part of ["arrow", "factor"]) mark(`${prefix}-${part}-${l}`, state);
      mark(`${prefix}-product-${l - 1}`, state);
    }
    for (const factor of factors) {
      const l = Number(factor.dataset.layer);
      factor.className = `stepper-factor ${l > at + 1 ? "is-done" : l === at + 1 ? "is-current" : "is-future"}`;
    }
    lhs.replaceChildren("∂𝓛/∂", subscript("h", at), " ÷ ∂𝓛/∂", subscript("h", depth));
    const value = at === depth ? 1 : chain.product[at - 1];
    result.textContent = numberText(value);
    result.dataset.value = String(value);
    status.textContent = steps === 0
      ? `The error signal arrives at h${depth} from the loss: running product 1.`
      : `Step ${steps} of ${depth - 1}: multiplied by w${at + 1} σ′(z${at + 1}) = ${numberText(chain.factor[at - 1])}, ` +
        `the signal at h${at} is ${numberText(value)} of the signal at h${depth}.`;
    step.disabled = steps >= depth - 1;
  }

  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
  }

  step.addEventListener("click", () => { stop(); if (steps < depth - 1) { steps += 1; render(); } });
  reset.addEventListener("click", () => { stop(); steps = 0; render(); });
  play.addEventListener("click", () => {
    if (timer !== null) { stop(); return; }
    if (steps >= depth - 1) steps = 0;
    play.textContent = "Pause";
    play.setAttribute("aria-pressed", "true");
    render();
    timer = setInterval(() => {
      steps += 1;
      render();
      if (steps >= depth - 1) stop();
    }, 1200);
  });
  root.classList.add("is-live");
  render();
}

for (const root of document.querySelectorAll('[data-widget="backprop-stepper"]')) {
  setUp(root).catch((error) => console.warn("backprop stepper: showing the static diagram", error));
}
