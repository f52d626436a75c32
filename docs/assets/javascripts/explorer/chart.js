/* A small SVG chart whose parts update in place: axes are redrawn only when their range
 * changes, and each series is one <path> found again by its name. No innerHTML: every
 * node is made with createElement(NS) and textContent. */

const SVG_NS = "http://www.w3.org/2000/svg";

export function svgNode(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function htmlNode(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Round numbers between lo and hi, about `count` of them. */
export function linearTicks(lo, hi, count) {
  const raw = (hi - lo) / count || 1, magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) ticks.push(Math.round(v * 1e9) / 1e9);
  return ticks;
}

/** Whole powers of ten between 10^lo and 10^hi (exponents), at most `count` of them. */
function decadeTicks(lo, hi, count = 7) {
  const every = Math.max(1, Math.ceil((hi - lo) / count));
  const ticks = [];
  for (let e = Math.ceil(lo); e <= hi; e++) if (e % every === 0) ticks.push(e);
  return ticks;
}

/** "10" with the exponent as a superscript, in an SVG <text>. */
function powerOfTen(text, exponent) {
  text.appendChild(document.createTextNode("10"));
  text.appendChild(svgNode("tspan", { dy: "-7", "font-size": "0.75em" }, String(exponent)));
}

export class Chart {
  /** A chart of `width` x `height` (viewBox units) with a y axis that is logarithmic
   * (values are exponents of ten) when logY. */
  constructor(container, { title, xLabel, yLabel, logY = false, width = 640, height = 280, reverseX = false }) {
    this.W = width;
    this.H = height;
    this.M = { left: 70, right: 14, top: 14, bottom: 48 };
    this.logY = logY;
    this.reverseX = reverseX;
    this.svg = svgNode("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": title,
      class: "explorer-chart" });
    this.axes = svgNode("g", { class: "explorer-axes" });
    this.plot = svgNode("g", { class: "explorer-plot" });
    this.svg.append(this.axes, this.plot);
    this.labels = [xLabel, yLabel];
    this.series = new Map();
    this.domain = null;
    container.appendChild(this.svg);
  }

  x(v) {
    const [x0, x1] = this.domain.slice(0, 2), left = this.M.left, right = this.W - this.M.right;
    const t = (v - x0) / (x1 - x0 || 1);
    return (this.reverseX ? right - t * (right - left) : left + t * (right - left)).toFixed(1);
  }

  y(v) {
    const [y0, y1] = this.domain.slice(2), bottom = this.H - this.M.bottom;
    const value = this.logY ? Math.log10(v) : v;
    return (bottom - (value - y0) / (y1 - y0 || 1) * (bottom - this.M.top)).toFixed(1);
  }

  /** Set the ranges (y0, y1 are exponents when logY); axes are redrawn only on change. */
  setDomain(x0, x1, y0, y1, xTicks) {
    const domain = [x0, x1, y0, y1];
    if (this.domain && domain.every((v, k) => v === this.domain[k])) return;
    this.domain = domain;
    this.axes.replaceChildren();
    const { M, W, H } = this, bottom = H - M.bottom;
    this.axes.append(svgNode("line", { x1: M.left, x2: W - M.right, y1: bottom, y2: bottom }),
      svgNode("line", { x1: M.left, x2: M.left, y1: M.top, y2: bottom }));
    for (const v of xTicks || linearTicks(x0, x1, 6)) {
      const x = this.x(v);
      this.axes.append(svgNode("line", { x1: x, x2: x, y1: bottom, y2: bottom + 5 }),
        svgNode("text", { x, y: bottom + 20, "text-anchor": "middle" }, String(v)));
    }
    for (const v of this.logY ? decadeTicks(y0, y1) : linearTicks(y0, y1, 5)) {
      const y = this.y(this.logY ? 10 ** v : v);
      const label = svgNode("text", { x: M.left - 6, y: Number(y) + 5, "text-anchor": "end" });
      if (this.logY) powerOfTen(label, v);
      else label.textContent = String(v);
      this.axes.append(svgNode("line", { class: "explorer-grid", x1: M.left, x2: W - M.right, y1: y, y2: y }), label);
    }
    const [xLabel, yLabel] = this.labels, middle = (M.top + bottom) / 2;
    this.axes.append(svgNode("text", { x: (M.left + W - M.right) / 2, y: H - 8, "text-anchor": "middle" }, xLabel),
      svgNode("text", { x: 16, y: middle, "text-anchor": "middle", transform: `rotate(-90 16 ${middle})` }, yLabel));
  }

  /** Draw (or redraw) the series `name` through points [x, y]; null or [] hides it. */
  line(name, points, className) {
    let path = this.series.get(name);
    if (!path) {
      path = svgNode("path", { "data-series": name });
      this.plot.appendChild(path);
      this.series.set(name, path);
    }
    path.setAttribute("class", "explorer-line " + className);
    path.setAttribute("d", points && points.length ? "M" + points.map(([x, y]) => this.x(x) + "," + this.y(y)).join("L") : "");
  }

  /** Remove every series whose name is not in `keep`. */
  keepOnly(keep) {
    for (const [name, path] of this.series) {
      if (!keep.has(name)) {
        path.remove();
        this.series.delete(name);
      }
    }
  }
}

/** A visually hidden table: a chart's numbers for screen readers. (The wrapper hides
 * it: a table grows to fit its cells whatever width it is given.) */
export class HiddenTable {
  constructor(container, caption) {
    const wrap = htmlNode("div", { class: "explorer-sr" }), table = htmlNode("table", { class: "explorer-numbers" });
    table.appendChild(htmlNode("caption", {}, caption));
    this.body = htmlNode("tbody");
    table.appendChild(this.body);
    wrap.appendChild(table);
    container.appendChild(wrap);
  }

  /** Replace the rows: the first row is the header. */
  fill(rows) {
    const make = (row, cell) => {
      const tr = htmlNode("tr");
      for (const value of row) tr.appendChild(htmlNode(cell, cell === "th" ? { scope: "col" } : {}, String(value)));
      return tr;
    };
    this.body.replaceChildren(make(rows[0], "th"), ...rows.slice(1).map((row) => make(row, "td")));
  }
}
