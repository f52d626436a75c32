"""MkDocs hook: serve MathJax from the site itself, never from a CDN.

MathJax 3 ships inside the `django-static-mathjax` wheel (pinned in requirements.txt).
We add the few files a page needs to the build: the TeX-to-HTML bundle, its web fonts
and the TeX extensions it may autoload, all under assets/vendor/mathjax/.
"""

import importlib.util
from pathlib import Path

from mkdocs.structure.files import File

TARGET = "assets/vendor/mathjax"
WANTED = ("tex-chtml.js", "output/chtml/fonts/woff-v2/*.woff", "input/tex/extensions/*.js")


def mathjax_dir() -> Path:
    spec = importlib.util.find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("MathJax is missing: install requirements.txt (django-static-mathjax)")
    return Path(spec.submodule_search_locations[0]) / "static" / "mathjax"


def on_files(files, config):
    root = mathjax_dir()
    es5 = root / "es5"
    for pattern in WANTED:
        for path in sorted(es5.glob(pattern)):
            uri = f"{TARGET}/{path.relative_to(es5).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    files.append(File.generated(config, f"{TARGET}/LICENSE", abs_src_path=str(root / "LICENSE")))
    return files
