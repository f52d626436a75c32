"""The teacher's kit: goals, 45-minute lesson plans, handout, answer key and the QTI export."""

import re
import zipfile

from conftest import PROJECT

KIT = PROJECT / "docs" / "teachers.md"
CHAPTERS = ("gradients-drive-learning", "why-gradients-vanish", "fixing-vanishing-gradients")


def site_quiz_count(site_dir) -> int:
    return sum(html.read_text().count('<div class="quiz"') for html in site_dir.rglob("index.html"))


def test_the_qti_export_holds_every_quiz_of_the_site(site_dir):
    from teachers import QTI_ARCHIVE  # hooks/teachers.py builds it

    with zipfile.ZipFile(site_dir / "downloads" / QTI_ARCHIVE) as archive:
        items = [name for name in archive.namelist() if name.startswith("items/")]
        manifest = archive.read("imsmanifest.xml").decode()
        for name in items:
            xml = archive.read(name).decode()
            assert xml.count("<response_label") >= 2, name
            assert "{{" not in xml, f"{name}: a number was not filled in"
    assert len(items) == site_quiz_count(site_dir) > 30
    assert manifest.count("<resource ") >= len(items)


def test_the_handout_has_every_question_and_no_answer(site_dir):
    handout = (site_dir / "teachers" / "handout" / "index.html").read_text()
    key = (site_dir / "teachers" / "answer-key" / "index.html").read_text()
    quizzes = site_quiz_count(site_dir)
    numbers = re.findall(r"<strong>(Q\d\.\d+)\.</strong>", handout)
    assert len(numbers) == len(set(numbers)) == quizzes
    assert re.findall(r"<strong>(Q\d\.\d+)\.</strong>", key) == numbers
    assert "(right)" not in handout and "Answer:" not in handout and "Solution." not in handout
    assert key.count("<em>Answer: ") == quizzes and key.count("(right)") >= quizzes
    problems = re.findall(r"<h3[^>]*>Problem (\d\.\d)", handout)
    assert len(problems) >= 12 and re.findall(r"<h3[^>]*>Problem (\d\.\d)", key) == problems
    assert key.count("<strong>Solution.</strong>") == len(problems)


def test_every_chapter_has_goals_and_a_45_minute_plan(site_dir):
    source = KIT.read_text()
    for chapter in CHAPTERS:
        include = PROJECT / "docs" / "includes" / f"goals-{chapter}.md"
        assert include.is_file() and f'--8<-- "docs/includes/goals-{chapter}.md"' in source
    plans = re.findall(r"\| Minutes \| Activity \| Material \|\n\|[-:| ]+\|\n((?:\|.*\|\n)+)", source)
    assert len(plans) == len(CHAPTERS)
    for plan in plans:
        minutes = [int(row.split("|")[1]) for row in plan.strip().splitlines()]
        assert sum(minutes) == 45, minutes
    built = (site_dir / "teachers" / "index.html").read_text()
    goals = re.findall(r"<strong>Learning goals\.</strong>(.*?)<strong>Lesson plan", built, re.S)
    assert len(goals) == len(CHAPTERS) and all(g.count("<li") >= 2 for g in goals), "a chapter's goals are missing"


def test_the_kit_links_to_pages_not_to_anchors_that_may_move():
    links = re.findall(r"\]\(([^)]+)\)", KIT.read_text())
    assert links and not [link for link in links if "#" in link]
