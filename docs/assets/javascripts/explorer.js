/* Gradient-flow explorer: pick a configuration, see its per-layer gradient and loss curve.
 *
 * The numbers come from figures/data/explorer_data.json, computed by scripts/explorer_data.py at
 * build time; this file only draws them as SVG. No library, no network beyond the site,
 * no innerHTML: every node is built with createElement(NS) and textContent.
 * Material's instant navigation swaps pages without a reload, so we start from
 * document$.subscribe and do nothing on pages without the #explorer container.
 */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var W = 640, H = 320, M = { left: 72, right: 16, top: 16, bottom: 50 };
  var PRESETS = [
    { label: "The classic failure: deep sigmoid network", state: { a: "sigmoid", i: "standard_normal", d: 10, r: 0, b: 0 } },
    { label: "ReLU with He initialization", state: { a: "relu", i: "he", d: 10, r: 0, b: 0 } },
    { label: "A 100-layer residual network", state: { a: "tanh", i: "xavier", d: 100, r: 1, b: 1 } }
  ];
  var cache = {};

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function keyOf(s) { return [s.a, s.i, s.d, s.r, s.b].join("-"); }

  function readState(data) {
    var q = new URLSearchParams(window.location.search);
    var s = { a: "sigmoid", i: "standard_normal", d: 10, r: 0, b: 0 };
    var acts = data.activations.map(function (x) { return x[0]; });
    var inits = data.inits.map(function (x) { return x[0]; });
    if (acts.indexOf(q.get("a")) >= 0) s.a = q.get("a");
    if (inits.indexOf(q.get("i")) >= 0) s.i = q.get("i");
    if (data.depths.indexOf(Number(q.get("d"))) >= 0) s.d = Number(q.get("d"));
    if (q.get("r") === "1" || q.get("r") === "0") s.r = Number(q.get("r"));
    if (q.get("b") === "1" || q.get("b") === "0") s.b = Number(q.get("b"));
    return s;
  }
  function writeState(s) {
    var q = new URLSearchParams(window.location.search);
    ["a", "i", "d", "r", "b"].forEach(function (k) { q.set(k, String(s[k])); });
    window.history.replaceState(window.history.state, "", window.location.pathname + "?" + q.toString());
  }

  function describe(data, s) {
    var act = data.activations.filter(function (x) { return x[0] === s.a; })[0][1];
    var init = data.inits.filter(function (x) { return x[0] === s.i; })[0][1];
    var extras = [];
    if (s.r) extras.push("residual");
    if (s.b) extras.push("batch norm");
    return s.d + " layers, " + act + ", " + init + (extras.length ? ", " + extras.join(" + ") : "");
  }

  /* Axis helpers: a linear map and tick marks. */
  function scale(d0, d1, r0, r1) {
    return function (v) { return r0 + (v - d0) / (d1 - d0 || 1) * (r1 - r0); };
  }
  function niceStep(span, count) {
    var raw = span / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var steps = [1, 2, 5, 10];
    for (var k = 0; k < steps.length; k++) if (steps[k] * mag >= raw) return steps[k] * mag;
    return 10 * mag;
  }
  function ticks(lo, hi, count) {
    var step = niceStep(hi - lo, count), out = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Math.round(v * 1e6) / 1e6);
    return out;
  }
  function pathOf(xs, ys, sx, sy) {
    var d = "", pen = false;
    for (var k = 0; k < xs.length; k++) {
      if (ys[k] === null || ys[k] === undefined) { pen = false; continue; }
      d += (pen ? "L" : "M") + sx(xs[k]).toFixed(1) + "," + sy(ys[k]).toFixed(1);
      pen = true;
    }
    return d;
  }
  function bandOf(xs, lo, hi, sx, sy) {
    var top = [], bottom = [];
    for (var k = 0; k < xs.length; k++) {
      if (lo[k] === null || hi[k] === null) continue;
      top.push(sx(xs[k]).toFixed(1) + "," + sy(hi[k]).toFixed(1));
      bottom.unshift(sx(xs[k]).toFixed(1) + "," + sy(lo[k]).toFixed(1));
    }
    return top.length ? "M" + top.concat(bottom).join("L") + "Z" : "";
  }

  function axes(svg, sx, sy, xt, yt, xlabel, ylabel, logY) {
    var g = svgEl("g", { "class": "explorer-axes" });
    g.appendChild(svgEl("line", { x1: M.left, x2: W - M.right, y1: H - M.bottom, y2: H - M.bottom }));
    g.appendChild(svgEl("line", { x1: M.left, x2: M.left, y1: M.top, y2: H - M.bottom }));
    xt.forEach(function (v) {
      g.appendChild(svgEl("line", { x1: sx(v), x2: sx(v), y1: H - M.bottom, y2: H - M.bottom + 5 }));
      g.appendChild(svgEl("text", { x: sx(v), y: H - M.bottom + 20, "text-anchor": "middle" }, String(v)));
    });
    yt.forEach(function (v) {
      g.appendChild(svgEl("line", { "class": "explorer-grid", x1: M.left, x2: W - M.right, y1: sy(v), y2: sy(v) }));
      var t = svgEl("text", { x: M.left - 6, y: sy(v) + 4, "text-anchor": "end" });
      if (logY) {
        t.appendChild(document.createTextNode("10"));
        t.appendChild(svgEl("tspan", { dy: "-6", "font-size": "11" }, String(v)));
      } else {
        t.textContent = String(v);
      }
      g.appendChild(t);
    });
    g.appendChild(svgEl("text", { x: (M.left + W - M.right) / 2, y: H - 6, "text-anchor": "middle" }, xlabel));
    g.appendChild(svgEl("text", {
      x: 16, y: (M.top + H - M.bottom) / 2, "text-anchor": "middle",
      transform: "rotate(-90 16 " + (M.top + H - M.bottom) / 2 + ")"
    }, ylabel));
    svg.appendChild(g);
  }

  function series(svg, xs, stats, sx, sy, role, key) {
    var band = svgEl("path", { "class": "explorer-band explorer-" + role, d: bandOf(xs, stats[1], stats[2], sx, sy) });
    var line = svgEl("path", {
      "class": "explorer-line explorer-" + role, d: pathOf(xs, stats[0], sx, sy),
      "data-role": role, "data-config": key, "data-values": JSON.stringify(stats[0])
    });
    svg.appendChild(band);
    svg.appendChild(line);
  }

  function chart(title) {
    return svgEl("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": title, "class": "explorer-chart" });
  }

  function drawGradients(svg, data, current, previous) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var shown = [current].concat(previous ? [previous] : []);
    var all = [], maxDepth = 1;
    shown.forEach(function (s) {
      var g = data.configs[keyOf(s)].g;
      maxDepth = Math.max(maxDepth, s.d);
      [0, 1, 2].forEach(function (k) { g[k].forEach(function (v) { if (v !== null) all.push(v); }); });
    });
    var lo = Math.floor(Math.min.apply(null, all)), hi = Math.ceil(Math.max.apply(null, all));
    if (hi - lo < 2) { lo -= 1; hi += 1; }
    var sx = scale(1, Math.max(maxDepth, 2), M.left, W - M.right), sy = scale(lo, hi, H - M.bottom, M.top);
    var xt = ticks(1, Math.max(maxDepth, 2), 6).filter(function (v) { return v >= 1 && v === Math.floor(v); });
    axes(svg, sx, sy, xt, ticks(lo, hi, 6).filter(function (v) { return v === Math.floor(v); }),
      "hidden layer (1 = nearest the input)", "gradient size |∂L/∂h| (log scale)", true);
    if (previous) {
      var gp = data.configs[keyOf(previous)].g;
      series(svg, gp[0].map(function (_, k) { return k + 1; }), gp, sx, sy, "previous", keyOf(previous));
    }
    var g = data.configs[keyOf(current)].g;
    series(svg, g[0].map(function (_, k) { return k + 1; }), g, sx, sy, "current", keyOf(current));
  }

  function drawLoss(svg, data, current, previous, note) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    var steps = data.steps, last = steps[steps.length - 1];
    var cap = 4;
    var clip = function (stats) {
      return stats.map(function (row) { return row.map(function (v) { return v === null ? null : Math.min(v, cap); }); });
    };
    var sx = scale(0, last, M.left, W - M.right), sy = scale(0, cap, H - M.bottom, M.top);
    axes(svg, sx, sy, ticks(0, last, 8), ticks(0, cap, 4), "SGD step", "training loss (cross-entropy)", false);
    var guess = Math.log(10);  // cross-entropy of answering 1/10 for every digit
    var level = svgEl("g", { "class": "explorer-guess" });
    level.appendChild(svgEl("line", { x1: M.left, x2: W - M.right, y1: sy(guess), y2: sy(guess) }));
    svg.appendChild(level);
    var messages = [];
    if (previous) series(svg, steps, clip(data.configs[keyOf(previous)].l), sx, sy, "previous", keyOf(previous));
    var l = data.configs[keyOf(current)].l;
    series(svg, steps, clip(l), sx, sy, "current", keyOf(current));
    svg.appendChild(svgEl("text", { "class": "explorer-guess", x: M.left + 6, y: sy(guess) + 16 }, "guessing (ln 10)"));
    var median = l[0], first = median[0], final = median[median.length - 1];
    if (median.some(function (v) { return v === null; })) {
      messages.push("Training diverged: the loss became infinite or not a number.");
    } else if (l[2].some(function (v) { return v === null; })) {
      messages.push("Training diverged for at least one seed: the shaded range stops where it did.");
    }
    if (l[2].some(function (v) { return v !== null && v > cap; })) {
      var text = "Losses above " + cap + " are drawn at " + cap + ".";
      if (first !== null && final !== null) text += " Median loss at the first step: " + first + "; at the last: " + final + ".";
      messages.push(text);
    }
    note.textContent = messages.join(" ");
  }

  function labelled(id, text, control) {
    var wrap = el("div", { "class": "explorer-field" });
    wrap.appendChild(el("label", { "for": id }, text));
    wrap.appendChild(control);
    return wrap;
  }
  function select(id, options, value) {
    var s = el("select", { id: id });
    options.forEach(function (o) {
      var opt = el("option", { value: String(o[0]) }, o[1]);
      if (String(o[0]) === String(value)) opt.selected = true;
      s.appendChild(opt);
    });
    return s;
  }
  function checkbox(id, text, checked) {
    var wrap = el("div", { "class": "explorer-field explorer-check" });
    var box = el("input", { type: "checkbox", id: id });
    box.checked = !!checked;
    wrap.appendChild(box);
    wrap.appendChild(el("label", { "for": id }, text));
    return { wrap: wrap, box: box };
  }

  function build(root, data) {
    /* On a phone a narrower drawing keeps the axis labels readable when scaled down. */
    W = root.clientWidth && root.clientWidth < 500 ? 440 : 640;
    var state = readState(data), previous = null;
    var form = el("form", { "class": "explorer-controls", "aria-label": "Network configuration" });
    var act = select("explorer-activation", data.activations, state.a);
    var init = select("explorer-init", data.inits, state.i);
    var depth = select("explorer-depth", data.depths.map(function (d) { return [d, d + " layers"]; }), state.d);
    var res = checkbox("explorer-residual", "residual connections", state.r);
    var bn = checkbox("explorer-batchnorm", "batch norm", state.b);
    form.appendChild(labelled("explorer-activation", "Activation", act));
    form.appendChild(labelled("explorer-init", "Initialization", init));
    form.appendChild(labelled("explorer-depth", "Depth", depth));
    form.appendChild(res.wrap);
    form.appendChild(bn.wrap);
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    var presets = el("div", { "class": "explorer-presets", role: "group", "aria-label": "Presets" });
    PRESETS.forEach(function (p) {
      var button = el("button", { type: "button", "class": "md-button explorer-preset" }, p.label);
      button.addEventListener("click", function () { set(p.state); });
      presets.appendChild(button);
    });

    var status = el("p", { "class": "explorer-status", "aria-live": "polite" });
    var gradSvg = chart("Gradient size at every hidden layer, log scale");
    var lossSvg = chart("Training loss against SGD step");
    var note = el("p", { "class": "explorer-note", "aria-live": "polite" });
    var legend = el("p", { "class": "explorer-legend" });

    var panel = el("div", { "class": "explorer-panel" });
    panel.appendChild(presets);
    panel.appendChild(form);
    panel.appendChild(status);
    panel.appendChild(el("h3", {}, "Gradient at each layer, at initialization"));
    panel.appendChild(gradSvg);
    panel.appendChild(el("h3", {}, "Training loss"));
    panel.appendChild(lossSvg);
    panel.appendChild(note);
    panel.appendChild(legend);
    root.appendChild(panel);
    var fallback = root.querySelector(".explorer-static");
    if (fallback) fallback.hidden = true;

    function render() {
      drawGradients(gradSvg, data, state, previous);
      drawLoss(lossSvg, data, state, previous, note);
      status.textContent = "Showing: " + describe(data, state) + ".";
      legend.textContent = "Solid line: median over " + data.setup.seeds + " seeds; shaded: their range." +
        (previous ? " Faint dashed line: the previous choice (" + describe(data, previous) + ")." : "");
      root.setAttribute("data-config", keyOf(state));
      writeState(state);
    }
    function set(next) {
      var merged = { a: next.a, i: next.i, d: Number(next.d), r: Number(next.r), b: Number(next.b) };
      if (keyOf(merged) === keyOf(state)) return;
      previous = state;
      state = merged;
      act.value = state.a; init.value = state.i; depth.value = String(state.d);
      res.box.checked = !!state.r; bn.box.checked = !!state.b;
      render();
    }
    function fromControls() {
      set({ a: act.value, i: init.value, d: depth.value, r: res.box.checked ? 1 : 0, b: bn.box.checked ? 1 : 0 });
    }
    [act, init, depth, res.box, bn.box].forEach(function (c) { c.addEventListener("change", fromControls); });
    render();
  }

  function start() {
    var root = document.getElementById("explorer");
    if (!root || root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "loading");
    var url = new URL(root.getAttribute("data-src"), window.location.href).href;
    var ready = cache[url] ? Promise.resolve(cache[url]) : fetch(url).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.json();
    });
    ready.then(function (data) {
      cache[url] = data;
      build(root, data);
      root.setAttribute("data-ready", "true");
    }).catch(function (err) {
      root.setAttribute("data-ready", "failed");
      root.appendChild(el("p", { "class": "explorer-note", role: "status" },
        "The explorer could not load its data (" + err.message + "); the static figure above shows three examples."));
    });
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
