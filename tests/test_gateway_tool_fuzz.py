"""A fuzz run aimed at the tool fields of the three chat formats: never a 500.

The real app (api/app.py) is served by uvicorn on 127.0.0.1 against the session's
Neo4j with the reference enterprise; one fake upstream answers every model. Each
case takes a valid tool round trip of one format (POST /v1/responses,
/v1/chat/completions, /v1/messages: a tool definition, the model's call, the
function's result, a tool choice) and breaks one slot of it: a value of the wrong
JSON type, one nested thousands of levels deep, a huge one, hostile unicode
(control characters, lone surrogates, bidi overrides, zero-width runs), a slot
removed or an unknown key added. Every answer must be a 2xx, a policy's 403 with
its decision id (a broken slot can still be a well-formed request), or a 4xx whose
error message says where the problem is (the field, or the body for JSON too deep
to read); never a 5xx, and a stream must never end in an internal error.

The cases are drawn from GOVROUTE_FUZZ_SEED (default 0), so a failure is
reproducible and another seed is another run: `GOVROUTE_FUZZ_SEED=7 pytest -s ...`.
The run prints its figures (cases, statuses, seconds) on stdout.
"""

from __future__ import annotations

import copy
import json
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from graph.connection import GraphClient
from graph.settings import Neo4jSettings
from tests.test_openapi_conformance import ADMIN, unlimited_gateway

pytestmark = pytest.mark.neo4j

SEED = int(os.environ.get("GOVROUTE_FUZZ_SEED", "0"))
EXAMPLES = 120  # per format
ASK = "Please use lookup_order to find order 4711."
ARGS = json.dumps({"order": "4711"})
PARAMETERS = {"type": "object", "properties": {"order": {"type": "string"}}}

RESPONSES = {
    "model": "auto",
    "input": [
        {"role": "user", "content": [{"type": "input_text", "text": "Where is order 4711?"}]},
        {"type": "function_call", "call_id": "call_1", "name": "lookup_order", "arguments": ARGS},
        {"type": "function_call_output", "call_id": "call_1", "output": "shipped on Monday"},
        {"role": "user", "content": ASK},
    ],
    "tools": [
        {
            "type": "function",
            "name": "lookup_order",
            "description": "Find an order.",
            "parameters": PARAMETERS,
            "strict": False,
        }
    ],
    "tool_choice": "auto",
    "parallel_tool_calls": True,
}
CHAT = {
    "model": "auto",
    "messages": [
        {"role": "user", "content": "Where is order 4711?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "lookup_order", "arguments": ARGS},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "shipped on Monday"},
        {"role": "user", "content": ASK},
    ],
    "tools": [
        {
            "type": "function",
            "function": {
                "name": "lookup_order",
                "description": "Find an order.",
                "parameters": PARAMETERS,
            },
        }
    ],
    "tool_choice": "auto",
}
MESSAGES = {
    "model": "auto",
    "max_tokens": 200,
    "messages": [
        {"role": "user", "content": "Where is order 4711?"},
        {
            "role": "assistant",
            "content": [
                {"type": "tool_use", "id": "toolu_1", "name": "lookup_order", "input": {"o": "1"}}
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "toolu_1", "content": "shipped"},
                {"type": "text", "text": ASK},
            ],
        },
    ],
    "tools": [
        {"name": "lookup_order", "description": "Find an order.", "input_schema": PARAMETERS}
    ],
    "tool_choice": {"type": "auto"},
}
FORMATS = {"/v1/responses": RESPONSES, "/v1/chat/completions": CHAT, "/v1/messages": MESSAGES}
TOOL_SLOTS = ("tools", "tool_choice", "input", "messages")  # where the tool parts live


def slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path inside the tool slots of a base request (the slot itself included)."""
    if path and path[0] in TOOL_SLOTS:
        yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from slots(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from slots(inner, (*path, index))


class Nested:
    """A value nested `depth` levels deep, written straight as JSON text: as a Python
    object it would overflow the stack of whatever printed or copied it."""

    MARK = "\u2063nested\u2063"

    def __init__(self, depth: int, kind: str) -> None:
        self.depth, self.kind = depth, kind

    def __repr__(self) -> str:
        return f"Nested({self.depth}, {self.kind!r})"

    def json(self) -> str:
        if self.kind == "list":
            return "[" * self.depth + '"x"' + "]" * self.depth
        return '{"a": ' * self.depth + '"x"' + "}" * self.depth


HOSTILE_STRINGS = [
    "",
    "\x00",
    "\x00\x01\x1b[2J\x7f",
    "\ud800",  # a lone surrogate: valid JSON (\\ud800), not encodable as UTF-8
    "\udfff tail",
    "\u202eevil\u202c",
    "\u200b" * 5_000,
    "\ufeff{}",
    "👩\u200d👩\u200d👧" * 200,
    "{",
    '{"a": ',
    "[1, 2]",
    "null",
    "NaN",
    "𝓵𝓸𝓸𝓴𝓾𝓹_𝓸𝓻𝓭𝓮𝓻",
    "lookup_order\n",
    "A" * 300_000,
]
hostile_text = st.one_of(
    st.sampled_from(HOSTILE_STRINGS),
    st.text(st.characters(categories=("Cc", "Cf", "Cs", "Co", "Zl", "Zp")), max_size=40),
    st.text(max_size=40),
)
leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=False, allow_infinity=False),
    hostile_text,
)
json_value = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)
    ),
    max_leaves=12,
)
# Depths around what the JSON parser still reads (about 1,000 levels less the stack in
# use) are where a later repr() or json.dumps() of the value would overflow.
depths = st.one_of(st.sampled_from([50, 5_000, 60_000]), st.integers(600, 1_000))
deep = st.builds(Nested, depths, st.sampled_from(["list", "dict"]))
typed_wrong = st.sampled_from(
    [{}, [], [{}], {"type": {}}, {"type": ["function"]}, {"type": None}, [[]], {"name": {}}]
)
hostile = st.one_of(leaf, json_value, deep, typed_wrong, st.lists(typed_wrong, max_size=3))


class Case:
    """One broken request: its JSON text, the path broken and the tool slot it is in."""

    def __init__(self, path: str, body: dict[str, Any], top: str) -> None:
        self.path, self.top = path, top  # the error must name the slot (or the body)
        deep = [v for v in _values(body) if isinstance(v, Nested)]
        # ensure_ascii: a lone surrogate goes as the escape JSON allows
        text = json.dumps(body, ensure_ascii=True, default=lambda _: Nested.MARK)
        for value in deep:
            text = text.replace(json.dumps(Nested.MARK), value.json(), 1)
        self.content = text.encode()

    def __repr__(self) -> str:
        return f"Case({self.path}, {len(self.content)} bytes)"


def _values(value: Any) -> Iterator[Any]:
    yield value
    if isinstance(value, dict):
        for inner in value.values():
            yield from _values(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _values(inner)


@st.composite
def broken(draw: st.DrawFn, base: dict[str, Any]) -> Case:
    body = copy.deepcopy(base)
    body["stream"] = draw(st.booleans())
    path = draw(st.sampled_from(sorted(slots(base), key=repr)))
    parent: Any = body
    for step in path[:-1]:
        parent = parent[step]
    how = draw(st.sampled_from(["replace", "replace", "replace", "remove", "add"]))
    if how == "remove":
        del parent[path[-1]]
    elif how == "add" and isinstance(parent[path[-1]], dict):
        parent[path[-1]][draw(hostile_text)] = draw(hostile)
    else:
        parent[path[-1]] = draw(hostile)
    return Case(".".join(str(p) for p in path), body, str(path[0]))


@dataclass
class Tally:
    statuses: Counter[str] = field(default_factory=Counter)
    refusals: Counter[str] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def served(
    graph: GraphClient, neo4j_settings: Neo4jSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with unlimited_gateway(
        graph, neo4j_settings, tmp_path_factory.mktemp("tool-fuzz-state")
    ) as url:
        yield url


def stream_problem(text: str) -> str | None:
    """An error event in a 200 stream that is the gateway's own fault, if any."""
    for line in text.splitlines():
        if not line.startswith("data: ") or line == "data: [DONE]":
            continue
        event = json.loads(line.removeprefix("data: "))
        error = event.get("error") if isinstance(event, dict) else None
        if isinstance(error, dict) and error.get("type") not in ("upstream_error",):
            return f"stream error event {error}"
    return None


def check(case: Case, response: httpx.Response) -> str | None:
    """What is wrong with the answer to `case`, or None."""
    status = response.status_code
    if status >= 500:
        return f"{status}: {response.text[:300]}"
    if status >= 400:
        try:
            error = response.json()["error"]
            message, param = str(error["message"]), str(error.get("param") or "")
        except (ValueError, KeyError, TypeError):
            return f"{status} without an error body: {response.text[:200]}"
        if status == 413 and "the limit is" in message:
            return None  # a size limit is on all texts together: it names the sum and limit
        if status == 403 and "govroute denied this request (dec_" in message:
            # Well-formed and decided: hostile text in a turn can change the intent (the
            # default deny) or be read as an attack. A decision, not a validation error.
            return None
        if case.top not in message and case.top not in param and "body" not in message:
            return f"{status} does not name {case.top!r}: {message[:200]}"
        return None
    if "text/event-stream" in response.headers.get("content-type", ""):
        return stream_problem(response.text)
    try:
        response.json()
    except ValueError:
        return f"{status} with a body that is not JSON: {response.text[:200]}"
    return None


@pytest.mark.parametrize("path", list(FORMATS))
def test_when_tool_fields_are_broken_then_every_answer_is_2xx_or_a_4xx_naming_the_field(
    served: str, path: str
) -> None:
    tally = Tally()
    started = time.monotonic()
    headers = {
        "Authorization": f"Bearer {ADMIN}",
        "Content-Type": "application/json",
        "anthropic-version": "2023-06-01",
    }
    with httpx.Client(base_url=served, headers=headers, timeout=60) as client:

        @seed(SEED)
        @settings(
            max_examples=EXAMPLES,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are tallied
            suppress_health_check=list(HealthCheck),
        )
        @given(case=broken(FORMATS[path]))
        def one(case: Case) -> None:
            response = client.post(path, content=case.content)
            tally.statuses[str(response.status_code)] += 1
            if 400 <= response.status_code < 500:
                try:
                    message = str(response.json()["error"]["message"])[:80]
                except (ValueError, KeyError, TypeError):
                    message = response.text[:80]
                tally.refusals[f"{response.status_code} {message}"] += 1
            problem = check(case, response)
            if problem is not None:
                tally.failures.setdefault(f"{case.path}: {problem[:120]}", problem)

        one()
    print(
        f"\n{path} (seed {SEED}): {sum(tally.statuses.values())} cases in "
        f"{time.monotonic() - started:.0f} s; statuses {dict(tally.statuses)}"
    )
    for refusal, n in tally.refusals.most_common(12):
        print(f"  {n:4d} {refusal}")
    assert not tally.failures, "\n".join(tally.failures)
