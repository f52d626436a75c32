/* What the explorer keeps of a run while it trains (no DOM): every step's loss, the latest
 * per-layer measurements, and the update-size heatmap, compressed so that its memory
 * stays bounded however long the run goes on. */
import { LOSS_WINDOW, windowMean } from "./engine.js";

const HEATMAP_COLUMNS = 120; // at most this many columns; then neighbours merge

export class RunHistory {
  constructor(id, config) {
    this.id = id;
    this.config = config;
    this.losses = new Float64Array(1024);
    this.steps = 0;
    this.initial = null; // measurements of the network before any step
    this.latest = null;
    this.divergedAt = null;
    // Heatmap: column c is the mean of log10(update ratio) over `perColumn` steps.
    this.perColumn = 1;
    this.columns = [];
    this.partial = null;
    this.partialCount = 0;
  }

  /** Add a record from the engine (step 0: the network before training). */
  add(record) {
    if (record.step === 0) {
      this.initial = this.latest = record;
      return;
    }
    if (this.steps === this.losses.length) {
      const grown = new Float64Array(2 * this.losses.length);
      grown.set(this.losses);
      this.losses = grown;
    }
    this.losses[this.steps++] = record.loss;
    this.latest = record;
    if (this.divergedAt === null && !Number.isFinite(record.loss)) this.divergedAt = record.step;
    this.addColumn(record.ratio);
  }

  addColumn(ratio) {
    if (!this.partial) this.partial = new Float64Array(ratio.length);
    for (let l = 0; l < ratio.length; l++) this.partial[l] += Math.log10(ratio[l]);
    if (++this.partialCount < this.perColumn) return;
    this.columns.push(this.partial.map((v) => v / this.perColumn));
    this.partial = null;
    this.partialCount = 0;
    if (this.columns.length === HEATMAP_COLUMNS) {
      const merged = [];
      for (let c = 0; c < this.columns.length; c += 2) {
        merged.push(this.columns[c].map((v, l) => (v + this.columns[c + 1][l]) / 2));
      }
      this.columns = merged;
      this.perColumn *= 2;
    }
  }

  /** The reported loss (mean of the last LOSS_WINDOW mini-batches) after `step` steps. */
  loss(step = this.steps) {
    return step === 0 ? (this.initial ? this.initial.loss : NaN) : windowMean(this.losses, step, LOSS_WINDOW);
  }

  /** Up to `count` points (step, reported loss) for a chart, finite ones only. */
  lossCurve(count = 300) {
    const points = [];
    const last = this.divergedAt === null ? this.steps : this.divergedAt - 1;
    const every = Math.max(1, Math.ceil(last / count));
    for (let t = 1; t <= last; t += every) points.push([t, this.loss(t)]);
    if (last > 0 && points[points.length - 1][0] !== last) points.push([last, this.loss(last)]);
    return points.filter(([, v]) => Number.isFinite(v) && v > 0);
  }

  /** A frozen copy for pinning: the loss curve and the latest per-layer signal. */
  snapshot() {
    return { id: this.id, config: this.config, curve: this.lossCurve(), steps: this.steps,
      signal: this.latest ? Array.from(this.latest.signal) : [], divergedAt: this.divergedAt };
  }
}
