"""WCAG 1.4.10 reflow: at 320 CSS pixels nothing needs horizontal scrolling."""

WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
    .slice(0, 8)"""


def overflow(page) -> list[str]:
    """The elements that stick out to the right of the viewport (empty when the page reflows)."""
    if page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth"):
        return []
    return page.evaluate(WIDEST)
