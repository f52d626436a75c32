/* The explorer's live views. Each mounts on its own element and has update(model), where
 * model = { current, previous, pins, claims } (current and previous are RunHistory
 * objects, pins their snapshots). Every chart comes with a visually hidden table of its
 * numbers, refreshed by describe(model) (the page calls it when training pauses, and
 * now and then while it runs). */
import { Chart, HiddenTable, htmlNode, linearTicks, svgNode } from "./chart.js";
import { ACTIVATIONS, FLAT_SHARE } from "./engine.js";
import { describe } from "./state.js";

const PIN_CLASSES = ["explorer-pin-0", "explorer-pin-1", "explorer-pin-2"];

/** The charts' drawing size for the width of `element`. Reading a width lays the page
 * out, so main.js measures the panel once and passes the size to all four charts. */
export function chartSize(element) {
  const narrow = element.clientWidth > 0 && element.clientWidth < 520;
  return { width: narrow ? 420 : 640, height: narrow ? 300 : 280 };
}

/** The previous run, unless it never trained or is pinned (then it is drawn as a pin). */
function previousRun(model) {
  const previous = model.previous;
  return previous && previous.steps > 0 && !model.pins.some((pin) => pin.id === previous.id) ? previous : null;
}

/** Runs to draw, back to front: the previous run, the pins, the current run (a pin is a
 * frozen copy, so a pinned current run that trains on is drawn twice). */
function shownRuns(model) {
  const runs = [];
  if (previousRun(model)) runs.push({ run: model.previous.snapshot(), cls: "explorer-previous", key: "previous" });
  model.pins.forEach((pin, k) => runs.push({ run: pin, cls: PIN_CLASSES[k], key: `pin-${pin.id}` }));
  runs.push({ run: model.current.snapshot(), cls: "explorer-current", key: "current" });
  return runs;
}

function section(element, heading) {
  element.appendChild(htmlNode("h2", {}, heading));
}

const fixed = (v, digits = 2) => (Number.isFinite(v) ? v.toFixed(digits) : "not a number");

/** Fill `node` with words around a power of ten: 10 with a superscript exponent (and, for
 * screen readers and copied text, the words "to the power"). */
function sentence(node, before, exponent, after) {
  const sup = htmlNode("sup", {}, exponent.toFixed(1).replace("-", "−"));
  const spoken = htmlNode("span", { class: "explorer-sr" }, " to the power ");
  node.replaceChildren(document.createTextNode(before + "10"), spoken, sup, document.createTextNode(after));
}
const power = (v) => (Number.isFinite(v) ? v.toExponential(2) : String(v));

/* ------------------------------------------------------------------ loss */

export function mountLoss(element, size) {
  section(element, "Training loss");
  const chart = new Chart(element, { title: "Training loss against SGD step, log scale; numbers in the table below",
    xLabel: "SGD step", yLabel: "loss (log scale)", logY: true, ...size });
  const guess = svgNode("g", { class: "explorer-guess" });
  const guessLine = svgNode("line"), guessText = svgNode("text");
  guess.append(guessLine, guessText);
  chart.svg.insertBefore(guess, chart.plot);
  const table = new HiddenTable(element, "Training loss (mean of the last mini-batches) at some steps");

  function update(model) {
    const runs = shownRuns(model), values = [model.claims.guess], G = model.claims.guess;
    let last = 10;
    for (const { run } of runs) {
      last = Math.max(last, run.steps);
      for (const [, v] of run.curve) values.push(v);
    }
    const lo = Math.floor(Math.log10(Math.min(0.5, ...values))), hi = Math.ceil(Math.log10(Math.max(5, ...values)));
    chart.setDomain(0, last, lo, hi);
    chart.keepOnly(new Set(runs.map(({ key }) => key)));
    for (const { run, cls, key } of runs) chart.line(key, run.curve, cls);
    const y = chart.y(G);
    for (const [k, v] of Object.entries({ x1: chart.M.left, x2: chart.W - chart.M.right, y1: y, y2: y })) {
      guessLine.setAttribute(k, v);
    }
    guessText.setAttribute("x", chart.W - chart.M.right - 4);
    guessText.setAttribute("y", Number(y) - 6);
    guessText.setAttribute("text-anchor", "end");
    guessText.textContent = `guessing: ln 10 = ${fixed(G)}`;
  }

  function describeRun(model) {
    const run = model.current, rows = [["step", "loss"]];
    for (const t of new Set(linearTicks(0, run.steps, 10).map(Math.round))) {
      if (t >= 0 && t <= run.steps) rows.push([t, fixed(run.loss(t), 3)]);
    }
    rows.push(["guessing", fixed(model.claims.guess, 3)]);
    table.fill(rows);
  }
  return { update, describe: describeRun };
}

/* ------------------------------------------------------------------ error signal */

export function mountSignal(element, size) {
  section(element, "Error signal at each layer");
  const chart = new Chart(element, {
    title: "Error signal at every hidden layer, log scale, runs aligned at the output; numbers in the table below",
    xLabel: "hidden layer, counted back from the output", yLabel: "|∂ℒ/∂h| (log scale)",
    logY: true, reverseX: true, ...size });
  const table = new HiddenTable(element, "Error signal at each hidden layer, now and before training");

  function update(model) {
    const runs = shownRuns(model).filter(({ run }) => run.signal.length);
    const values = runs.flatMap(({ run }) => run.signal).filter((v) => v > 0 && Number.isFinite(v));
    const deepest = Math.max(2, ...runs.map(({ run }) => run.signal.length));
    let lo = values.length ? Math.floor(Math.log10(Math.min(...values))) : -2;
    let hi = values.length ? Math.ceil(Math.log10(Math.max(...values))) : 1;
    if (hi - lo < 2) [lo, hi] = [lo - 1, hi + 1];
    chart.setDomain(1, deepest, lo, hi, linearTicks(1, deepest, 6).filter((v) => v >= 1 && Number.isInteger(v)));
    chart.keepOnly(new Set(runs.map(({ key }) => key)));
    for (const { run, cls, key } of runs) {
      const L = run.signal.length;
      const points = run.signal.map((v, l) => [L - l, v]).filter(([, v]) => v > 0 && Number.isFinite(v));
      chart.line(key, points, cls);
    }
  }

  function describeRun(model) {
    const run = model.current, rows = [["hidden layer (1 = nearest the input)", "signal now", "signal before training"]];
    if (run.latest && run.initial) {
      run.latest.signal.forEach((v, l) => rows.push([l + 1, power(v), power(run.initial.signal[l])]));
    }
    table.fill(rows);
  }
  return { update, describe: describeRun };
}

/* ------------------------------------------------------------------ update heatmap */

const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137],
  [53, 183, 121], [110, 206, 88], [181, 222, 43], [253, 231, 37]];
const HEAT_RANGE = [-7, -1]; // log10 of update / weights: the colour scale's ends

function viridis(t) {
  const x = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1), k = Math.min(VIRIDIS.length - 2, Math.floor(x));
  return VIRIDIS[k].map((c, i) => Math.round(c + (x - k) * (VIRIDIS[k + 1][i] - c)));
}

export function mountHeatmap(element, size) {
  section(element, "How far each layer moves at each step");
  const chart = new Chart(element, {
    title: "Heatmap of each hidden layer's update size relative to its weights, by step; numbers in the table below",
    xLabel: "SGD step", yLabel: "hidden layer", ...size });
  const image = svgNode("image", { preserveAspectRatio: "none", class: "explorer-heat" });
  chart.plot.appendChild(image);
  element.appendChild(colourKey(chart.W));
  const canvas = document.createElement("canvas");
  const table = new HiddenTable(element, "Update size relative to weight size, per hidden layer");

  function update(model) {
    const run = model.current, depth = run.config.depth, columns = run.columns;
    const span = Math.max(10, columns.length * run.perColumn);
    chart.setDomain(0, span, 0.5, depth + 0.5, undefined);
    if (!columns.length) {
      image.removeAttribute("href");
      return;
    }
    canvas.width = columns.length;
    canvas.height = depth;
    const context = canvas.getContext("2d"), pixels = context.createImageData(columns.length, depth);
    columns.forEach((column, c) => {
      for (let l = 0; l < depth; l++) {
        const value = column[l], k = 4 * ((depth - 1 - l) * columns.length + c); // layer 1 at the bottom
        if (Number.isNaN(value)) continue; // diverged: left blank
        const [r, g, b] = viridis((value - HEAT_RANGE[0]) / (HEAT_RANGE[1] - HEAT_RANGE[0]));
        pixels.data.set([r, g, b, 255], k);
      }
    });
    context.putImageData(pixels, 0, 0);
    const left = Number(chart.x(0)), right = Number(chart.x(columns.length * run.perColumn));
    const top = Number(chart.y(depth + 0.5)), bottom = Number(chart.y(0.5));
    for (const [k, v] of Object.entries({ x: left, y: top, width: right - left, height: bottom - top,
      href: canvas.toDataURL() })) image.setAttribute(k, v);
  }

  function describeRun(model) {
    const run = model.current, columns = run.columns, rows = [["hidden layer", "first steps", "latest steps"]];
    if (columns.length) {
      for (let l = 0; l < run.config.depth; l++) {
        rows.push([l + 1, power(10 ** columns[0][l]), power(10 ** columns[columns.length - 1][l])]);
      }
    }
    table.fill(rows);
  }
  return { update, describe: describeRun };
}

function colourKey(width) {
  const left = 70, span = width - 14 - left;
  const key = svgNode("svg", { viewBox: `0 0 ${width} 62`, class: "explorer-key", role: "img",
    "aria-label": "Colour key: dark purple 10^-7 or less, through green, to yellow 10^-1 or more" });
  const gradient = svgNode("linearGradient", { id: "explorer-viridis" });
  VIRIDIS.forEach((rgb, k) => gradient.appendChild(svgNode("stop",
    { offset: (k / (VIRIDIS.length - 1)).toFixed(3), "stop-color": `rgb(${rgb.join(",")})` })));
  const defs = svgNode("defs");
  defs.appendChild(gradient);
  key.append(defs, svgNode("text", { x: left, y: 16 }, "update size ÷ weight size, per step"),
    svgNode("rect", { x: left, y: 24, width: span, height: 12, fill: "url(#explorer-viridis)" }));
  for (let e = HEAT_RANGE[0]; e <= HEAT_RANGE[1]; e++) {
    const x = left + (e - HEAT_RANGE[0]) / (HEAT_RANGE[1] - HEAT_RANGE[0]) * span;
    const label = svgNode("text", { x, y: 56, "text-anchor": "middle" });
    label.appendChild(document.createTextNode("10"));
    label.appendChild(svgNode("tspan", { dy: "-7", "font-size": "0.75em" }, String(e)));
    key.appendChild(label);
  }
  return key;
}

/* ------------------------------------------------------------------ saturation */

export function mountSaturation(element, size) {
  const heading = htmlNode("h2");
  element.appendChild(heading);
  const chart = new Chart(element, { title: "Share of saturated or dead units in every hidden layer; numbers in the table below",
    xLabel: "hidden layer (1 = nearest the input)", yLabel: "share of units (%)", ...size });
  const bars = svgNode("path", { class: "explorer-bars" });
  chart.plot.appendChild(bars);
  const table = new HiddenTable(element, "Share of saturated or dead units per hidden layer");
  const kindOf = (run) => ACTIVATIONS[run.config.activation].kind;

  function update(model) {
    const run = model.current, depth = run.config.depth;
    heading.textContent = kindOf(run) === "flat"
      ? `Saturated units: slope below ${100 * FLAT_SHARE}% of its largest`
      : run.config.activation === "relu"
        ? "Dead units: never active for the examples of the batch"
        : "Units on their negative side for every example of the batch (they still pass a small gradient)";
    chart.setDomain(0.5, depth + 0.5, 0, 100, linearTicks(1, depth, 6).filter((v) => v >= 1 && Number.isInteger(v)));
    if (!run.latest) return;
    const width = (Number(chart.x(1.4)) - Number(chart.x(0.6))), base = Number(chart.y(0));
    bars.setAttribute("d", Array.from(run.latest.saturation, (share, l) => {
      const x = Number(chart.x(l + 1)) - width / 2, top = Number(chart.y(100 * share));
      return `M${x.toFixed(1)},${base}V${top}h${width.toFixed(1)}V${base}Z`;
    }).join(""));
  }

  function describeRun(model) {
    const run = model.current, rows = [["hidden layer", kindOf(run) === "flat" ? "saturated (%)" : "dead (%)"]];
    if (run.latest) run.latest.saturation.forEach((share, l) => rows.push([l + 1, (100 * share).toFixed(0)]));
    table.fill(rows);
  }
  return { update, describe: describeRun };
}

/* ------------------------------------------------------------------ words */

/** The state of the current run in sentences. */
export function mountReadout(element) {
  const lossText = htmlNode("p"), signalText = htmlNode("p");
  element.append(lossText, signalText);

  function update(model) {
    const run = model.current, { guess, learn_level: level, stall_band: band } = model.claims;
    if (run.divergedAt !== null) {
      lossText.textContent = `Training diverged at step ${run.divergedAt}: the loss became infinite or not a ` +
        "number. The updates were too large: try a smaller learning rate or weight scale.";
    } else {
      const loss = run.loss(), steps = run.steps;
      let verdict;
      if (loss < level * guess) {
        const first = firstBelow(run, level * guess);
        verdict = `It has learned: below half of guessing since step ${first}.`;
      } else if (Math.abs(loss - guess) <= band * guess) {
        verdict = "That is the loss of guessing: the network has learned nothing yet.";
      } else if (loss > guess) {
        verdict = "That is worse than guessing: the network's answers are confidently wrong.";
      } else {
        verdict = "It is learning, slowly.";
      }
      const measured = steps ? `mean of the last ${model.claims.window} mini-batches` : "on the first mini-batch";
      lossText.textContent = `Step ${steps}. Loss ${fixed(loss)} (${measured}); guessing among ten digits gives ` +
        `${fixed(guess)}. ${verdict}`;
    }
    // Once a run has diverged its signals are not numbers: describe the start instead.
    const diverged = run.divergedAt !== null, signal = (diverged ? run.initial : run.latest).signal;
    if (signal.length < 2) {
      signalText.textContent = "With one hidden layer there is no deeper layer for the signal to fade in.";
      return;
    }
    const exponent = Math.log10(signal[0] / signal[signal.length - 1]);
    const receives = diverged ? "Before training, layer 1 received " : "Layer 1 receives ";
    const last = `the last layer (layer ${signal.length})`;
    if (!Number.isFinite(exponent)) signalText.textContent = "The error signal is no longer a number.";
    else if (exponent <= -1) sentence(signalText, receives, exponent, ` of the signal at ${last}.`);
    else if (exponent < 1) sentence(signalText, receives + "about as much signal as " + last + ": ", exponent, " times as much.");
    else sentence(signalText, receives, exponent, ` times the signal at ${last}: the gradient grows towards the input.`);
  }
  return { update };
}

function firstBelow(run, level) {
  for (let t = 1; t <= run.steps; t++) if (run.loss(t) < level) return t;
  return run.steps;
}

/* ------------------------------------------------------------------ legend */

/** Which line is which; pinned runs can be unpinned from here. */
export function mountLegend(element, onUnpin) {
  const list = htmlNode("ul", { class: "explorer-legend" });
  element.appendChild(list);

  function entry(cls, text, button) {
    const item = htmlNode("li");
    const swatch = svgNode("svg", { viewBox: "0 0 30 10", class: "explorer-swatch", "aria-hidden": "true" });
    swatch.appendChild(svgNode("line", { x1: 0, x2: 30, y1: 5, y2: 5, class: "explorer-line " + cls }));
    item.append(swatch, document.createTextNode(" " + text));
    if (button) item.appendChild(button);
    return item;
  }

  let shown = "";
  function update(model) {
    const previous = previousRun(model);
    const signature = [model.current.id, previous && previous.id, ...model.pins.map((pin) => pin.id)].join();
    if (signature === shown) return; // rebuilt only when the runs change, so focus stays put
    shown = signature;
    const items = [entry("explorer-current", `This run: ${describe(model.current.config)}`)];
    if (previous) items.push(entry("explorer-previous", `Previous run: ${describe(previous.config)}`));
    model.pins.forEach((pin, k) => {
      const button = htmlNode("button", { type: "button", class: "explorer-unpin" }, "Unpin");
      button.addEventListener("click", () => onUnpin(k));
      items.push(entry(PIN_CLASSES[k], `Pinned: ${describe(pin.config)}, ${pin.steps} steps`, button));
    });
    list.replaceChildren(...items);
  }
  return { update };
}
