"""MkDocs hook: quizzes read well without JavaScript.

Checking an answer needs the quiz plugin's script. Without JavaScript the questions and
their options still show; the Submit button, which could do nothing, is hidden
(extra.css: `.no-js .quiz-button`, Material removes `no-js` when scripts run) and a
short note says why in its place.
"""

NOTE = ('<noscript><p class="quiz-nojs-note">Checking your answer needs JavaScript; '
        "the question and its options are here to think about.</p></noscript>")
SUBMIT = '<button type="submit" class="quiz-button">'


def on_page_content(content, page, config, files):
    return content.replace(SUBMIT, NOTE + SUBMIT) if SUBMIT in content else content
