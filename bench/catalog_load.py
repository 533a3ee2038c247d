"""Benchmark: load a synthetic bulk catalog (default 1,000,000 documents with lineage).

    .venv/bin/python bench/catalog_load.py [--docs N] [--batch-size B] [--keep]

Generates a deterministic catalog over the data sources and labels of the
reference enterprise (examples/enterprise, or tests/data/minimal if absent),
starts its own Neo4j (temporary home, free ports, heap 2g, page cache 2g; never
the developer's server), loads the policy and then the catalog, and prints the
time of each step, the rates, the loader's peak RSS and the store size on disk.
It then loads the same catalog again (which must change nothing: node and
relationship counts and a checksum of every property are compared) and prints
that time too.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.catalog_store import fingerprint  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from loaders.catalog import CatalogReport, load_catalog  # noqa: E402
from loaders.policy_load import load_policy_path, read_bundle  # noqa: E402

ENTERPRISE = ROOT / "examples" / "enterprise"
MINIMAL = ROOT / "tests" / "data" / "minimal"
WORDS = (
    "quarterly", "report", "customer", "export", "ledger", "summary", "notes", "ticket",
    "contract", "invoice", "statement", "claim", "policy", "draft", "review", "minutes",
    "forecast", "extract", "snapshot", "memo",
)  # fmt: skip


def generate(out: Path, docs: int, policy: Path, seed: int) -> tuple[int, int]:
    """Write documents.csv and lineage.csv; returns (documents, lineage edges)."""
    bundle = read_bundle(policy)
    sources = sorted(bundle.ids("data_sources"))
    # Catalog documents belong to their source's tenant ("" = shared); lineage stays
    # inside a tenant or reaches shared items, as the loader requires (docs/tenancy.md).
    owner = {
        str(getattr(d, "id")): str(getattr(d, "tenant", None) or "")  # noqa: B009
        for d in bundle.sections["data_sources"]
    }
    tenant_of = [owner[s] for s in sources]
    labels = sorted(bundle.ids("labels"))
    rng = random.Random(seed)
    # A few big systems hold most documents (Zipf-like), and most documents carry
    # no label of their own: they inherit from their source and their lineage.
    source_weights = [1.0 / (rank + 1) for rank in range(len(sources))]
    rng.shuffle(source_weights)
    label_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(labels))]
    rng.shuffle(label_weights)
    ids = [f"cat-{i:07d}" for i in range(docs)]
    doc_source = rng.choices(range(len(sources)), weights=source_weights, k=docs)
    order = list(range(docs))
    rng.shuffle(order)  # rows out of id order: lineage refers forward and backward
    edges = 0
    with (
        (out / "documents.csv").open("w", encoding="utf-8", newline="") as dfile,
        (out / "lineage.csv").open("w", encoding="utf-8", newline="") as lfile,
    ):
        dw, lw = csv.writer(dfile), csv.writer(lfile)
        dw.writerow(("id", "title", "source", "labels"))
        lw.writerow(("document", "derived_from", "transform", "removes_labels"))
        for i in order:
            words = rng.sample(WORDS, 3)
            title = f"{words[0].title()} {words[1]}, {words[2]} #{i}"
            if i % 97 == 0:
                title += ' ("draft")'
            k = rng.choices((0, 1, 2, 3), weights=(60, 25, 10, 5))[0]
            own = sorted(set(rng.choices(labels, weights=label_weights, k=k)))
            dw.writerow((ids[i], title, sources[doc_source[i]], ";".join(own)))
            for parent in _parents(rng, i, tenant_of, doc_source, doc_source[i]):
                removes = ""
                if isinstance(parent, int):
                    target, transform = ids[parent], rng.choice(("copy", "chunked", "summary"))
                else:
                    target, transform = sources[int(parent[1:])], "extract"
                if rng.random() < 0.1:
                    transform, removes = "aggregation", rng.choice(labels)
                lw.writerow((ids[i], target, transform, removes))
                edges += 1
    return docs, edges


def _parents(
    rng: random.Random, i: int, tenant_of: list[str], doc_source: list[int], own: int
) -> list[int | str]:
    """Lineage of document i: earlier documents only (chains and trees), or a source;
    only items of the document's own tenant or shared ones (the loader's rule)."""
    tenant = tenant_of[own]

    def may_derive_from(source: int) -> bool:
        return tenant_of[source] in ("", tenant)

    roll = rng.random()
    out: list[int | str] = []
    if roll < 0.10:
        return out
    if i > 0 and roll < 0.55:
        parent = i - 1 if rng.random() < 0.4 else rng.randrange(max(0, i - 5000), i)
        if may_derive_from(doc_source[parent]):
            out.append(parent)
    else:
        others = [s for s in range(len(tenant_of)) if s != own and may_derive_from(s)]
        out.append(f"s{rng.choice(others or [own])}")
    if i > 0 and roll > 0.85:  # a second parent: a document built from two others
        second = rng.randrange(max(0, i - 50_000), i)
        if second not in out and may_derive_from(doc_source[second]):
            out.append(second)
    return out


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def mb(n: float) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--batch-size", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir and server home")
    parser.add_argument("--no-checksum", action="store_true", help="skip the before/after checksum")
    args = parser.parse_args()
    policy = ENTERPRISE if ENTERPRISE.is_dir() else MINIMAL

    work = Path(tempfile.mkdtemp(prefix="govroute-bench-"))
    catalog = work / "catalog"
    catalog.mkdir()
    print(f"policy {policy.relative_to(ROOT)}; work dir {work}", flush=True)
    t = time.perf_counter()
    docs, edges = generate(catalog, args.docs, policy, args.seed)
    generation = time.perf_counter() - t
    size = du(catalog)
    print(f"generated {docs:,} documents, {edges:,} lineage edges ({mb(size)} of CSV) "
          f"in {generation:.1f}s", flush=True)  # fmt: skip

    try:
        with (
            throwaway_server(work / "neo4j", heap="2g", pagecache="2g") as server,
            GraphClient.connect(server.client_settings()) as client,
        ):
            load_policy_path(client, policy, author="bench", message="policy")
            kwargs = {"batch_size": args.batch_size} if args.batch_size else {}
            first = load_catalog(client, catalog, author="bench", message="bench catalog", **kwargs)
            rss_first = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            report(first, docs, edges, generation)
            print(f"loader peak RSS      {mb(rss_first)}")
            store = du(work / "neo4j" / "data" / "databases" / "neo4j")
            logs = du(work / "neo4j" / "data" / "transactions" / "neo4j")
            print(f"Neo4j store on disk  {mb(store)} (+ {mb(logs)} of transaction logs)")

            before = None
            if not args.no_checksum:
                t = time.perf_counter()
                before = fingerprint(client)
                print(f"checksum             {before.nodes:,} nodes, "
                      f"{before.relationships:,} relationships in "
                      f"{time.perf_counter() - t:.1f}s")  # fmt: skip
            again = load_catalog(client, catalog, author="bench", message="again", **kwargs)
            print(f"second load (no-op)  {again.seconds['total']:.1f}s: {again.describe()}")
            print("                     " + _phases(again))
            if before is not None:
                after = fingerprint(client)
                same = after == before
                print(f"graph unchanged      {same} ({after.nodes:,} nodes, "
                      f"{after.relationships:,} relationships, "
                      f"checksum {after.checksum[:16]})")  # fmt: skip
                if not same or again.changed:
                    raise SystemExit("the second load changed the graph")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _phases(r: CatalogReport) -> str:
    return ", ".join(f"{k} {v:.1f}s" for k, v in r.seconds.items() if k != "total")


def report(r: CatalogReport, docs: int, edges: int, generation: float) -> None:
    s = r.seconds
    validation = s["read"] + s["check"]
    relationships = docs + edges  # PART_OF + DERIVED_FROM, labels not counted
    print(f"generation           {generation:.1f}s")
    print(f"validation           {validation:.1f}s (read + row checks {s['read']:.1f}s, "
          f"references, lineage and cycles {s['check']:.1f}s)")  # fmt: skip
    print(f"compare with graph   {s['plan']:.1f}s")
    print(f"write                {s['write']:.1f}s")
    print(f"total load           {s['total']:.1f}s: {r.describe()}")
    print(
        f"documents/s          {docs / s['total']:,.0f} overall, {docs / s['write']:,.0f} written"
    )
    print(f"lineage edges/s      {edges / s['total']:,.0f} overall, "
          f"{edges / s['write']:,.0f} written; all relationships/s written "
          f"{relationships / s['write']:,.0f} (+ labels)")  # fmt: skip


if __name__ == "__main__":
    main()
