"""The OpenAPI document against the API it describes: a schemathesis run in CI.

The real app (api/app.py) is served by uvicorn on 127.0.0.1 against the session's
Neo4j with the reference enterprise loaded; the chat endpoint's providers are one
fake upstream (api/gateway/fake_upstream.py) answering every model. Schemathesis
reads the document the app serves at /openapi.json and generates requests for
every operation, valid ones and ones that break the schema, from a fixed seed
(`derandomize`), so a failure is reproducible; GOVROUTE_FUZZ_SEED=N draws another
fixed set of cases from seed N instead. Each answer must be no 5xx, a status
the document declares for the operation, a content type it declares, and a body
its schema accepts. Every failure found is collected, so the assertion lists them
all rather than the first.

The run prints its figures (cases, 5xx, schema violations, seconds) on stdout;
`pytest -s` shows them.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok

from api.app import create_app
from api.gateway.fake_upstream import BackgroundServer, create_fake_upstream
from api.gateway.settings import GatewaySettings
from api.settings import ApiSettings, RateLimitSettings, Settings
from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from tests.conftest import load_enterprise, wipe
from tests.serving import set_environment

pytestmark = pytest.mark.neo4j

AnyCase = Case[Any]

ADMIN = "gr_demo_sec_admin_maEZn-xJu3pu1Ejn"  # security-admin: decide, chat, audit
AUDITOR = "gr_demo_eu_auditor_d8MstJd-ea3xkbR2"  # eu-auditor: audit, detokenize
POLICY_ADMIN = "gr_demo_policy_engineer_OjqVP6C_D3eEYxIj"  # policy-engineer: /v1/admin
PROVIDER_KEYS = {
    "NW_PRIVATE_LLM_API_KEY": "conformance-private-key",
    "HELIO_EU_API_KEY": "conformance-helio-eu-key",
    "HELIO_US_API_KEY": "conformance-helio-us-key",
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Generated cases per operation and generation mode. The operations that do the
# work (decide, chat, detokenize) get most; the probes, a few (an operation without
# parameters has few distinct cases to give). 1,000+ in total.
EXAMPLES = {
    "POST /v1/decide": 200,
    "POST /v1/chat/completions": 200,
    "POST /v1/messages": 100,
    "POST /v1/responses": 100,
    "POST /v1/detokenize": 120,
    "GET /v1/decisions/{decision_id}": 60,
    "GET /v1/models/{model_id}": 40,
    "POST /v1/admin/policies/candidates": 60,
    "PUT /v1/admin/policies/{version}/rollout": 30,
    "POST /v1/admin/policies/{version}/rollback": 30,
}
OTHER_EXAMPLES = 10
# Operations with something to break (a body, a constrained parameter) also get
# cases that do not fit the schema: each must be a declared 4xx, never a 5xx.
NEGATIVE_TOO = frozenset(
    (
        "POST /v1/decide",
        "POST /v1/chat/completions",
        "POST /v1/messages",
        "POST /v1/responses",
        "POST /v1/detokenize",
        "GET /v1/decisions/{decision_id}",
        "POST /v1/admin/policies/candidates",
        "PUT /v1/admin/policies/{version}/rollout",
    )
)
MIN_CASES = 1_000
SEED = os.environ.get("GOVROUTE_FUZZ_SEED")


@dataclass
class Tally:
    """What the run saw: cases per operation, statuses, and every failure."""

    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    by_operation: dict[str, Counter[int]] = field(default_factory=dict)
    refusals: Counter[str] = field(default_factory=Counter)  # 4xx messages, for the report
    failures: dict[str, str] = field(default_factory=dict)  # first report per kind

    def record(self, label: str, status: int, failure: str | None) -> None:
        self.cases[label] += 1
        self.statuses[status] += 1
        self.by_operation.setdefault(label, Counter())[status] += 1
        if failure is not None:
            kind = f"{label}: {failure.splitlines()[0]}"
            self.failures.setdefault(kind, failure)


@contextmanager
def unlimited_gateway(
    graph: GraphClient, neo4j_settings: Neo4jSettings, state_dir: Path
) -> Iterator[str]:
    """The app over the reference enterprise and a fake OpenAI upstream, without rate
    limits (tested elsewhere; here they would only turn cases into 429s); its URL."""
    load_enterprise(graph)  # the app builds its engine state from the active PolicySet
    restore = set_environment(PROVIDER_KEYS)
    upstream = BackgroundServer(create_fake_upstream()).start()
    settings = Settings(
        neo4j=neo4j_settings,
        api=ApiSettings(state_dir=state_dir),
        gateway=GatewaySettings(upstream_overrides={"*": f"{upstream.url}/v1"}),
        rate_limits=RateLimitSettings(
            default_rpm=0, default_tpm=0, default_tenant_rpm=0, default_tenant_tpm=0
        ),
    )
    server = BackgroundServer(create_app(settings)).start()
    try:
        yield server.url
    finally:
        server.stop()
        upstream.stop()
        restore()


@pytest.fixture(scope="module")
def served(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    try:
        with unlimited_gateway(
            graph, neo4j_settings, tmp_path_factory.mktemp("conformance-state")
        ) as url:
            yield url
    finally:
        # The admin operations ran for real (candidates staged, rollouts set, maybe a
        # rollback): the next module gets the reference enterprise and nothing else.
        wipe(graph)
        load_enterprise(graph)


def key_for(case: AnyCase) -> str:
    if case.operation.path.startswith("/v1/admin/"):
        return POLICY_ADMIN
    return (
        AUDITOR
        if case.operation.path in ("/v1/detokenize", "/v1/decisions/{decision_id}")
        else ADMIN
    )


def admin_last(operation_label: str) -> bool:
    """Admin operations change what the others are decided under (a rollback, a rollout):
    they run after every other operation, and the fixture restores the graph after them."""
    return " /v1/admin/" in operation_label


def exercise(case: AnyCase, url: str, session: requests.Session, tally: Tally) -> None:
    """Send one case and check its answer; a failure is tallied, not raised."""
    headers = {"Authorization": f"Bearer {key_for(case)}"}
    response = case.call(base_url=url, session=session, headers=headers, timeout=30)
    failure: str | None = None
    try:
        case.validate_response(response, checks=CHECKS, headers=headers)
    except FailureGroup as exc:
        kinds = sorted({getattr(f, "title", type(f).__name__) for f in exc.exceptions})
        failure = f"{', '.join(kinds)}\n{exc}"
    label = f"{case.operation.label} [{case.meta.generation.mode.value if case.meta else '?'}]"
    if 400 <= response.status_code < 500:
        try:
            message = str(response.json()["error"]["message"])[:90]
        except (ValueError, KeyError, TypeError):
            message = response.text[:90]
        tally.refusals[f"{label} {response.status_code} {message}"] += 1
    tally.record(label, response.status_code, failure)


def steered(case: AnyCase, steer: bool) -> AnyCase:
    """Some valid cases pointed at the paths that do the work, which random valid data
    rarely reaches: a chat request for model 'auto' without a made-up X-Govroute-Context
    (so the fake upstream answers, streaming or not), a decide request with exactly one
    of prompt and messages, a detokenize request with one of text and pseudonyms, a
    candidate that is valid content, a rollback to a version that exists. The rest stay
    as generated."""
    if not steer or case.meta is None or case.meta.generation.mode != GenerationMode.POSITIVE:
        return case
    body = case.body if isinstance(case.body, dict) else None
    generating = case.operation.label in (
        "POST /v1/chat/completions",
        "POST /v1/messages",
        "POST /v1/responses",
    )
    if generating and body is not None:
        body["model"] = "auto"
        body.pop("metadata", None)
        if case.headers:
            for name in [h for h in case.headers if h.lower().startswith("x-govroute-")]:
                del case.headers[name]
            if "anthropic-version" in case.headers:
                case.headers["anthropic-version"] = "2023-06-01"
    elif case.operation.label == "POST /v1/detokenize" and body is not None:
        if body.get("text") is not None and body.get("pseudonyms") is not None:
            body.pop("pseudonyms")
        elif body.get("text") is None and body.get("pseudonyms") is None:
            body["text"] = "Call <PERSON_05b56e> back."
            body.pop("pseudonyms", None)
    elif case.operation.label == "POST /v1/admin/policies/candidates" and body is not None:
        body.pop("yaml", None)  # an empty document: valid content, staged as a candidate
        body["content"] = {}
    elif case.operation.label == "POST /v1/admin/policies/{version}/rollback":
        if case.path_parameters is not None:
            case.path_parameters["version"] = 1  # the enterprise: a rollback that runs
    elif case.operation.label == "PUT /v1/admin/policies/{version}/rollout":
        if case.path_parameters is not None:
            case.path_parameters["version"] = 2  # most likely the first staged candidate
    elif case.operation.label == "POST /v1/decide" and body is not None:
        if "messages" in body and body.get("prompt") is not None:
            body.pop("messages")
        elif body.get("prompt") is None and not body.get("messages"):
            body["prompt"] = "Summarise the travel and expense policy."
            body.pop("messages", None)
    return case


def run_operation(
    case_strategy: st.SearchStrategy[AnyCase],
    examples: int,
    url: str,
    session: requests.Session,
    tally: Tally,
) -> None:
    @settings(
        max_examples=examples,
        derandomize=SEED is None,  # the same cases on every run, unless a seed is given
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are tallied
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.tuples(case_strategy, st.booleans()).map(lambda drawn: steered(*drawn)))
    def one(case: AnyCase) -> None:
        exercise(case, url, session, tally)

    (one if SEED is None else seed(int(SEED))(one))()


def test_when_schemathesis_exercises_every_operation_then_answers_conform_to_the_document(
    served: str,
) -> None:
    document = httpx.get(f"{served}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(document)
    tally = Tally()
    started = time.monotonic()
    operations = []
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            pytest.fail(f"schemathesis cannot read an operation: {result.err()}")
        operations.append(result.ok())
    operations.sort(key=lambda op: admin_last(op.label))  # stable: the rest keep their order
    with requests.Session() as session:
        for operation in operations:
            examples = EXAMPLES.get(operation.label, OTHER_EXAMPLES)
            modes = [GenerationMode.POSITIVE]
            if operation.label in NEGATIVE_TOO:
                modes.append(GenerationMode.NEGATIVE)
            for mode in modes:
                strategy = operation.as_strategy(generation_mode=mode)
                run_operation(strategy, examples, served, session, tally)
    seconds = time.monotonic() - started
    total = sum(tally.cases.values())
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500)
    print(
        f"\nschemathesis (seed {SEED or 'derandomized'}): {total} cases in {seconds:.0f} s; "
        f"statuses {dict(tally.statuses)}; "
        f"{server_errors} 5xx; {len(tally.failures)} kinds of failure"
    )
    for label, n in sorted(tally.cases.items()):
        print(f"  {label}: {n} cases, statuses {dict(tally.by_operation[label])}")
    for refusal, n in tally.refusals.most_common(40):
        print(f"  {n:4d} {refusal}")
    assert total >= MIN_CASES, f"only {total} cases generated: {dict(tally.cases)}"
    assert not tally.failures, "\n\n".join(tally.failures.values())
