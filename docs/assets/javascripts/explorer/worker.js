/* Trains the explorer's network off the page's main thread, so the page stays responsive
 * however large the network. Messages in: {type: "data", url}, {type: "reset", run,
 * config}, {type: "play", until}, {type: "pause"}, {type: "step"}. Messages out:
 * {type: "records", run, records, done} (done: training stopped, by itself or when paused;
 * no records of that run follow until the next play or step) and
 * {type: "error", message}. Messages are handled one after another, in order. */
import { Trainer, digitsFromJson } from "./engine.js";

const SLICE_MS = 30; // train this long, then report and look at new messages

let data = null, trainer = null, run = 0, playing = false, until = Infinity;
let generation = 0; // a newer play, pause or reset ends the loop of an older one

function post(records, done = false) {
  self.postMessage({ type: "records", run, records, done });
}

function loop(mine) {
  if (!playing || mine !== generation) return;
  const records = [], start = performance.now();
  while (performance.now() - start < SLICE_MS && trainer.steps < until) {
    const record = trainer.step();
    records.push(record);
    if (!Number.isFinite(record.loss)) break;
  }
  const last = records[records.length - 1];
  playing = trainer.steps < until && (!last || Number.isFinite(last.loss));
  post(records, !playing);
  if (playing) setTimeout(loop, 0, mine);
}

async function handle(message) {
  if (message.type === "data") {
    const response = await fetch(message.url);
    if (!response.ok) throw new Error(`HTTP ${response.status} for the digits`);
    data = digitsFromJson(await response.json());
  } else if (message.type === "reset") {
    playing = false;
    generation += 1;
    run = message.run;
    trainer = new Trainer(message.config, data, message.config.seed);
    post([trainer.inspect()]);
  } else if (message.type === "play") {
    until = message.until ?? Infinity;
    playing = trainer.steps < until;
    generation += 1;
    if (playing) loop(generation);
    else post([], true);
  } else if (message.type === "pause") {
    playing = false;
    generation += 1;
    post([], true);
  } else if (message.type === "step" && !playing) {
    post([trainer.step()]);
  }
}

let queue = Promise.resolve();
self.onmessage = (event) => {
  queue = queue.then(() => handle(event.data)).catch((error) => {
    self.postMessage({ type: "error", message: String(error.message || error) });
  });
};
