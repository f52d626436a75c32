"""`make linkcheck`: check every external link of the built site. Never run in CI.

Internal links and anchors are checked by the test suite; external ones need the
internet, which CI machines do not have, so this separate command lists each external
link with its HTTP status (or the error) and exits non-zero if any is broken.
"""

import re
import sys
import urllib.error
import urllib.request
from pathlib import Path

SITE = Path(__file__).resolve().parent.parent / "site"
LINK = re.compile(r"""href=["'](https?://[^"'#]+)""")


def external_links(site: Path) -> dict[str, set[str]]:
    """Every external URL, with the pages that link to it."""
    found: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        for url in LINK.findall(page.read_text()):
            found.setdefault(url, set()).add(str(page.relative_to(site)))
    return found


def status(url: str) -> str:
    request = urllib.request.Request(url, method="HEAD", headers={"User-Agent": "linkcheck"})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return str(response.status)
    except urllib.error.HTTPError as error:
        return str(error.code)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        return f"error: {error}"


def main() -> int:
    if not SITE.exists():
        print("build the site first: make site", file=sys.stderr)
        return 2
    links = external_links(SITE)
    broken = 0
    for url in sorted(links):
        result = status(url)
        ok = result.startswith(("2", "3"))
        broken += not ok
        print(f"{'ok ' if ok else 'BAD'} {result:>5}  {url}  ({len(links[url])} pages)")
    print(f"{len(links)} external links, {broken} broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
