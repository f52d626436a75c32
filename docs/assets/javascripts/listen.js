/* "Listen": read a chapter aloud with the browser's own speech synthesis (Web Speech API).
 *
 * Added to the three chapter pages only, at the top of the article. It reads either the
 * whole page or the section chosen in a list, skipping what does not read well aloud:
 * math (MathJax/arithmatex), code, images, quizzes, navigation. Figure captions are read.
 * Without speechSynthesis, or without any voice, the control says so in visible text
 * (aria-live) instead of failing silently. Runs on every instant navigation (document$).
 */
(function () {
  "use strict";
  var CHAPTERS = /\/(gradients-drive-learning|why-gradients-vanish|fixing-vanishing-gradients)(\/|\.html|$)/;
  var SKIP = ".arithmatex, mjx-container, script, style, pre, code, img, svg, .quiz, form, .headerlink, " +
    ".md-source-file, .listen-control, .admonition-title + .arithmatex, noscript, .footnote-ref";
  var speech = window.speechSynthesis;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Readable text of one block: its text with the skipped descendants left out. */
  function textOf(node) {
    var out = "";
    (function walk(n) {
      if (n.nodeType === Node.TEXT_NODE) { out += n.nodeValue; return; }
      if (n.nodeType !== Node.ELEMENT_NODE || n.matches(SKIP)) {
        if (n.nodeType === Node.ELEMENT_NODE && n.matches(".arithmatex, mjx-container")) out += " ";
        return;
      }
      for (var c = n.firstChild; c; c = c.nextSibling) walk(c);
      if (/^(P|LI|H[1-6]|FIGCAPTION|TD|TH|DT|DD|SUMMARY)$/.test(n.tagName)) out += ". ";
    })(node);
    return out.replace(/\s+/g, " ").replace(/(\.\s*)+\./g, ".").trim();
  }

  /* The article split into sections at its h2 headings: [{title, blocks}]. */
  function sections(article) {
    var list = [{ title: "Whole page", nodes: [] }], current = null;
    Array.prototype.forEach.call(article.children, function (child) {
      if (child.matches(SKIP)) return;
      if (child.tagName === "H2") {
        current = { title: textOf(child).replace(/\.$/, ""), nodes: [] };
        list.push(current);
      }
      list[0].nodes.push(child);
      if (current) current.nodes.push(child);
    });
    return list;
  }

  function chunks(text) {
    /* Long utterances stall in some browsers: speak sentence groups of at most ~200 chars. */
    var parts = text.match(/[^.!?]+[.!?]*/g) || [], out = [], buf = "";
    parts.forEach(function (p) {
      if ((buf + p).length > 200 && buf) { out.push(buf.trim()); buf = ""; }
      buf += p;
    });
    if (buf.trim()) out.push(buf.trim());
    return out;
  }

  function attach() {
    if (!CHAPTERS.test(window.location.pathname)) return;
    var article = document.querySelector(".md-content__inner");
    if (!article || article.querySelector(".listen-control")) return;
    var h1 = article.querySelector("h1");
    var box = el("div", { "class": "listen-control", role: "group", "aria-label": "Listen to this page" });
    var status = el("span", { "class": "listen-status", "aria-live": "polite" });
    var play = el("button", { type: "button", "class": "listen-play" }, "▶ Listen");
    var pause = el("button", { type: "button", "class": "listen-pause", disabled: "" }, "Pause");
    var stop = el("button", { type: "button", "class": "listen-stop", disabled: "" }, "Stop");
    var which = el("select", { "class": "listen-section", id: "listen-section" });
    var all = sections(article);
    all.forEach(function (s, k) { which.appendChild(el("option", { value: String(k) }, s.title)); });
    box.appendChild(play);
    box.appendChild(pause);
    box.appendChild(stop);
    box.appendChild(el("label", { "for": "listen-section" }, "Read:"));
    box.appendChild(which);
    box.appendChild(status);
    if (h1 && h1.nextSibling) h1.parentNode.insertBefore(box, h1.nextSibling);
    else article.insertBefore(box, article.firstChild);

    function say(text) { status.textContent = text; box.setAttribute("data-state", text); }
    function unavailable(reason) {
      [play, pause, stop, which].forEach(function (b) { b.disabled = true; });
      say(reason);
      box.setAttribute("data-available", "false");
    }
    if (!speech || typeof window.SpeechSynthesisUtterance === "undefined") {
      unavailable("Reading aloud is not available: this browser has no speech synthesis.");
      return;
    }
    function voices() { return speech.getVoices() || []; }
    function checkVoices() {
      if (voices().length === 0) {
        unavailable("Reading aloud is not available: this browser offers no voice.");
        return false;
      }
      [play, which].forEach(function (b) { b.disabled = false; });
      box.setAttribute("data-available", "true");
      if (!speech.speaking) say("");
      return true;
    }
    /* Voices often arrive a moment after the page loads. */
    if (voices().length === 0) {
      say("Looking for a voice…");
      speech.addEventListener("voiceschanged", checkVoices);
      window.setTimeout(checkVoices, 1500);
    } else {
      checkVoices();
    }

    var queue = [];
    function next() {
      if (!queue.length) { finish("Finished."); return; }
      var u = new SpeechSynthesisUtterance(queue.shift());
      u.lang = document.documentElement.lang || "en";
      u.onend = next;
      u.onerror = function (e) { if (e.error !== "interrupted" && e.error !== "canceled") finish("Reading stopped: " + e.error + "."); };
      speech.speak(u);
    }
    function finish(message) {
      queue = [];
      pause.disabled = true; stop.disabled = true; pause.textContent = "Pause";
      say(message);
    }
    play.addEventListener("click", function () {
      if (!checkVoices()) return;
      speech.cancel();
      var section = all[Number(which.value)];
      queue = chunks(section.nodes.map(textOf).join(" "));
      pause.disabled = false; stop.disabled = false;
      say("Reading: " + section.title + ".");
      next();
    });
    pause.addEventListener("click", function () {
      if (speech.paused) { speech.resume(); pause.textContent = "Pause"; say("Reading."); }
      else { speech.pause(); pause.textContent = "Resume"; say("Paused."); }
    });
    stop.addEventListener("click", function () { speech.cancel(); finish("Stopped."); });
  }

  /* Leaving the page (instant navigation included) stops any reading. */
  function start() {
    if (speech) speech.cancel();
    attach();
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
