"""What a case run tells people (text) and CI systems (JUnit XML)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from engine.decision import Decision, Reason
from lifecycle.case_run import CaseResult


def summarize(decision: Decision) -> list[str]:
    """The decision in a few lines, under a failing case's diff."""
    route = decision.route
    lines = [
        f"outcome {decision.outcome.value}, intent {decision.intent.intent_id}",
        "reasons: " + ("; ".join(_reason(r) for r in decision.reasons) or "(none)"),
    ]
    if decision.withholdings:
        lines.append(
            "withheld: " + ", ".join(f"{w.item_id} ({w.code})" for w in decision.withholdings)
        )
    if decision.exposures:
        lines.append("exposed: " + ", ".join(e.item_id for e in decision.exposures))
    if decision.redactions:
        lines.append(
            "redactions: "
            + ", ".join(f"{r.entity_type}/{r.label}/{r.action.value}" for r in decision.redactions)
        )
    lines.append("route: " + (" > ".join(route.candidates) or "(none)"))
    return lines


def _reason(reason: Reason) -> str:
    # The engine's own reasons (no route, default deny) have no policy id: say them.
    return reason.policy_id or f"({reason.sentence})"


def failure_text(result: CaseResult) -> str:
    """Expected vs actual for every unmet expectation, then what was decided."""
    if result.error:
        return f"could not run: {result.error}"
    lines = [m.describe() for m in result.mismatches]
    if result.decision is not None:
        lines.append("decided: " + "\n    ".join(summarize(result.decision)))
    return "\n".join(lines)


def text_report(results: Sequence[CaseResult], *, verbose: bool = False) -> str:
    lines: list[str] = []
    for result in results:
        case = result.case
        where = f"{case.source}:{case.line}"
        if result.passed:
            if verbose:
                lines.append(f"PASS {case.name} ({where})")
            continue
        lines.append(f"FAIL {case.name} ({where})")
        lines.extend("  " + line for line in failure_text(result).splitlines())
    return "\n".join(lines)


def junit_xml(suite: str, results: Sequence[CaseResult], seconds: float) -> str:
    """One <testsuite>, one <testcase> per case: classname is the file, name the case."""
    failed = sum(1 for r in results if r.mismatches and not r.error)
    errors = sum(1 for r in results if r.error)
    root = ET.Element("testsuites")
    node = ET.SubElement(
        root,
        "testsuite",
        name=suite,
        tests=str(len(results)),
        failures=str(failed),
        errors=str(errors),
        time=f"{seconds:.3f}",
    )
    for result in results:
        case = ET.SubElement(node, "testcase", classname=result.case.source, name=result.case.name)
        if result.error:
            ET.SubElement(case, "error", message=result.error).text = result.error
        elif result.mismatches:
            first = result.mismatches[0]
            message = f"{first.field}: expected {first.expected}, got {first.actual}"
            ET.SubElement(case, "failure", message=message).text = failure_text(result)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
