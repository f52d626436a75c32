/* "Listen": read a chapter aloud with the browser's own speech synthesis (Web Speech API).
 *
 * The control's markup is in the page already (hooks/listen.py); this module enables it
 * once the browser offers a voice, and says so in words when it offers none. It reads
 * the whole page or one section, block by block, outlining the block it reads:
 *   - a formula is read in its place, as the words written at build time into its
 *     `alttext` (speech-rule-engine), so "the slope σ'(z) ≤ 1/4" is a sentence;
 *   - sentences are split only at a full stop followed by a space and a capital letter,
 *     so decimals such as 1.89 stay whole;
 *   - tables, code blocks, figures' images, quizzes, and folded boxes that are closed
 *     are skipped (an opened box is read).
 */
const speech = window.speechSynthesis;
const BLOCKS = "p, li, h1, h2, h3, h4, h5, h6, figcaption, dt, dd, summary, .admonition-title, div.arithmatex";
const SKIP = "table, pre, script, style, img, svg, button, select, label, form, noscript, .quiz, " +
  "[class^='quiz-'], [class*=' quiz-'], .headerlink, .md-source-file, .listen-control, .footnote-ref, " +
  "details:not([open])";
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z("“'])/;
const MAX_CHARS = 220;

/* The words of one block: its text, with each formula's spoken form in its place. */
export function spokenText(block) {
  let out = "";
  (function walk(node) {
    if (node.nodeType === Node.TEXT_NODE) { out += node.nodeValue; return; }
    if (node.nodeType !== Node.ELEMENT_NODE || node.matches(SKIP)) return;
    if (node.localName === "math") { out += " " + (node.getAttribute("alttext") || "") + " "; return; }
    for (let child = node.firstChild; child; child = child.nextSibling) walk(child);
  })(block);
  return out.replace(/\s+/g, " ").replace(/\s+([,.;:!?)])/g, "$1").trim();
}

/* Readable blocks in document order: innermost first-level blocks, nothing skipped. */
export function readableBlocks(root) {
  return [...root.querySelectorAll(BLOCKS)].filter((block) =>
    !block.closest(SKIP) && !block.parentElement.closest(BLOCKS) && spokenText(block));
}

/* Utterances of at most about MAX_CHARS characters, cut only between sentences. */
export function utterances(text) {
  const out = [];
  let buffer = "";
  for (const sentence of text.split(SENTENCE_END)) {
    if (buffer && (buffer + " " + sentence).length > MAX_CHARS) { out.push(buffer); buffer = ""; }
    buffer = buffer ? buffer + " " + sentence : sentence;
  }
  if (buffer) out.push(buffer);
  return out;
}

/* The blocks of one section: from its heading to the next heading of the same level. */
function sectionBlocks(article, anchor) {
  const blocks = readableBlocks(article);
  if (!anchor) return blocks;
  const heading = document.getElementById(anchor);
  const start = blocks.indexOf(heading);
  if (start < 0) return blocks;
  const end = blocks.findIndex((b, k) => k > start && b.localName === heading.localName);
  return blocks.slice(start, end < 0 ? undefined : end);
}

function mount(box) {
  const article = box.closest("article") || document.body;
  const [play, pause, stop] = ["play", "pause", "stop"].map((n) => box.querySelector(".listen-" + n));
  const which = box.querySelector(".listen-section");
  const status = box.querySelector(".listen-status");
  let queue = [];
  let current = null;

  const say = (text) => { status.textContent = text; box.dataset.state = text; };
  const mark = (block) => {
    if (current) current.classList.remove("listen-current");
    current = block;
    if (block) { block.classList.add("listen-current"); block.scrollIntoView({ block: "nearest" }); }
  };
  const unavailable = (reason) => {
    [play, pause, stop, which].forEach((control) => { control.disabled = true; });
    box.dataset.available = "false";
    say(reason);
  };
  if (!speech || typeof window.SpeechSynthesisUtterance === "undefined") {
    unavailable("Reading aloud is not available: this browser has no speech synthesis.");
    return;
  }
  const hasVoice = () => {
    if (!(speech.getVoices() || []).length) {
      unavailable("Reading aloud is not available: this browser offers no voice.");
      return false;
    }
    play.disabled = which.disabled = false;
    box.dataset.available = "true";
    if (!speech.speaking) say("");
    return true;
  };

  function finish(message) {
    queue = [];
    mark(null);
    pause.disabled = stop.disabled = true;
    pause.textContent = "Pause";
    say(message);
  }
  function next() {
    const item = queue.shift();
    if (!item) { finish("Finished."); return; }
    mark(item.block);
    const utterance = new SpeechSynthesisUtterance(item.text);
    utterance.lang = document.documentElement.lang || "en";
    utterance.onend = next;
    utterance.onerror = (event) => {
      if (event.error !== "interrupted" && event.error !== "canceled") finish(`Reading stopped: ${event.error}.`);
    };
    speech.speak(utterance);
  }

  play.addEventListener("click", () => {
    if (!hasVoice()) return;
    speech.cancel();
    queue = sectionBlocks(article, which.value)
      .flatMap((block) => utterances(spokenText(block)).map((text) => ({ block, text })));
    pause.disabled = stop.disabled = false;
    say(`Reading: ${which.options[which.selectedIndex].text}.`);
    next();
  });
  pause.addEventListener("click", () => {
    if (speech.paused) { speech.resume(); pause.textContent = "Pause"; say("Reading."); }
    else { speech.pause(); pause.textContent = "Resume"; say("Paused."); }
  });
  stop.addEventListener("click", () => { queue = []; speech.cancel(); finish("Stopped."); });
  window.addEventListener("pagehide", () => speech.cancel());

  // Voices often arrive a moment after the page loads.
  if ((speech.getVoices() || []).length) hasVoice();
  else {
    say("Looking for a voice…");
    speech.addEventListener("voiceschanged", hasVoice, { once: true });
    window.setTimeout(() => { if (box.dataset.available !== "true") hasVoice(); }, 2000);
  }
}

document.querySelectorAll(".listen-control").forEach(mount);
