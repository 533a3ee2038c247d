"""Measure: can a caller tell another tenant's ids from ids that exist nowhere?

    .venv/bin/python bench/tenant_probes.py [--ownership DIR]

Starts its own Neo4j (temporary home, free ports), loads this checkout's
examples/enterprise and sends POST /v1/decide through the real app for every data
source and document that belongs to a tenant other than the caller's, next to an id
of the same shape that exists nowhere, for two callers (us-support-agent of nw-us,
eu-analyst of nw-eu). A probe is "distinguishable" when the two answers differ once
the id itself and the per-request values (decision id, timestamps) are taken out.

Which tenant owns what is read from the `tenant:` / `shared:` keys of the YAML in
`--ownership` (default: this checkout's examples/enterprise). To measure a checkout
whose files predate tenancy, run this file with that checkout's interpreter and point
`--ownership` at a checkout that has them; the ids are the same in both.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.settings import ApiSettings, Settings  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from loaders.policy_load import load_policy_path  # noqa: E402

CALLERS = {
    "nw-us": "gr_demo_us_support_B6kOW8Q-wsGWvv2W",  # us-support-agent
    "nw-eu": "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC",  # eu-analyst
}
PROMPT = "Summarise this for me."
TEXT = "Quarterly figures and customer notes."


def ownership(directory: Path) -> dict[str, str]:
    """item id -> owning tenant, for data sources and documents that have one."""
    sources: dict[str, str | None] = {}
    documents: list[dict[str, Any]] = []
    for file in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
        for item in data.get("data_sources") or []:
            sources[item["id"]] = item.get("tenant")
        documents += data.get("documents") or []
    owned = {k: v for k, v in sources.items() if v}
    for doc in documents:
        tenant = doc.get("tenant") or sources.get(doc["source"])
        if tenant:
            owned[doc["id"]] = tenant
    return owned


def normalized(answer: Any, item_id: str) -> Any:
    text = json.dumps(answer, sort_keys=True).replace(item_id, "<ID>")
    text = re.sub(r"dec_[0-9a-f]{32}", "<DECISION>", text)
    value = json.loads(text)
    for key in ("id", "created_at"):
        value.pop(key, None)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ownership", type=Path, default=ROOT / "examples" / "enterprise")
    args = parser.parse_args()
    owned = ownership(args.ownership)
    with (
        tempfile.TemporaryDirectory() as home,
        throwaway_server(Path(home) / "neo4j", heap="1g", pagecache="256m") as server,
    ):
        settings = server.client_settings()
        client = GraphClient.connect(settings)
        apply_schema(client)
        load_policy_path(client, ROOT / "examples" / "enterprise", author="bench", message="probes")
        client.close()
        app = create_app(Settings(neo4j=settings, api=ApiSettings(state_dir=Path(home) / "state")))
        total = distinguishable = 0
        with TestClient(app) as http:
            for tenant, key in CALLERS.items():
                for item_id, owner in sorted(owned.items()):
                    if owner == tenant:
                        continue
                    unknown = f"{item_id}-zz9"
                    answers = []
                    for probe in (item_id, unknown):
                        body = {"prompt": PROMPT, "context": [{"id": probe, "text": TEXT}]}
                        response = http.post(
                            "/v1/decide", json=body, headers={"Authorization": f"Bearer {key}"}
                        )
                        answers.append((response.status_code, normalized(response.json(), probe)))
                    total += 1
                    distinguishable += answers[0] != answers[1]
    print(f"cross-tenant probes: {total}; distinguishable from an unknown id: {distinguishable}")


if __name__ == "__main__":
    main()
