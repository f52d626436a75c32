// Typeset TeX as MathML and say it in words, at build time (run by hooks/math.py).
//
// Protocol: one JSON array per input line, [{tex, display}, ...]; one JSON array per
// output line, in the same order, of {mathml, speech} or {error}. The process stays up
// for the whole build (and for `mkdocs serve`), so the speech engine starts only once.
//
// Temml writes MathML Core, which browsers render natively: no script runs when the
// page is read. speech-rule-engine (ClearSpeak rules, written for students) turns the
// same MathML into an English sentence for the page's "Listen" control and as the
// formula's alternative text.
import readline from "node:readline";
import temml from "temml";
import sre from "speech-rule-engine";

// Words that ClearSpeak gets wrong or makes needlessly heavy for this site's readers.
const SPOKEN = [
  [/ raised to the (normal )?down tack power/g, " transpose"],
  [/(normal )?down tack/g, "transpose"],
  [/\blamda\b/g, "lambda"],
  [/ of slash /g, " divided by "],
  [/the metric of /g, "the length of "],
  [/partial differential/g, "partial"],
  [/\bl n\b/g, "natural log of"],
];

function speak(mathml) {
  let words = sre.toSpeech(mathml);
  for (const [pattern, replacement] of SPOKEN) words = words.replace(pattern, replacement);
  return words.replace(/\s+/g, " ").trim();
}

function typeset({ tex, display }) {
  try {
    const mathml = temml.renderToString(tex, { displayMode: display, throwOnError: true, strict: true });
    return { mathml, speech: speak(mathml) };
  } catch (error) {
    return { error: String(error.message || error) };
  }
}

await sre.setupEngine({ locale: "en", domain: "clearspeak", modality: "speech" });
await sre.engineReady();

const lines = readline.createInterface({ input: process.stdin, terminal: false });
for await (const line of lines) {
  if (!line.trim()) continue;
  process.stdout.write(JSON.stringify(JSON.parse(line).map(typeset)) + "\n");
}
