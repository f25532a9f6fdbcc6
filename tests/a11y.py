"""The accessibility audit in the browser: axe-core (the npm package installed
in tests/e2e/ by `make e2e`) injected into the page by Playwright."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import ROOT

AXE = ROOT / "tests" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RESULTS = ROOT / "test-artifacts" / "axe"
# WCAG 2.1 A and AA (what the RGAA 4.1 maps to) and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")


def axe_available() -> bool:
    return AXE.exists()


def run_axe(page, name: str) -> dict:
    """Audit the page as it stands; save the whole result as JSON; return it."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, "
        "resultTypes: ['violations', 'incomplete']})",
        AXE_TAGS,
    )
    AXE_RESULTS.mkdir(parents=True, exist_ok=True)
    Path(AXE_RESULTS / f"{name}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return result


def blocking(result: dict) -> list[str]:
    """The serious and critical violations, one readable line each."""
    return [
        f"{v['impact']}: {v['id']} ({len(v['nodes'])}×) {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
