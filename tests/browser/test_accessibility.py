"""axe-core finds nothing serious or critical on any kiosk screen, in every language, text size
and contrast a resident can choose."""

from pathlib import Path

import pytest

from tests.browser.kiosk_screens import (
    DISPLAYS,
    LANGUAGES,
    PORTRAIT,
    SCREENS,
    display_name,
    open_context,
    screen_url,
)

pytestmark = pytest.mark.browser

# Vendored from the npm registry (see vendor/README.md): nothing is downloaded at test time.
AXE_VERSION = "4.14.1"
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")
RUN_AXE = """async (blocking) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((v) => blocking.includes(v.impact))
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(" "))}`);
}"""


@pytest.fixture(scope="module")
def axe_page(browser, live_server):
    """A page for each display setting, reused across screens, with axe in every document.

    The strict CSP refuses scripts added to a page, so these contexts bypass it; the layout
    tests keep it.
    """
    pages = {}

    def page_for(display):
        if display not in pages:
            context = open_context(browser, live_server, display, PORTRAIT, bypass_csp=True)
            context.add_init_script(AXE)
            pages[display] = context.new_page()
        return pages[display]

    yield page_for
    for page in pages.values():
        page.context.close()


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("display", DISPLAYS, ids=display_name)
def test_axe_finds_no_serious_problem(axe_page, live_server, kiosk_paths, display, lang, screen):
    page = axe_page(display)
    page.goto(screen_url(live_server, kiosk_paths[screen], lang))
    assert page.evaluate("axe.version") == AXE_VERSION
    violations = page.evaluate(RUN_AXE, list(BLOCKING))
    assert not violations, "\n".join(violations)
