"""The gateway's pure parts: backoff, Retry-After, circuit breakers, SSE, request parsing."""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from api.gateway.breaker import (
    BreakerConfig,
    Breakers,
    BreakerState,
    Grant,
    Transition,
    rank_by_state,
)
from api.gateway.retry import RetryPolicy, is_retryable, parse_retry_after
from api.gateway.schemas import ChatCompletionRequest, read_context, to_decide_request
from api.gateway.settings import GatewaySettings
from api.gateway.upstream import UpstreamCallError, sse_data
from engine.errors import InvalidRequest

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


# --------------------------------------------------------------------------- retry


@pytest.mark.parametrize(
    ("kind", "status", "retryable"),
    [
        ("timeout", None, True),
        ("network", None, True),
        ("http", 408, True),
        ("http", 429, True),
        ("http", 500, True),
        ("http", 503, True),
        ("http", 400, False),
        ("http", 404, False),
        ("http", 409, False),
        ("config", None, False),
    ],
)
def test_when_failure_kind_is_classified_then_only_transient_ones_retry(
    kind: str, status: int | None, retryable: bool
) -> None:
    assert is_retryable(kind, status) is retryable


def test_when_an_upstream_error_is_built_then_it_knows_whether_it_says_the_endpoint_failed() -> (
    None
):
    assert UpstreamCallError("dropped", kind="network").retryable
    assert UpstreamCallError("dropped", kind="network").endpoint_failure
    assert UpstreamCallError("bad key", kind="http", status=401).endpoint_failure
    refused = UpstreamCallError("bad param", kind="http", status=400)
    assert not refused.retryable
    assert not refused.endpoint_failure
    assert not UpstreamCallError("no key", kind="config").endpoint_failure


def test_when_backoff_is_drawn_then_it_stays_within_the_exponential_cap() -> None:
    policy = RetryPolicy(max_attempts=6, base_s=0.1, cap_s=0.5)
    rng = random.Random(1)
    for retry, ceiling in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.5), (5, 0.5)]:
        draws = [policy.backoff(retry, rng) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in draws)
        assert max(draws) > ceiling * 0.8  # full jitter spreads over the whole range


def test_when_attempts_are_used_up_then_delay_says_fall_back() -> None:
    policy = RetryPolicy(max_attempts=3)
    rng = random.Random(0)
    assert policy.delay(1, None, rng) is not None
    assert policy.delay(2, None, rng) is not None
    assert policy.delay(3, None, rng) is None


def test_when_candidates_remain_then_each_keeps_a_call_and_the_last_gets_the_rest() -> None:
    policy = RetryPolicy(max_attempts=3, request_attempts=6)
    assert policy.share(6, 0) == 6  # a sole candidate gets the whole budget
    assert policy.share(6, 2) == 3  # fallbacks first: at most 3 while others remain
    assert policy.share(3, 1) == 2  # the one behind keeps a call
    assert policy.share(1, 0) == 1
    assert policy.share(2, 5) == 1  # the preferred model is still called once
    assert policy.share(0, 0) == 0  # the budget is spent


def test_when_the_budget_shares_a_request_then_calls_never_exceed_it() -> None:
    for budget in range(1, 10):
        policy = RetryPolicy(max_attempts=3, request_attempts=budget)
        for candidates in range(1, 6):
            left, calls = budget, []
            for position in range(candidates):
                share = policy.share(left, candidates - position - 1)
                calls.append(share)
                left -= share  # every call fails
            assert sum(calls) == budget  # nothing unused while a candidate remains
            assert all(c <= 3 for c in calls[:-1])
            if budget >= candidates:
                assert all(c >= 1 for c in calls)  # every fallback is reached


def test_when_a_model_has_its_share_then_delay_stops_at_it() -> None:
    policy = RetryPolicy(max_attempts=3, request_attempts=6)
    rng = random.Random(0)
    assert policy.delay(5, None, rng, allowed=6) is not None
    assert policy.delay(6, None, rng, allowed=6) is None
    assert policy.delay(1, None, rng, allowed=1) is None


def test_when_retry_after_is_given_then_it_is_a_floor_and_a_long_one_falls_back() -> None:
    policy = RetryPolicy(max_attempts=3, base_s=0.01, cap_s=0.02, max_retry_after_s=5)
    rng = random.Random(0)
    assert policy.delay(1, 2.0, rng) == 2.0
    assert policy.delay(1, 30.0, rng) is None


def test_when_retry_after_is_seconds_a_date_or_millis_then_all_parse() -> None:
    assert parse_retry_after({"Retry-After": "3"}, NOW) == 3.0
    assert parse_retry_after({"retry-after": "1.5"}, NOW) == 1.5
    later = format_datetime(NOW + timedelta(seconds=20), usegmt=True)
    assert parse_retry_after({"Retry-After": later}, NOW) == pytest.approx(20.0)
    earlier = format_datetime(NOW - timedelta(seconds=20), usegmt=True)
    assert parse_retry_after({"Retry-After": earlier}, NOW) == 0.0
    assert parse_retry_after({"retry-after-ms": "250", "Retry-After": "9"}, NOW) == 0.25
    assert parse_retry_after({"Retry-After": "soon"}, NOW) is None
    assert parse_retry_after({"Retry-After": "-4"}, NOW) is None
    assert parse_retry_after({}, NOW) is None


# --------------------------------------------------------------------------- breaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def breakers(clock: FakeClock, changes: list[Transition] | None = None) -> Breakers:
    config = BreakerConfig(window=4, min_calls=3, failure_rate=0.5, cooldown_s=10)
    sink = changes.append if changes is not None else None
    return Breakers(config, clock=clock, on_change=sink)


def test_when_failure_rate_reaches_threshold_over_min_calls_then_circuit_opens() -> None:
    clock, changes = FakeClock(), []
    b = breakers(clock, changes)
    for ok in (True, False):
        assert b.acquire("m")
        b.record("m", ok=ok)
    assert b.state("m") is BreakerState.CLOSED  # 2 calls < min_calls
    assert b.acquire("m")
    b.record("m", ok=True)
    assert b.state("m") is BreakerState.CLOSED  # 1 failure in 3
    b.record("m", ok=False)
    assert b.state("m") is BreakerState.OPEN  # 2 of the last 4
    assert changes == [Transition("m", BreakerState.CLOSED, BreakerState.OPEN)]
    assert not b.acquire("m")
    assert b.states(["m", "other"]) == {"m": BreakerState.OPEN, "other": BreakerState.CLOSED}


def test_when_old_failures_slide_out_of_the_window_then_circuit_stays_closed() -> None:
    b = breakers(FakeClock())
    for ok in (False, True, True, True, True, False, True, True):
        b.record("m", ok=ok)
    assert b.state("m") is BreakerState.CLOSED


def test_when_cooldown_passes_then_one_probe_goes_and_success_closes() -> None:
    clock, changes = FakeClock(), []
    b = breakers(clock, changes)
    for _ in range(3):
        b.record("m", ok=False)
    clock.now += 9.9
    assert not b.acquire("m")
    clock.now += 0.2
    assert b.states(["m"]) == {"m": BreakerState.HALF_OPEN}  # the next request may probe
    assert b.acquire("m") is Grant.PROBE
    assert b.state("m") is BreakerState.HALF_OPEN
    assert not b.acquire("m")  # one probe at a time
    b.record("m", ok=True, grant=Grant.PROBE)
    assert b.state("m") is BreakerState.CLOSED
    assert [c.new for c in changes] == [
        BreakerState.OPEN,
        BreakerState.HALF_OPEN,
        BreakerState.CLOSED,
    ]
    b.record("m", ok=False)
    assert b.state("m") is BreakerState.CLOSED  # history was cleared on closing


def test_when_the_probe_fails_then_circuit_reopens_for_another_cooldown() -> None:
    clock = FakeClock()
    b = breakers(clock)
    for _ in range(3):
        b.record("m", ok=False)
    clock.now += 10
    assert b.acquire("m") is Grant.PROBE
    b.record("m", ok=False, grant=Grant.PROBE)
    assert b.state("m") is BreakerState.OPEN
    clock.now += 5
    assert not b.acquire("m")
    assert b.states(["m"]) == {"m": BreakerState.OPEN}


def test_when_a_probe_never_reports_then_its_slot_frees_after_a_cooldown() -> None:
    clock = FakeClock()
    b = breakers(clock)
    for _ in range(3):
        b.record("m", ok=False)
    clock.now += 10
    assert b.acquire("m")
    assert not b.acquire("m")
    clock.now += 10
    assert b.acquire("m")


def test_when_a_call_never_went_out_then_release_frees_the_probe() -> None:
    clock = FakeClock()
    b = breakers(clock)
    for _ in range(3):
        b.record("m", ok=False)
    clock.now += 10
    assert b.acquire("m") is Grant.PROBE
    b.release("m", Grant.PROBE)
    assert b.acquire("m")


def test_when_models_differ_then_their_circuits_are_independent() -> None:
    b = breakers(FakeClock())
    for _ in range(3):
        b.record("a", ok=False)
    assert b.acquire("b")
    assert b.states() == {"a": BreakerState.OPEN, "b": BreakerState.CLOSED}


def test_when_the_circuit_is_open_but_nothing_else_is_left_then_the_call_goes_as_last_resort() -> (
    None
):
    clock = FakeClock()
    b = breakers(clock)
    for _ in range(3):
        b.record("m", ok=False)
    assert b.acquire("m") is None
    assert b.acquire("m", last_resort=True) is Grant.LAST_RESORT
    b.record("m", ok=False, grant=Grant.LAST_RESORT)  # still failing: cool-down restarts
    assert b.state("m") is BreakerState.OPEN
    clock.now += 9
    assert b.acquire("m") is None
    assert b.acquire("m", last_resort=True) is Grant.LAST_RESORT
    b.record("m", ok=True, grant=Grant.LAST_RESORT)  # it answers: evidence enough to close
    assert b.state("m") is BreakerState.CLOSED
    assert b.acquire("m") is Grant.CALL


def test_when_a_probe_is_out_then_only_a_last_resort_call_joins_it() -> None:
    clock = FakeClock()
    b = breakers(clock)
    for _ in range(3):
        b.record("m", ok=False)
    clock.now += 10
    assert b.acquire("m") is Grant.PROBE
    assert b.acquire("m") is None
    assert b.acquire("m", last_resort=True) is Grant.LAST_RESORT


def test_when_candidates_are_ranked_by_state_then_open_ones_go_last_in_decision_order() -> None:
    states = {"b": BreakerState.OPEN, "c": BreakerState.HALF_OPEN, "d": BreakerState.OPEN}
    assert rank_by_state(["a", "b", "c", "d", "e"], states) == ["a", "c", "e", "b", "d"]
    assert rank_by_state(["b", "d"], states) == ["b", "d"]
    assert rank_by_state(["x", "y"], {}) == ["x", "y"]


def test_when_config_is_inconsistent_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="min_calls"):
        BreakerConfig(window=3, min_calls=5)
    with pytest.raises(ValueError, match="failure_rate"):
        BreakerConfig(failure_rate=0)


# --------------------------------------------------------------------------- SSE


async def lines_of(text: str) -> AsyncIterator[str]:
    for line in text.split("\n"):
        yield line


def collect_sse(text: str) -> list[str]:
    async def run() -> list[str]:
        return [d async for d in sse_data(lines_of(text))]

    return asyncio.run(run())


def test_when_sse_has_comments_multiline_data_and_other_fields_then_data_is_joined() -> None:
    text = ': keep-alive\n\nevent: message\ndata: {"a":\ndata: 1}\nid: 7\n\ndata:[DONE]\n\n'
    assert collect_sse(text) == ['{"a":\n1}', "[DONE]"]


def test_when_the_stream_ends_without_a_blank_line_then_the_last_event_still_counts() -> None:
    assert collect_sse('data: {"x": 1}') == ['{"x": 1}']


# --------------------------------------------------------------------------- requests


def chat(**extra: object) -> ChatCompletionRequest:
    return ChatCompletionRequest.model_validate(
        {"model": "auto", "messages": [{"role": "user", "content": "Hello"}], **extra}
    )


def test_when_params_are_forwarded_then_only_the_known_safe_ones_go() -> None:
    body = chat(temperature=0.2, max_tokens=50, stop=["\n"], user="alice@example.com", store=True)
    assert body.forwarded() == {"temperature": 0.2, "max_tokens": 50, "stop": ["\n"]}
    assert body.max_output_tokens() == 50


@pytest.mark.parametrize("param", ["tools", "functions", "logprobs", "prediction"])
def test_when_a_param_would_bypass_filtering_then_it_is_refused(param: str) -> None:
    value: object = True if param == "logprobs" else [{"type": "function"}]
    with pytest.raises(ValueError, match=param):
        chat(**{param: value})


def test_when_an_unknown_param_is_sent_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="Extra inputs"):
        chat(frobnicate=1)


def test_when_the_openai_client_replays_an_answer_then_its_null_fields_are_accepted() -> None:
    body = ChatCompletionRequest.model_validate(
        {
            "model": "nw-llama-3.1-70b",
            "messages": [
                {"role": "user", "content": [{"type": "text", "text": "Hi"}]},
                {
                    "role": "assistant",
                    "content": "Hello!",
                    "refusal": None,
                    "annotations": [],
                    "tool_calls": None,
                    "function_call": None,
                    "audio": None,
                },
            ],
        }
    )
    assert [m.text() for m in body.messages] == ["Hi", "Hello!"]
    assert body.preferred_model() == "nw-llama-3.1-70b"


def test_when_an_image_part_is_sent_then_it_is_refused() -> None:
    with pytest.raises(ValueError, match="image_url"):
        ChatCompletionRequest.model_validate(
            {
                "model": "auto",
                "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {}}]}],
            }
        )


def test_when_context_comes_as_a_json_string_in_metadata_then_it_is_read() -> None:
    items = [{"id": "doc-1", "text": "Hotel limit 150 EUR"}]
    ctx = read_context(
        {"govroute_context": json.dumps(items), "govroute_purpose": "support"}, None, None
    )
    assert [(c.id, c.text) for c in ctx.context] == [("doc-1", "Hotel limit 150 EUR")]
    assert ctx.purpose == "support"
    request = to_decide_request(chat(), ctx)
    assert request.purpose == "support"
    assert request.context[0].id == "doc-1"


def test_when_context_comes_in_the_header_as_base64url_then_it_is_read() -> None:
    items = [{"id": "doc-2", "text": "é" * 10}]
    encoded = base64.urlsafe_b64encode(json.dumps(items).encode()).decode().rstrip("=")
    ctx = read_context(None, encoded, "analytics")
    assert ctx.context[0].text == "é" * 10
    assert ctx.purpose == "analytics"
    assert read_context(None, json.dumps(items), None).context[0].id == "doc-2"


def test_when_context_comes_twice_or_malformed_then_the_request_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="send one"):
        read_context({"govroute_context": "[]"}, "[]", None)
    with pytest.raises(InvalidRequest, match="not valid JSON"):
        read_context({"govroute_context": "[{"}, None, None)
    with pytest.raises(InvalidRequest, match="disagree"):
        read_context({"govroute_purpose": "support"}, None, "hr")
    with pytest.raises(InvalidRequest, match="neither JSON nor base64url"):
        read_context(None, "%%%", None)
    with pytest.raises(InvalidRequest, match="id"):
        to_decide_request(
            chat(), read_context({"govroute_context": [{"id": "bad id!"}]}, None, None)
        )


def test_when_overrides_are_set_then_a_provider_entry_beats_the_wildcard() -> None:
    settings = GatewaySettings(
        upstream_overrides={"*": "http://127.0.0.1:1/v1/", "helio-eu": "http://127.0.0.1:2/v1"}
    )
    assert settings.base_url_for("helio-eu", "https://x.example/v1") == "http://127.0.0.1:2/v1"
    assert settings.base_url_for("other", "https://x.example/v1") == "http://127.0.0.1:1/v1"
    assert GatewaySettings().base_url_for("p", "https://x.example/v1/") == "https://x.example/v1"
    with pytest.raises(ValueError, match="not an http"):
        GatewaySettings(upstream_overrides={"*": "ftp://nope"})


# --------------------------------------------------------------------------- OpenAPI


def test_when_the_openapi_document_is_built_then_it_says_what_the_api_really_answers() -> None:
    from api.app import create_app
    from api.settings import Settings

    doc = create_app(Settings()).openapi()
    assert doc["components"]["securitySchemes"]["bearerApiKey"]["scheme"] == "bearer"
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        for operation in item.values():
            # Request validation answers 400: FastAPI's own 422 is gone; a route's own 422
            # (policy content that is invalid, every problem located) stays.
            own = operation["responses"].get("422", {}).get("description")
            assert own != "Validation Error", path
            if path.startswith("/v1/"):
                assert operation["security"] == [{"bearerApiKey": []}]
                assert "401" in operation["responses"]
    chat = doc["paths"]["/v1/chat/completions"]["post"]["responses"]
    assert {"400", "401", "403", "404", "413", "429", "502", "503"} <= set(chat)
    assert chat["413"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorBody"
    }
    metrics = doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert list(metrics) == ["text/plain"]
