"""The Listen (read aloud) control on the chapter pages: present, usable, and degrading
gracefully where the browser has no speech synthesis."""

import pytest

CHAPTERS = ("/gradients-drive-learning/", "/why-gradients-vanish/", "/fixing-vanishing-gradients/")


@pytest.mark.browser
@pytest.mark.parametrize("path", CHAPTERS)
def test_listen_control_on_chapter_pages_degrades_gracefully(page, served_site, path):
    page.goto(served_site + path)
    control = page.locator(".listen-control")
    control.wait_for(timeout=10_000)
    assert control.count() == 1
    assert page.get_by_role("button", name="Listen").count() == 1
    page.wait_for_function("() => document.querySelector('.listen-control').dataset.available !== undefined",
                           timeout=5_000)
    available = control.get_attribute("data-available")
    status = control.locator(".listen-status")
    if available == "false":
        assert "not available" in status.inner_text() and status.get_attribute("aria-live") == "polite"
        assert page.get_by_role("button", name="Listen").is_disabled()
    else:
        page.get_by_role("button", name="Listen").click()
        assert "Reading" in status.inner_text()
        page.get_by_role("button", name="Stop").click()
        assert "Stopped" in status.inner_text()
    assert page.problems == []


@pytest.mark.browser
def test_listen_control_only_on_chapters(page, served_site):
    page.goto(served_site + "/explorer/")
    page.wait_for_load_state("networkidle")
    assert page.locator(".listen-control").count() == 0
