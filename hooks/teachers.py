"""MkDocs hook: the teacher's kit, made from the site's own quizzes and problems.

* `teachers/handout.md` and `teachers/answer-key.md` carry a marker
  (`<!-- teachers: handout -->`, `<!-- teachers: answer-key -->`) that this hook replaces
  with every quiz of the site (questions and options; in the key also the right option and
  the explanation) and every worked problem (question; in the key the solution). They are
  read from the pages themselves, with their generated numbers filled in, so the kit
  cannot drift from the site.
* After the build, `downloads/vanishing-gradients-quizzes-qti.zip` holds every quiz in
  QTI 1.2 (mkdocs-quiz's exporter), for Canvas, Moodle, Blackboard and other learning
  platforms; formulas are written as \\( ... \\), which their equation filters typeset.
"""

import re
import tempfile
import textwrap
import zipfile
from pathlib import Path

from mkdocs.utils.meta import get_data

QTI_ARCHIVE = "vanishing-gradients-quizzes-qti.zip"
# The pages whose quizzes and problems go into the kit, in the order of the course.
QUIZ_PAGES = ("gradients-drive-learning.md", "why-gradients-vanish.md", "fixing-vanishing-gradients.md",
              "check-yourself.md", "diagnose.md")
PROBLEM_PAGES = ("problems/chapter-1.md", "problems/chapter-2.md", "problems/chapter-3.md")
PROBLEM = re.compile(r"^## (Problem .+)$", re.M)
LETTERS = "ABCDEFGH"


def rendered(config, src_path: str) -> tuple[str, str]:
    """(title, Markdown) of a page, its generated numbers filled in as mkdocs-macros would."""
    text, meta = get_data((Path(config.docs_dir) / src_path).read_text(encoding="utf-8"))
    if meta.get("render_macros"):
        macros = config.plugins["macros"]
        text = macros.env.from_string(text).render(**macros.variables)
    title = re.search(r"^# (.+)$", text, re.M).group(1)
    return title, text


def quizzes(config, src_path: str) -> tuple[str, list]:
    """The page's title and its quizzes (mkdocs-quiz's own parser)."""
    from mkdocs_quiz.qti.extractor import extract_quizzes_from_file

    title, text = rendered(config, src_path)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(src_path).name
        path.write_text(text, encoding="utf-8")
        return title, extract_quizzes_from_file(path)


def problems(config, src_path: str) -> tuple[str, list[tuple[str, str, str]]]:
    """The page's title and its problems: (heading, question, solution), solution dedented."""
    title, text = rendered(config, src_path)
    parts = PROBLEM.split(text)
    found = []
    for heading, body in zip(parts[1::2], parts[2::2]):
        question, _, solution = body.partition('??? success "Solution"')
        found.append((heading, question.strip(), textwrap.dedent(solution).strip()))
    return title, found


def quiz_markdown(number: str, quiz, key: bool) -> str:
    lines = [f"**{number}.** {quiz.question}", ""]
    for letter, answer in zip(LETTERS, quiz.answers):
        lines.append(f"{letter}. {answer.text}" if not key else
                     f"{letter}. {'**' + answer.text + '** (right)' if answer.is_correct else answer.text}")
        lines.append("")
    if key:
        right = ", ".join(letter for letter, a in zip(LETTERS, quiz.answers) if a.is_correct)
        lines += [f"*Answer: {right}.* {quiz.content or ''}", ""]
    return "\n".join(lines)


def kit(config, key: bool) -> str:
    """The handout (key=False) or the answer key (key=True) as Markdown."""
    out = []
    for chapter, src_path in enumerate(QUIZ_PAGES, 1):
        title, found = quizzes(config, src_path)
        out.append(f"## Quiz: {title}\n")
        out += [quiz_markdown(f"Q{chapter}.{i}", quiz, key) for i, quiz in enumerate(found, 1)]
    for src_path in PROBLEM_PAGES:
        title, found = problems(config, src_path)
        out.append(f"## {title}\n")
        for heading, question, solution in found:
            out.append(f"### {heading}\n\n{question}\n")
            if key:
                out.append(f"**Solution.**\n\n{solution}\n")
    return "\n".join(out)


def on_page_markdown(markdown, page, config, files):
    for marker, key in (("<!-- teachers: handout -->", False), ("<!-- teachers: answer-key -->", True)):
        if marker in markdown:
            markdown = markdown.replace(marker, kit(config, key))
    return markdown


def qti_collection(config):
    """Every quiz of the site as one QTI collection, with stable identifiers and HTML text."""
    import markdown as md
    from mkdocs_quiz.qti.models import QuizCollection

    def html(text: str) -> str:
        text = re.sub(r"\$\$(.+?)\$\$", r"\\[\1\\]", text, flags=re.S)
        text = re.sub(r"\$(.+?)\$", r"\\(\1\\)", text)
        return md.markdown(text)

    collection = QuizCollection(title="Vanishing gradients, explained: all quizzes",
                                description=f"Every quiz of {config.site_url or 'the site'}",
                                identifier="vanishing_gradients_quizzes")
    for src_path in QUIZ_PAGES:
        _, found = quizzes(config, src_path)
        for i, quiz in enumerate(found, 1):
            quiz.identifier = f"{Path(src_path).stem.replace('-', '_')}_{i}"
            quiz.question = html(quiz.question)
            quiz.content = html(quiz.content) if quiz.content else None
            for j, answer in enumerate(quiz.answers):
                answer.identifier = f"{quiz.identifier}_{LETTERS[j]}"
                answer.text = html(answer.text)
            collection.add_quiz(quiz)
    return collection


def on_post_build(config):
    from mkdocs_quiz.qti import QTIExporter, QTIVersion

    exporter = QTIExporter.create(qti_collection(config), QTIVersion.V1_2)
    files = {"imsmanifest.xml": exporter.generate_manifest(), "assessment.xml": exporter.generate_assessment(),
             **exporter.generate_items()}
    target = Path(config.site_dir) / "downloads"
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target / QTI_ARCHIVE, "w") as archive:
        for name, text in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2016, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text)
