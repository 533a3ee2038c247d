"""From hourly buckets (graph/console_reads.py) to what the pages draw: series on one
hourly time axis for the overview, and count matrices for the heatmaps. Pure."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from graph.console_buckets import LATENCY_BOUNDS_MS, BucketKind
from graph.console_reads import Bucket

OVERVIEW_KINDS = (
    BucketKind.OUTCOME,
    BucketKind.THREAT_DENY,
    BucketKind.REDACTION,
    BucketKind.LATENCY,
    BucketKind.UPSTREAM,
)
HEATMAP_KINDS = (BucketKind.POLICY_VIOLATION, BucketKind.INTENT_LABEL)
MOST_SERIES = 8  # categories or labels drawn; the rest are summed into "other"
OPEN_CIRCUIT = "skipped_open_circuit"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True, slots=True)
class Panel:
    """One chart of the overview; every panel shares the same hours."""

    id: str
    title: str
    unit: str
    series: tuple[Series, ...]

    def total(self, name: str) -> float:
        return sum(v or 0 for s in self.series if s.name == name for v in s.values)


@dataclass(frozen=True, slots=True)
class Overview:
    hours: tuple[datetime, ...]
    panels: tuple[Panel, ...]
    totals: dict[str, int]  # decisions by outcome over the window

    def chart_data(self) -> dict[str, Any]:
        """What static/console.js hands uPlot: x in epoch seconds, one array a series."""
        return {
            "x": [int(h.timestamp()) for h in self.hours],
            "panels": [
                {
                    "id": p.id,
                    "title": p.title,
                    "unit": p.unit,
                    "series": [{"name": s.name, "values": list(s.values)} for s in p.series],
                }
                for p in self.panels
            ],
        }


def _hour_key(h: datetime) -> str:
    return h.strftime("%Y-%m-%dT%H:%M:%SZ")


def _by_hour(
    buckets: Iterable[Bucket], kind: str, hours: Sequence[datetime]
) -> dict[str, list[float]]:
    index = {_hour_key(h): i for i, h in enumerate(hours)}
    out: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(hours))
    for b in buckets:
        if b.kind == kind and b.start in index:
            out[b.key][index[b.start]] += b.count
    return dict(out)


def _top(series: dict[str, list[float]], width: int) -> tuple[Series, ...]:
    ranked = sorted(series, key=lambda k: (-sum(series[k]), k))
    shown = [Series(k, tuple(series[k])) for k in ranked[:MOST_SERIES]]
    rest = ranked[MOST_SERIES:]
    if rest:
        other = [sum(series[k][i] for k in rest) for i in range(width)]
        shown.append(Series(f"other ({len(rest)})", tuple(other)))
    return tuple(shown)


def percentile(histogram: Counter[str], q: float) -> float | None:
    """The upper bound of the histogram bucket the q-quantile falls in (None: empty)."""
    total = sum(histogram.values())
    if total == 0:
        return None
    seen = 0
    for bound in LATENCY_BOUNDS_MS:
        seen += histogram.get(f"{bound:g}", 0)
        if seen >= q * total:
            return bound
    return LATENCY_BOUNDS_MS[-1]  # beyond the last bound: drawn at it


def overview(buckets: Sequence[Bucket], hours: Sequence[datetime]) -> Overview:
    width = len(hours)
    outcomes = _by_hour(buckets, BucketKind.OUTCOME, hours)
    ordered = [
        Series(o, tuple(outcomes.get(o, [0.0] * width)))
        for o in ("allow", "allow_with_redactions", "deny")
    ]
    index = {_hour_key(h): i for i, h in enumerate(hours)}
    latency: list[Counter[str]] = [Counter() for _ in hours]
    for b in buckets:
        if b.kind == BucketKind.LATENCY and b.start in index:
            latency[index[b.start]][b.key] += b.count
    upstream = _by_hour(buckets, BucketKind.UPSTREAM, hours)
    errors = [
        sum(v[i] for k, v in upstream.items() if k not in ("ok", OPEN_CIRCUIT))
        for i in range(width)
    ]
    panels = (
        Panel("outcomes", "Decisions by outcome", "decisions", tuple(ordered)),
        Panel(
            "threats",
            "Threat denials by category",
            "decisions",
            _top(_by_hour(buckets, BucketKind.THREAT_DENY, hours), width),
        ),
        Panel(
            "redactions",
            "Redactions by label",
            "spans",
            _top(_by_hour(buckets, BucketKind.REDACTION, hours), width),
        ),
        Panel(
            "latency",
            "Decision latency (to the histogram bucket)",
            "ms",
            (
                Series("p50", tuple(percentile(h, 0.50) for h in latency)),
                Series("p99", tuple(percentile(h, 0.99) for h in latency)),
            ),
        ),
        Panel(
            "upstream",
            "Upstream errors and calls refused by an open circuit breaker",
            "calls",
            (
                Series("errors", tuple(errors)),
                Series("open circuit", tuple(upstream.get(OPEN_CIRCUIT, [0.0] * width))),
            ),
        ),
    )
    totals = {s.name: int(sum(v or 0 for v in s.values)) for s in ordered}
    return Overview(tuple(hours), panels, totals)


@dataclass(frozen=True, slots=True)
class Heatmap:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    counts: dict[tuple[str, str], int]

    @property
    def peak(self) -> int:
        return max(self.counts.values(), default=0)

    def shade(self, row: str, column: str) -> float:
        """0..1, for the cell's colour."""
        peak = self.peak
        return self.counts.get((row, column), 0) / peak if peak else 0.0


def heatmap(buckets: Iterable[Bucket], kind: str, *, by_tenant: bool) -> Heatmap:
    """tenant x key (`by_tenant`) or key x key2, summed over the window."""
    counts: Counter[tuple[str, str]] = Counter()
    for b in buckets:
        if b.kind == kind:
            counts[(b.tenant_id, b.key) if by_tenant else (b.key, b.key2)] += b.count
    rows = sorted({r for r, _ in counts}, key=lambda r: (-_sum(counts, row=r), r))
    columns = sorted({c for _, c in counts}, key=lambda c: (-_sum(counts, column=c), c))
    return Heatmap(tuple(rows), tuple(columns), dict(counts))


def _sum(counts: Counter[tuple[str, str]], *, row: str = "", column: str = "") -> int:
    return sum(n for (r, c), n in counts.items() if (row and r == row) or (column and c == column))


@dataclass(frozen=True, slots=True)
class Cell:
    column: str
    count: int
    shade: float
    href: str


@dataclass(frozen=True, slots=True)
class GridRow:
    name: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class Grid:
    """A heatmap as the page draws it: every cell with its link."""

    id: str
    row_title: str
    column_title: str
    columns: tuple[str, ...]
    rows: tuple[GridRow, ...]


def grid(
    map_: Heatmap,
    *,
    id: str,
    titles: tuple[str, str],
    href: Callable[[str, str], str],
) -> Grid:
    rows = tuple(
        GridRow(
            r,
            tuple(
                Cell(c, map_.counts.get((r, c), 0), map_.shade(r, c), href(r, c))
                for c in map_.columns
            ),
        )
        for r in map_.rows
    )
    return Grid(id, titles[0], titles[1], map_.columns, rows)
