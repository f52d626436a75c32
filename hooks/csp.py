"""MkDocs hook: a Content-Security-Policy on every page, inline scripts allowed by hash.

The site loads everything from its own origin, so the policy allows only 'self'. Some
inline code is genuinely needed: Material's few inline scripts and the quiz plugin's
per-page scripts, plus its one inline handler (onsubmit="return false;"). Rather than
'unsafe-inline', each is allowed by the SHA-256 of its exact text.

Every page is a full page load (the site does not use Material's instant navigation),
so each page carries its own policy, allowing exactly its own inline scripts. The
policy goes right after `<meta charset>`: the charset must come within the first 1,024
bytes of the page, and the policy before the first script.

Styles keep 'unsafe-inline': Material and the typeset formulas set style attributes, and
notebook pages carry style elements, which no hash can cover.
"""

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+=(["'])(.*?)\1""", re.I)
EXECUTABLE = re.compile(r"""type=["']?(text/javascript|module|application/javascript)["']?""", re.I)
MARKER = '<meta http-equiv="Content-Security-Policy"'


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def inline_hashes(html: str) -> tuple[set[str], set[str]]:
    """Hashes of executable inline scripts, and of inline event-handler attributes."""
    scripts = {
        _sha256(body)
        for attrs, body in INLINE_SCRIPT.findall(html)
        if "type=" not in attrs or EXECUTABLE.search(attrs)
    }
    handlers = {_sha256(code) for _, code in INLINE_HANDLER.findall(html)}
    return scripts, handlers


def policy(scripts: set[str], handlers: set[str]) -> str:
    script_src = ["'self'", *sorted(scripts)]
    if handlers:
        script_src += ["'unsafe-hashes'", *sorted(handlers)]
    return "; ".join([
        "default-src 'self'",
        "script-src " + " ".join(script_src),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


CHARSET = '<meta charset="utf-8">'


def on_post_build(config):
    for page in sorted(Path(config.site_dir).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if MARKER not in text and CHARSET in text:
            meta = f'{MARKER} content="{policy(*inline_hashes(text))}">'
            page.write_text(text.replace(CHARSET, CHARSET + "\n    " + meta, 1), encoding="utf-8")
