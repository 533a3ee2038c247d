"""Human review end to end: a review policy holds a request, a reviewer decides, the
gateway serves or refuses it, the webhook hears of it. All real: Neo4j, the API under
uvicorn on 127.0.0.1, the official `openai` client, a fake provider speaking the real
wire format, and a webhook receiver on 127.0.0.1.

The policy content is the reference enterprise plus tests/data/review/review.yaml: board reporting
by EU analysts (purpose `reporting`) needs a second person; reviewers are a role per
tenant (permission `review`); one analyst is also a reviewer, to try self-review.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import openai
import pytest
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.review import queue
from api.review.settings import ReviewSettings
from api.review.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from api.settings import ApiSettings, Settings
from engine.errors import Conflict
from graph import review_store
from graph.connection import GraphClient
from graph.facts import principal_for_key
from graph.settings import Neo4jSettings
from loaders.policy_load import load_policy_path
from tests.conftest import ENTERPRISE, ROOT, wipe

pytestmark = pytest.mark.neo4j

ANALYST = "gr_demo_eu_analyst_7yv3K_rT96Ry0XZC"  # eu-analyst: requests, may not review
REVIEWER = "gr_test_eu_reviewer_Qm4x9TzKp2"  # eu-reviewer: reviews nw-eu, sends nothing
ANALYST_REVIEWER = "gr_test_eu_analyst_reviewer_Vb7n"  # both: for self-review
US_REVIEWER = "gr_test_us_reviewer_Lw3c8HsYd1"  # reviews nw-us only
WEBHOOK_SECRET = "tests-webhook-secret-0123456789"
QUEUE_LIMIT = 4
PROMPT = "Summarize this quarterly report for me in three bullet points."
PURPOSE = {"X-Govroute-Purpose": "reporting"}

REVIEW_CONTENT = ROOT / "tests" / "data" / "review" / "review.yaml"


def govroute(completion: Any) -> dict[str, Any]:
    """The `govroute` field of a completion the openai client parsed."""
    extra: dict[str, Any] | None = completion.model_extra
    assert extra is not None
    return dict(extra["govroute"])


class Receiver:
    """A webhook receiver on 127.0.0.1: records each POST; answers 503 `fail` times first."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail = 0

        async def hook(request: Request) -> JSONResponse:
            body = await request.body()
            if self.fail > 0:
                self.fail -= 1
                return JSONResponse({"error": "try later"}, status_code=503)
            self.received.append({"body": body, "headers": dict(request.headers)})
            return JSONResponse({"ok": True})

        self.server = BackgroundServer(
            Starlette(routes=[Route("/hook", hook, methods=["POST"])])
        ).start()
        self.url = f"{self.server.url}/hook"

    def events(self, review_id: str) -> list[str]:
        return [
            json.loads(r["body"])["event"]
            for r in self.received
            if json.loads(r["body"])["review"]["id"] == review_id
        ]


@dataclass
class Env:
    url: str
    graph: GraphClient
    upstream_url: str
    receiver: Receiver
    neo4j: Neo4jSettings
    http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))

    def call(self, method: str, path: str, key: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {key}", **kwargs.pop("headers", {})}
        return self.http.request(method, f"{self.url}{path}", headers=headers, **kwargs)

    def decide(self, key: str = ANALYST, purpose: str = "reporting") -> httpx.Response:
        body = {"prompt": PROMPT, "purpose": purpose}
        return self.call("POST", "/v1/decide", key, json=body)

    def hold(self, key: str = ANALYST) -> str:
        response = self.decide(key)
        assert response.status_code == 202, response.text
        review_id: str = response.json()["review_id"]
        return review_id

    def verdict(self, review_id: str, verdict: str, key: str = REVIEWER) -> httpx.Response:
        path = f"/v1/admin/reviews/{review_id}/{verdict}"
        reason = {"approve": "approved in the test", "reject": "rejected in the test"}[verdict]
        return self.call("POST", path, key, json={"reason": reason})

    def poll(self, review_id: str, key: str = ANALYST) -> dict[str, Any]:
        response = self.call("GET", f"/v1/reviews/{review_id}", key)
        assert response.status_code == 200, response.text
        out: dict[str, Any] = response.json()
        return out

    def until(self, review_id: str, done: Any, key: str = ANALYST) -> dict[str, Any]:
        """Poll until `done(review)` holds (the worker runs every 0.1 s here)."""
        deadline = time.monotonic() + 30
        while True:
            review = self.poll(review_id, key)
            if done(review):
                return review
            assert time.monotonic() < deadline, f"review never reached the state: {review}"
            time.sleep(0.1)

    def upstream_received(self) -> list[dict[str, Any]]:
        got: list[dict[str, Any]] = httpx.get(f"{self.upstream_url}/_received").json()["requests"]
        return got

    def announced(self, review_id: str, event: str) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while True:
            for r in self.receiver.received:
                body = json.loads(r["body"])
                if body["review"]["id"] == review_id and body["event"] == f"review.{event}":
                    return r
            assert time.monotonic() < deadline, f"no review.{event} for {review_id}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def env(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Env]:
    content = tmp_path_factory.mktemp("review-content") / "enterprise"
    shutil.copytree(ENTERPRISE, content, ignore=shutil.ignore_patterns("cases"))
    shutil.copy(REVIEW_CONTENT, content / "review.yaml")
    wipe(graph)
    load_policy_path(graph, content, author="tests", message="enterprise with review")
    upstream = BackgroundServer(create_fake_upstream()).start()
    receiver = Receiver()
    keys = {"NW_PRIVATE_LLM_API_KEY": "k1", "HELIO_EU_API_KEY": "k2", "HELIO_US_API_KEY": "k3"}
    saved = {name: os.environ.get(name) for name in keys}
    os.environ.update(keys)
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=tmp_path_factory.mktemp("review-state"), refresh_interval_s=1),
        gateway=GatewaySettings(
            upstream_overrides={"*": f"{upstream.url}/v1"}, retry_base_s=0.01, retry_cap_s=0.05
        ),
        review=ReviewSettings(
            queue_limit=QUEUE_LIMIT,
            webhook_url=receiver.url,
            webhook_secret=SecretStr(WEBHOOK_SECRET),
            webhook_backoff_s=0.05,
            webhook_backoff_cap_s=0.2,
            worker_interval_s=0.1,
        ),
    )
    server = BackgroundServer(create_app(settings)).start()
    env = Env(server.url, graph, upstream.url, receiver, neo4j_settings)
    try:
        yield env
    finally:
        env.http.close()
        server.stop()
        receiver.server.stop()
        upstream.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        wipe(graph)  # other modules load the plain enterprise


@pytest.fixture
def rv(env: Env) -> Env:
    """Every earlier hold expired (a week on), the provider's log emptied."""
    review_store.expire_due(env.graph, datetime.now(UTC) + timedelta(days=8))
    env.receiver.fail = 0
    httpx.post(f"{env.upstream_url}/_control/reset").raise_for_status()
    return env


# --------------------------------------------------------------------------- holding


def test_when_a_review_policy_applies_then_decide_answers_202_with_a_poll_url(rv: Env) -> None:
    response = rv.decide()

    assert response.status_code == 202
    held = response.json()
    assert held["status"] == "held_for_review"
    assert held["poll_url"] == f"/v1/reviews/{held['decision_id']}"
    assert response.headers["location"] == held["poll_url"]
    assert held["reasons"] == [
        {
            "policy_id": "review-board-reporting",
            "sentence": "Board reporting by EU analysts is checked by a second person first.",
        }
    ]
    assert held["decision"]["outcome"] == "review"
    created = datetime.fromisoformat(held["decision"]["created_at"])
    assert datetime.fromisoformat(held["expires_at"]) == created + timedelta(minutes=30)
    assert rv.poll(held["review_id"])["status"] == "pending"


def test_when_no_review_policy_applies_then_the_request_is_not_held(rv: Env) -> None:
    response = rv.decide(purpose="analytics")

    assert response.status_code == 200
    assert response.json()["outcome"] in ("allow", "allow_with_redactions")


def test_when_a_chat_request_is_held_then_the_openai_client_reads_a_notice_and_nothing_is_sent(
    rv: Env,
) -> None:
    client = openai.OpenAI(base_url=f"{rv.url}/v1", api_key=ANALYST, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model="auto", messages=[{"role": "user", "content": PROMPT}], extra_headers=PURPOSE
    )
    completion = raw.parse()

    assert raw.http_response.status_code == 202
    assert completion.choices[0].finish_reason == "content_filter"
    review = govroute(completion)
    assert review["status"] == "held_for_review"
    assert review["decision_id"] in (completion.choices[0].message.content or "")
    assert raw.headers["x-govroute-decision-id"] == review["decision_id"]
    assert rv.upstream_received() == []


def test_when_a_streamed_chat_request_is_held_then_one_chunk_says_so(rv: Env) -> None:
    client = openai.OpenAI(base_url=f"{rv.url}/v1", api_key=ANALYST, max_retries=0)
    stream = client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": PROMPT}],
        stream=True,
        extra_headers=PURPOSE,
    )
    chunks = list(stream)

    assert len(chunks) == 1
    assert chunks[0].choices[0].finish_reason == "content_filter"
    assert "held for human review" in (chunks[0].choices[0].delta.content or "")
    assert rv.upstream_received() == []


# --------------------------------------------------------------------------- verdicts


def test_when_approved_then_the_held_chat_request_is_served_and_kept_for_the_poller(
    rv: Env,
) -> None:
    client = openai.OpenAI(base_url=f"{rv.url}/v1", api_key=ANALYST, max_retries=0)
    held = client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": PROMPT}],
        temperature=0.3,
        extra_headers=PURPOSE,
    )
    review_id = govroute(held)["review_id"]

    approved = rv.verdict(review_id, "approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["verdict"]["reviewer_id"] == "eu-reviewer"
    served = rv.until(review_id, lambda r: r["served"] is not None)

    assert served["status"] == "approved"
    assert served["served"]["status"] == "served"
    assert served["answer"]["choices"][0]["message"]["content"] == f"You said: {PROMPT}"
    [sent] = rv.upstream_received()
    assert sent["messages"] == [{"role": "user", "content": PROMPT}]
    assert sent["params"]["temperature"] == 0.3
    # The reviewer sees the held request, never the answer (it is the requester's).
    as_reviewer = rv.poll(review_id, key=REVIEWER)
    assert "answer" not in as_reviewer
    assert as_reviewer["request"]["messages"] == [{"role": "user", "content": PROMPT}]
    # The webhook hears of the answer too, with the verdict (poll for the answer itself).
    served_event = json.loads(rv.announced(review_id, "served")["body"])["review"]
    assert served_event["verdict"]["reviewer_id"] == "eu-reviewer"
    assert "answer" not in served_event
    assert rv.receiver.events(review_id) == ["review.approved", "review.served"]


def test_when_rejected_then_the_request_is_refused_and_never_sent(rv: Env) -> None:
    review_id = rv.hold()

    rejected = rv.verdict(review_id, "reject")

    assert rejected.status_code == 200
    polled = rv.poll(review_id)
    assert polled["status"] == "rejected"
    assert polled["verdict"] == {
        "reviewer_id": "eu-reviewer",
        "decided_at": polled["verdict"]["decided_at"],
        "reason": "rejected in the test",
    }
    assert polled["answer"] is None
    assert rv.upstream_received() == []


def test_when_approved_twice_then_the_second_is_a_conflict_naming_the_first(rv: Env) -> None:
    review_id = rv.hold()
    assert rv.verdict(review_id, "approve").status_code == 200

    again = rv.verdict(review_id, "reject")

    assert again.status_code == 409
    message = again.json()["error"]["message"]
    assert "already approved by eu-reviewer" in message


def test_when_the_reviewer_requested_it_then_self_review_is_refused(rv: Env) -> None:
    review_id = rv.hold(key=ANALYST_REVIEWER)

    response = rv.verdict(review_id, "approve", key=ANALYST_REVIEWER)

    assert response.status_code == 403
    assert "may not review its own request" in response.json()["error"]["message"]
    assert rv.poll(review_id, key=ANALYST_REVIEWER)["status"] == "pending"


def test_when_another_tenants_reviewer_decides_then_the_review_looks_unknown(rv: Env) -> None:
    review_id = rv.hold()

    response = rv.verdict(review_id, "approve", key=US_REVIEWER)
    listed = rv.call("GET", "/v1/admin/reviews", US_REVIEWER).json()

    assert response.status_code == 404
    assert response.json()["error"]["message"] == f"no review {review_id} in tenant nw-us"
    assert review_id not in {r["id"] for r in listed}
    assert rv.poll(review_id)["status"] == "pending"


def test_when_a_key_without_review_permission_lists_the_queue_then_403(rv: Env) -> None:
    response = rv.call("GET", "/v1/admin/reviews", ANALYST)

    assert response.status_code == 403
    assert "'review' permission" in response.json()["error"]["message"]


def test_when_the_id_is_unknown_or_malformed_then_404_and_400(rv: Env) -> None:
    unknown = rv.verdict("dec_" + "0" * 32, "approve")
    malformed = rv.verdict("not-a-decision", "approve")

    assert unknown.status_code == 404
    assert malformed.status_code == 400


def test_when_the_reason_is_blank_then_400_says_so_and_nothing_changes(rv: Env) -> None:
    review_id = rv.hold()
    path = f"/v1/admin/reviews/{review_id}/approve"

    empty = rv.call("POST", path, REVIEWER, json={"reason": ""})
    blank = rv.call("POST", path, REVIEWER, json={"reason": "   "})

    assert empty.status_code == 400
    assert blank.status_code == 400
    assert "give a reason" in blank.json()["error"]["message"]
    assert rv.poll(review_id)["status"] == "pending"


def test_when_the_queue_is_listed_then_filters_apply_oldest_first(rv: Env) -> None:
    first, second = rv.hold(), rv.hold(key=ANALYST_REVIEWER)

    pending = rv.call("GET", "/v1/admin/reviews", REVIEWER).json()
    mine = rv.call(
        "GET", "/v1/admin/reviews", REVIEWER, params={"principal_id": "eu-analyst"}
    ).json()

    assert [r["id"] for r in pending] == [first, second]
    assert [r["id"] for r in mine] == [first]
    assert pending[0]["request"]["messages"] == [{"role": "user", "content": PROMPT}]


# --------------------------------------------------------------------------- bounds


def test_when_the_hold_expires_then_it_is_refused_with_the_reason(rv: Env) -> None:
    review_id = rv.hold()
    reviewer = principal_for_key(rv.graph, REVIEWER)
    assert reviewer is not None
    later = datetime.now(UTC) + timedelta(minutes=31)  # the policy's TTL is 30 minutes

    with pytest.raises(Conflict, match="expired at"):
        queue.approve(rv.graph, reviewer, review_id, "too late", later)

    polled = rv.poll(review_id)
    assert polled["status"] == "expired"
    assert polled["verdict"]["reviewer_id"] is None
    assert "No reviewer decided before the hold expired" in polled["verdict"]["reason"]
    rv.announced(review_id, "expired")


def test_when_the_tenants_queue_is_full_then_429_and_nothing_is_held(rv: Env) -> None:
    for _ in range(QUEUE_LIMIT):
        rv.hold()

    response = rv.decide()

    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "review_queue_full"
    assert f"already has {QUEUE_LIMIT} requests waiting" in error["message"]
    assert int(response.headers["retry-after"]) >= 1
    pending = rv.call("GET", "/v1/admin/reviews", REVIEWER).json()
    assert len(pending) == QUEUE_LIMIT
    # Another tenant's queue is its own: the US tenant is not held up by nw-eu's.
    assert rv.call("GET", "/v1/admin/reviews", US_REVIEWER).json() == []


# --------------------------------------------------------------------------- webhook


def test_when_decided_then_the_webhook_gets_a_signed_body(rv: Env) -> None:
    review_id = rv.hold()
    rv.verdict(review_id, "approve")

    delivered = rv.announced(review_id, "approved")

    headers, body = delivered["headers"], delivered["body"]
    timestamp = headers[TIMESTAMP_HEADER.lower()]
    assert verify(WEBHOOK_SECRET.encode(), timestamp, body, headers[SIGNATURE_HEADER.lower()])
    assert not verify(
        b"another-secret-0123456789", timestamp, body, headers["x-govroute-signature"]
    )
    review = json.loads(body)["review"]
    assert review["status"] == "approved"
    assert "request" not in review
    assert "answer" not in review


def test_when_the_receiver_fails_then_the_webhook_is_retried_until_delivered(rv: Env) -> None:
    rv.receiver.fail = 2
    review_id = rv.hold()
    rv.verdict(review_id, "reject")

    rv.announced(review_id, "rejected")

    status = rv.until(review_id, lambda r: True, key=REVIEWER)
    assert rv.receiver.events(review_id) == ["review.rejected"]
    stored = review_store.get_review(rv.graph, review_id, "nw-eu", datetime.now(UTC))
    deadline = time.monotonic() + 10
    while stored.webhook_status is None and time.monotonic() < deadline:
        time.sleep(0.1)
        stored = review_store.get_review(rv.graph, review_id, "nw-eu", datetime.now(UTC))
    assert stored.webhook_status == "delivered after 3 attempt(s): 200", status


# --------------------------------------------------------------------------- CLI, metrics


def test_when_the_cli_approves_then_the_api_worker_serves_it(rv: Env) -> None:
    client = openai.OpenAI(base_url=f"{rv.url}/v1", api_key=ANALYST, max_retries=0)
    held = client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": PROMPT}], extra_headers=PURPOSE
    )
    review_id = govroute(held)["review_id"]
    assert rv.neo4j.uri is not None
    assert rv.neo4j.password is not None
    env = {
        **os.environ,
        "NEO4J_URI": rv.neo4j.uri,
        "NEO4J_USER": rv.neo4j.user,
        "NEO4J_PASSWORD": rv.neo4j.password.get_secret_value(),
        "GOVROUTE_REVIEW_KEY": REVIEWER,
    }

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "api.cli", "review", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    listed = cli("list")
    approved = cli("approve", review_id, "--reason", "fine for the board pack")
    twice = cli("approve", review_id, "--reason", "again")

    assert listed.returncode == 0, listed.stderr
    assert review_id in listed.stdout
    assert approved.returncode == 0, approved.stderr
    assert "approved" in approved.stdout
    assert "fine for the board pack" in approved.stdout
    assert twice.returncode == 2
    assert "already approved" in twice.stderr
    served = rv.until(review_id, lambda r: r["served"] is not None)
    assert served["answer"]["choices"][0]["message"]["content"] == f"You said: {PROMPT}"


def test_when_reviews_happen_then_metrics_show_time_to_review_and_queue_depth(rv: Env) -> None:
    review_id = rv.hold()
    rv.hold()
    rv.verdict(review_id, "approve")
    rv.announced(review_id, "approved")

    deadline = time.monotonic() + 10
    while True:
        text = httpx.get(f"{rv.url}/metrics").text
        if 'govroute_review_queue_depth{tenant="nw-eu"} 1.0' in text:
            break
        assert time.monotonic() < deadline, "queue depth never reached 1"
        time.sleep(0.1)
    assert 'govroute_review_seconds_count{verdict="approved"}' in text


# --------------------------------------------------------------------------- the console's queue
# Driven as a browser would: the login form's session cookie, the page's forms, the redirects.


def signed_in(rv: Env, key: str) -> tuple[httpx.Client, httpx.Response]:
    """A client holding the console's session cookie for `key`, and the login's answer."""
    client = httpx.Client(base_url=rv.url, timeout=30)
    answer = client.post("/console/login", data={"key": key, "next": "/console"})
    return client, answer


def test_when_a_reviewer_signs_in_then_the_queue_shows_the_held_request(rv: Env) -> None:
    review_id = rv.hold()
    browser, login = signed_in(rv, REVIEWER)

    page = browser.get("/console/reviews")

    assert login.status_code == 303
    assert login.headers["location"] == "/console/reviews"  # a reviewer's start page
    assert page.status_code == 200
    assert f'id="review-{review_id}"' in page.text
    assert PROMPT in page.text  # the held (redacted) request, as it would be sent
    assert f'action="/console/reviews/{review_id}/approve"' in page.text
    assert ">Reviews<" in page.text
    assert ">Overview<" not in page.text  # a reviewer-only key has nothing else


def test_when_a_reviewer_approves_in_the_console_then_the_request_is_served(rv: Env) -> None:
    client = openai.OpenAI(base_url=f"{rv.url}/v1", api_key=ANALYST, max_retries=0)
    held = client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": PROMPT}], extra_headers=PURPOSE
    )
    review_id = govroute(held)["review_id"]
    browser, _ = signed_in(rv, REVIEWER)

    done = browser.post(
        f"/console/reviews/{review_id}/approve", data={"reason": "board pack, fine"}
    )
    after = browser.get(done.headers["location"])

    assert done.status_code == 303
    assert re.search(rf"{review_id} is <strong>approved</strong> by eu-reviewer", after.text)
    assert f'id="review-{review_id}"' not in after.text  # no longer pending
    served = rv.until(review_id, lambda r: r["served"] is not None)
    assert served["verdict"]["reason"] == "board pack, fine"
    assert served["answer"]["choices"][0]["message"]["content"] == f"You said: {PROMPT}"


def test_when_a_verdict_has_no_reason_then_the_page_says_so_and_nothing_changes(
    rv: Env,
) -> None:
    review_id = rv.hold()
    browser, _ = signed_in(rv, REVIEWER)

    refused = browser.post(f"/console/reviews/{review_id}/reject", data={"reason": "  "})

    assert refused.status_code == 400
    assert "give a reason" in refused.text
    assert "text/html" in refused.headers["content-type"]
    assert rv.poll(review_id)["status"] == "pending"


def test_when_the_requester_reviews_their_own_request_then_the_console_refuses(
    rv: Env,
) -> None:
    review_id = rv.hold(key=ANALYST_REVIEWER)
    browser, _ = signed_in(rv, ANALYST_REVIEWER)

    refused = browser.post(f"/console/reviews/{review_id}/approve", data={"reason": "mine"})

    assert refused.status_code == 403
    assert rv.poll(review_id, key=ANALYST_REVIEWER)["status"] == "pending"


def test_when_another_tenants_reviewer_looks_then_the_hold_is_neither_listed_nor_decidable(
    rv: Env,
) -> None:
    review_id = rv.hold()
    browser, _ = signed_in(rv, US_REVIEWER)

    page = browser.get("/console/reviews")
    refused = browser.post(f"/console/reviews/{review_id}/approve", data={"reason": "no"})

    assert review_id not in page.text
    assert refused.status_code == 404
    assert rv.poll(review_id)["status"] == "pending"


def test_when_a_reviewer_only_key_opens_another_page_then_it_is_refused(rv: Env) -> None:
    browser, _ = signed_in(rv, REVIEWER)

    overview = browser.get("/console")
    _, login = signed_in(rv, ANALYST)

    assert overview.status_code == 403
    assert "/console/reviews" in overview.text  # says where this key's page is
    assert login.status_code == 403  # neither audit, policy_admin nor review
