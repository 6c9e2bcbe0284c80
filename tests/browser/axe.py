"""axe-core accessibility scans for the browser tests.

axe-core comes from the npm registry (package.json / package-lock.json at the project root):
``npm ci`` puts it in ``node_modules/axe-core``. The app sends a strict Content-Security-Policy,
so the page that is scanned must come from a browser context created with ``bypass_csp=True``
(see ``a11y_context`` in test_accessibility.py); otherwise the injected script is blocked.
"""

import json
from pathlib import Path

import pytest

from .conftest import PROJECT_ROOT, SCREENSHOT_DIR, screenshot

AXE_SCRIPT = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA: what Flemish public-sector websites must meet (EN 301 549).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
# Rules axe only reports as "needs review" that are real failures in this server-rendered app:
# - duplicate-id-aria: a <label for> or aria-describedby pointing at an id used twice names only
#   the first control, so the second one is unlabelled for a screen reader (WCAG 1.3.1, 4.1.2);
# - aria-valid-attr-value: axe cannot know whether a missing id will be added later by script; our
#   pages never do that, so e.g. aria-describedby="id_jaar_error" without that element means the
#   error message is not announced with its field (WCAG 1.3.1, 3.3.1).
REVIEW_AS_VIOLATION = ("duplicate-id-aria", "aria-valid-attr-value")


def axe_script() -> Path:
    """The path of axe.min.js; fails the test (not skips it) when ``npm ci`` has not been run."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"axe-core ontbreekt ({AXE_SCRIPT.relative_to(PROJECT_ROOT)}). Voer `npm ci` uit in de "
            f"projectmap. / axe-core is missing: run `npm ci` in the project root.",
            pytrace=False,
        )
    return AXE_SCRIPT


def check_accessibility(page, name: str) -> list[dict]:
    """Run axe (WCAG 2.1 A/AA) on the current page; return its serious and critical violations.

    Also returns the "needs review" results of REVIEW_AS_VIOLATION. Writes the full axe result to ``var/screenshots/axe-<name>.json`` and a full-page
    screenshot to ``var/screenshots/<name>.png``.
    """
    script = axe_script()
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(script))
    result = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: "tag", values: tags},
        })""",
        WCAG_TAGS,
    )
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    (SCREENSHOT_DIR / f"axe-{name}.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    screenshot(page, name)
    violations = result["violations"] + [
        review for review in result["incomplete"] if review["id"] in REVIEW_AS_VIOLATION
    ]
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """A readable summary for an assertion message: rule, impact, help and the offending nodes."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            target = " ".join(str(part) for part in node["target"])
            html = " ".join(node["html"].split())
            lines.append(f"    {target}: {html[:160]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
