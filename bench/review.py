"""Benchmark and transcript: human review against a real Neo4j, API, provider and webhook.

    .venv/bin/python bench/review.py [--holds N] [--transcript]

Starts its own Neo4j on free loopback ports, loads the reference enterprise plus
tests/data/review/review.yaml (a review policy on EU analysts' board reporting, and
reviewer roles), serves the API with a fake provider and a webhook receiver, all on
127.0.0.1. Then, for N held requests, times: POST /v1/decide answered 202 (decide +
hold), GET /v1/admin/reviews with the queue that full, POST .../approve, and for chat
requests the wait from approval until the poller sees the answer (bounded below by the
worker's interval, 0.1 s here). Prints p50/p99 in milliseconds.

With --transcript it first prints one session's requests and responses, as
docs/review.md shows them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from starlette.applications import Starlette  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import JSONResponse  # noqa: E402
from starlette.routing import Route  # noqa: E402

from api.app import create_app  # noqa: E402
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream  # noqa: E402
from api.gateway.settings import GatewaySettings  # noqa: E402
from api.review.settings import ReviewSettings  # noqa: E402
from api.settings import ApiSettings, Settings  # noqa: E402
from graph.connection import GraphClient  # noqa: E402
from graph.schema import apply_schema  # noqa: E402
from graph.server import throwaway_server  # noqa: E402
from graph.settings import Neo4jSettings  # noqa: E402
from loaders.policy_load import load_policy_path  # noqa: E402

ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"
REVIEWER = "gr_test_eu_reviewer_Qm4x9TzKp2"
PROMPT = "Summarize this quarterly report for me in three bullet points."


def ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p99 {p99 * 1000:7.1f} ms"


def timed(work: Callable[[], httpx.Response], expect: int) -> tuple[float, httpx.Response]:
    began = time.perf_counter()
    response = work()
    elapsed = time.perf_counter() - began
    assert response.status_code == expect, response.text
    return elapsed, response


def receiver() -> tuple[BackgroundServer, list[bytes]]:
    bodies: list[bytes] = []

    async def hook(request: Request) -> JSONResponse:
        bodies.append(await request.body())
        return JSONResponse({"ok": True})

    server = BackgroundServer(Starlette(routes=[Route("/hook", hook, methods=["POST"])]))
    return server.start(), bodies


def show(title: str, method: str, path: str, key: str, body: Any, response: httpx.Response) -> None:
    print(f"\n### {title}\n")
    sent = f" -d '{json.dumps(body)}'" if body is not None else ""
    print(f"$ curl -s -X {method} $GOVROUTE{path} -H 'Authorization: Bearer {key}'{sent}")
    print(f"HTTP {response.status_code}")
    print(json.dumps(response.json(), indent=2, ensure_ascii=False))


def transcript(http: httpx.Client, bodies: list[bytes], neo4j: Neo4jSettings) -> None:
    def cli(*args: str) -> None:
        assert neo4j.uri is not None
        assert neo4j.password is not None
        env = {
            **os.environ,
            "NEO4J_URI": neo4j.uri,
            "NEO4J_USER": neo4j.user,
            "NEO4J_PASSWORD": neo4j.password.get_secret_value(),
            "GOVROUTE_REVIEW_KEY": REVIEWER,
        }
        command = [sys.executable, "-m", "api.cli", "review", *args]
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        said = f"{done.stdout}{done.stderr}"
        print(f"\n$ govroute review {' '.join(args)}\n{said}exit {done.returncode}")

    def call(method: str, path: str, key: str, body: Any = None) -> httpx.Response:
        return http.request(method, path, headers={"Authorization": f"Bearer {key}"}, json=body)

    decide = {"prompt": PROMPT, "purpose": "reporting"}
    held = call("POST", "/v1/decide", ANALYST, decide)
    shown = held.json()
    shown["decision"] = {k: shown["decision"][k] for k in ("id", "outcome", "reasons")}
    print("\n### POST /v1/decide, held (decision record shortened to id, outcome, reasons)\n")
    print(f"HTTP {held.status_code}  Location: {held.headers['location']}")
    print(json.dumps(shown, indent=2, ensure_ascii=False))
    review_id = held.json()["review_id"]
    show(
        "Poll",
        "GET",
        f"/v1/reviews/{review_id}",
        ANALYST,
        None,
        call("GET", f"/v1/reviews/{review_id}", ANALYST),
    )
    chat = {
        "model": "auto",
        "messages": [{"role": "user", "content": PROMPT}],
        "metadata": {"govroute_purpose": "reporting"},
    }
    held_chat = http.post(
        "/v1/chat/completions",
        headers={"Authorization": f"Bearer {ANALYST}", "X-Govroute-Purpose": "reporting"},
        json={k: v for k, v in chat.items() if k != "metadata"},
    )
    print("\n### POST /v1/chat/completions, held\n")
    print(f"HTTP {held_chat.status_code}")
    print(json.dumps(held_chat.json(), indent=2, ensure_ascii=False))
    chat_id = held_chat.json()["govroute"]["review_id"]
    cli("list")
    show(
        "The queue",
        "GET",
        "/v1/admin/reviews",
        REVIEWER,
        None,
        call("GET", "/v1/admin/reviews", REVIEWER),
    )
    reason = {"reason": "Board pack figures are already public in the Q3 release."}
    show(
        "Approve",
        "POST",
        f"/v1/admin/reviews/{chat_id}/approve",
        REVIEWER,
        reason,
        call("POST", f"/v1/admin/reviews/{chat_id}/approve", REVIEWER, reason),
    )
    again = call("POST", f"/v1/admin/reviews/{chat_id}/approve", REVIEWER, reason)
    show("Approve twice", "POST", f"/v1/admin/reviews/{chat_id}/approve", REVIEWER, reason, again)
    self_review = call("POST", f"/v1/admin/reviews/{review_id}/reject", ANALYST, reason)
    show(
        "No review permission",
        "POST",
        f"/v1/admin/reviews/{review_id}/reject",
        ANALYST,
        reason,
        self_review,
    )
    no = {"reason": "Not for an external model: the board pack is unpublished."}
    show(
        "Reject",
        "POST",
        f"/v1/admin/reviews/{review_id}/reject",
        REVIEWER,
        no,
        call("POST", f"/v1/admin/reviews/{review_id}/reject", REVIEWER, no),
    )
    cli("reject", review_id, "--reason", "again")
    third = http.post(
        "/v1/decide",
        headers={"Authorization": f"Bearer {ANALYST}"},
        json={"prompt": PROMPT, "purpose": "reporting"},
    ).json()["review_id"]
    cli("approve", third, "--reason", "Figures checked against the Q3 release.")
    cli("approve", third)
    while call("GET", f"/v1/reviews/{chat_id}", ANALYST).json()["served"] is None:
        time.sleep(0.05)
    show(
        "Poll after approval: served",
        "GET",
        f"/v1/reviews/{chat_id}",
        ANALYST,
        None,
        call("GET", f"/v1/reviews/{chat_id}", ANALYST),
    )
    deadline = time.monotonic() + 30
    while len(bodies) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    if len(bodies) < 3:
        everything = call("GET", "/v1/admin/reviews?status=all", REVIEWER).json()
        print(f"only {len(bodies)} webhook bodies arrived: {everything}", file=sys.stderr)
    print("\n### Webhook bodies received (in order)\n")
    for body in bodies:
        print(body.decode())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holds", type=int, default=50)
    parser.add_argument("--transcript", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        {"NW_PRIVATE_LLM_API_KEY": "k", "HELIO_EU_API_KEY": "k", "HELIO_US_API_KEY": "k"}
    )
    with (
        tempfile.TemporaryDirectory() as tmp,
        throwaway_server(Path(tmp) / "neo4j", heap="1g", pagecache="256m") as neo4j,
    ):
        content = Path(tmp) / "enterprise"
        shutil.copytree(
            ROOT / "examples" / "enterprise", content, ignore=shutil.ignore_patterns("cases")
        )
        shutil.copy(ROOT / "tests" / "data" / "review" / "review.yaml", content / "review.yaml")
        neo4j_settings = neo4j.client_settings()
        with GraphClient.connect(neo4j_settings) as graph:
            apply_schema(graph)
            load_policy_path(graph, content, author="bench", message="enterprise with review")
        upstream = BackgroundServer(create_fake_upstream()).start()
        hook, bodies = receiver()
        settings = Settings(
            neo4j=neo4j_settings,
            api=ApiSettings(state_dir=Path(tmp) / "state"),
            gateway=GatewaySettings(upstream_overrides={"*": f"{upstream.url}/v1"}),
            review=ReviewSettings(
                queue_limit=max(100, args.holds * 3),
                webhook_url=f"{hook.url}/hook",
                webhook_secret=SecretStr("bench-webhook-secret-0123456789"),
                worker_interval_s=0.1,
            ),
        )
        server = BackgroundServer(create_app(settings)).start()
        try:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                if args.transcript:
                    transcript(http, bodies, neo4j_settings)
                run(http, args.holds)
        finally:
            server.stop()
            hook.stop()
            upstream.stop()


def run(http: httpx.Client, holds: int) -> None:
    analyst = {"Authorization": f"Bearer {ANALYST}"}
    reviewer = {"Authorization": f"Bearer {REVIEWER}"}
    body = {"prompt": PROMPT, "purpose": "reporting"}
    for _ in range(5):  # warm-up: model, caches, connections
        http.post("/v1/decide", headers=analyst, json=body)
    held: list[float] = []
    ids: list[str] = []
    for _ in range(holds):
        elapsed, response = timed(lambda: http.post("/v1/decide", headers=analyst, json=body), 202)
        held.append(elapsed)
        ids.append(response.json()["review_id"])
    listing: list[float] = []
    for _ in range(20):
        elapsed, response = timed(
            lambda: http.get("/v1/admin/reviews", headers=reviewer, params={"limit": 500}), 200
        )
        listing.append(elapsed)
    pending = len(response.json())
    approving: list[float] = []
    for review_id in ids:
        elapsed, _ = timed(
            partial(
                http.post,
                f"/v1/admin/reviews/{review_id}/approve",
                headers=reviewer,
                json={"reason": "ok"},
            ),
            200,
        )
        approving.append(elapsed)
    chat_headers = {**analyst, "X-Govroute-Purpose": "reporting"}
    chat = {"model": "auto", "messages": [{"role": "user", "content": PROMPT}]}
    serving: list[float] = []
    for _ in range(min(holds, 20)):
        response = http.post("/v1/chat/completions", headers=chat_headers, json=chat)
        review_id = response.json()["govroute"]["review_id"]
        http.post(f"/v1/admin/reviews/{review_id}/approve", headers=reviewer, json={"reason": "ok"})
        began = time.perf_counter()
        while http.get(f"/v1/reviews/{review_id}", headers=analyst).json()["served"] is None:
            time.sleep(0.01)
        serving.append(time.perf_counter() - began)
    print(f"\n{holds} holds (POST /v1/decide -> 202):            {ms(held)}")
    print(f"list the queue ({pending} pending, limit 500):      {ms(listing)}")
    print(f"approve ({holds}):                               {ms(approving)}")
    print(f"approve -> answer seen by the poller ({len(serving)}):  {ms(serving)}")


if __name__ == "__main__":
    main()
