"""axe-core (WCAG 2.1 A/AA rules) in a Playwright page: shared by tests/browser and tests/site.

axe-core comes from the npm registry into tools/axe (``tools/install_axe.sh``, run by ``make test``)
and is injected from that file: nothing is loaded from a CDN. Missing axe is a failure, never a skip.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "tools" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [  # the same flags as tests/browser/conftest.py
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def require_axe() -> Path:
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS.relative_to(ROOT)} is missing: run tools/install_axe.sh (npm axe-core)", pytrace=False)
    return AXE_JS


def run_axe(page, include: list[str], exclude: list[str] | None = None) -> list[dict]:
    """WCAG 2.1 A/AA violations inside the elements matching ``include`` (CSS selectors)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(require_axe()))
    context = {"include": [[s] for s in include]}
    if exclude:
        context["exclude"] = [[s] for s in exclude]
    found = page.evaluate(
        """async ([context, tags]) => {
             const present = context.include.some(([s]) => document.querySelector(s));
             if (!present) return null;
             const r = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                         summary: n.failureSummary}))}));
           }""",
        [context, WCAG21_AA],
    )
    assert found is not None, f"axe: nothing matches {include} on {page.url}"
    return found


def count(violations: list[dict]) -> int:
    """Violations as axe-core's reports count them: one per failing element and rule."""
    return sum(len(v["nodes"]) for v in violations)


def report(violations: list[dict], limit: int = 12) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s))")
        for node in v["nodes"][:3]:
            lines.append(f"    {node['target']}: {node['html']}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      ")[:400])
    return "\n".join(lines[: limit * 5]) or json.dumps(violations)[:2000]
