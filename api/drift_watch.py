"""The server's periodic drift check: a background thread over lifecycle.drift_check.

Each replica runs its own; they need no coordination, because acting on a breach is
conditional in one transaction (graph.drift_store): the first replica ends the canary
or rolls back, the others find it done. Every check is logged and counted; a check that
fails (Neo4j away) is logged and retried at the next interval, never raised into the
server.
"""

from __future__ import annotations

import logging
import threading

from api.telemetry import Metrics, Telemetry
from engine.errors import GovroutError
from engine.threats.custom import ThreatCategoryFitter
from graph.connection import GraphClient
from lifecycle.drift_check import Action, DriftReport, Kind, RouteMemo, check_drift

log = logging.getLogger("govroute.drift")

ROLLBACK_KINDS = {Action.ENDED_CANARY: "canary", Action.ROLLED_BACK: "activation"}


def count_report(metrics: Metrics, report: DriftReport) -> None:
    """A check in govroute_drift_checks_total, and what it undid in ..._rollbacks_total."""
    metrics.drift_checks.labels(report.action.value).inc()
    kind = ROLLBACK_KINDS.get(report.action)
    if kind is not None:
        metrics.drift_rollbacks.labels(kind).inc()


def log_report(report: DriftReport) -> None:
    """One line per check: a warning when it acted or alerted, info otherwise."""
    fields = {
        "drift_check_id": report.id,
        "drift_kind": report.kind.value,
        "drift_action": report.action.value,
        "judged_version": report.judged,
        "baseline_version": report.baseline,
        "breaches": len(report.breaches),
    }
    if report.rollback_to is not None:
        fields["rollback_to"] = report.rollback_to
    quiet = report.action is Action.NONE or report.kind is Kind.IDLE
    level = logging.INFO if quiet else logging.WARNING
    detail = f": {report.reason}" if report.reason else ""
    log.log(level, "drift check: %s%s", report.summary(), detail, extra=fields)


class DriftWatch:
    def __init__(
        self,
        graph: GraphClient,
        telemetry: Telemetry,
        interval_s: float,
        *,
        fitter: ThreatCategoryFitter | None = None,
    ) -> None:
        self._graph = graph
        self._telemetry = telemetry
        self._interval = interval_s
        self._fitter = fitter
        self._routes = RouteMemo()  # this watcher's own, touched by its thread only
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="govroute-drift", daemon=True)

    def start(self) -> DriftWatch:
        self._thread.start()
        return self

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def check_once(self) -> DriftReport | None:
        """One check, logged and counted; None when it could not run."""
        metrics = self._telemetry.metrics
        try:
            report = check_drift(self._graph, fitter=self._fitter, routes=self._routes)
        except GovroutError as exc:
            metrics.drift_checks.labels("error").inc()
            log.warning("drift check could not run: [%s] %s", exc.code, exc.message)
            return None
        count_report(metrics, report)
        log_report(report)
        return report

    def _run(self) -> None:
        # The first check waits one interval: a replica starting up has served nothing.
        while not self._stop.wait(self._interval):
            try:
                self.check_once()
            except Exception:  # a bug in one check must not end the checks that follow
                self._telemetry.metrics.drift_checks.labels("error").inc()
                log.exception("drift check failed")
