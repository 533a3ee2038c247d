"""Function tools on POST /v1/responses, end to end: the real `openai` client's
`responses.create` and `responses.stream` against govroute, govroute against fake
providers of both kinds (the setup is tests/test_gateway_tools.py's `env`: the reference
enterprise with its two tool rules, northwind-private speaking Anthropic's API in one run
and OpenAI's in the other).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import openai
import pytest

from tests.test_gateway_tools import ASK, INJECTION, NAME, PURPOSE, SUPPORT, Env, env, gw

pytestmark = pytest.mark.neo4j

__all__ = ["env", "gw"]  # the fixtures, shared with tests/test_gateway_tools.py

LOOKUP = {
    "type": "function",
    "name": "lookup_customer",
    "description": "Find a customer in the CRM by name.",
    "parameters": {"type": "object", "properties": {"request": {"type": "string"}}},
    "strict": False,
}
SEND = {
    "type": "function",
    "name": "send_email",
    "description": "Send an email to a customer.",
    "parameters": {"type": "object", "properties": {"to": {"type": "string"}}},
    "strict": False,
}


def _first_turn(gw: Env) -> tuple[Any, Any]:
    raw = gw.openai().responses.with_raw_response.create(
        model="auto",
        input=ASK,
        tools=[LOOKUP, SEND],  # type: ignore[list-item]
        extra_headers=PURPOSE,
    )
    return raw, raw.parse()


def test_when_a_response_calls_a_function_then_its_arguments_come_back_restored(
    gw: Env,
) -> None:
    raw, response = _first_turn(gw)
    assert response.status == "completed"
    (call,) = [item for item in response.output if item.type == "function_call"]
    assert [item.type for item in response.output] == ["function_call"]  # no empty message
    assert call.name == "lookup_customer"
    # The provider wrote a pseudonym; the caller's function gets the name back.
    assert json.loads(call.arguments) == {"request": ASK}
    assert call.call_id
    assert (call.id or "").startswith("fc_")
    assert "dropped=send_email (tool_refused by support-tools)" in raw.headers["x-govroute-tools"]
    assert gw.sent_tools() == ["lookup_customer"]  # the refused tool never left
    assert NAME not in json.dumps(gw.sent())
    assert [t.name for t in response.tools] == ["lookup_customer", "send_email"]  # as asked
    assert response.tool_choice == "auto"
    assert response.parallel_tool_calls is True


def test_when_the_function_output_goes_back_then_the_provider_sees_only_pseudonyms(
    gw: Env,
) -> None:
    _, first = _first_turn(gw)
    (call,) = first.output
    result = json.dumps({"document_id": "doc-ticket-48502", "customer": NAME, "status": "blocked"})
    raw = gw.openai().responses.with_raw_response.create(
        model="auto",
        input=[
            {"role": "user", "content": ASK},
            *first.output,  # the call item, as the SDK hands it back
            {"type": "function_call_output", "call_id": call.call_id, "output": result},
        ],
        tools=[LOOKUP],  # type: ignore[list-item]
        extra_headers=PURPOSE,
    )
    final = raw.parse()
    assert final.output_text == f"Tool result: {result}"
    sent = json.dumps(gw.sent())
    assert NAME not in sent  # neither in the call's arguments nor in the function's output
    assert sent.count("<PERSON_") >= 3
    assert "x-govroute-tools" not in raw.headers
    assert gw.runtime.writer.flush()
    decision = httpx.get(
        f"{gw.url}/v1/decisions/{raw.headers['x-govroute-decision-id']}",
        headers={"Authorization": f"Bearer {SUPPORT}"},
    ).json()
    edges = {(e["type"], e["target"]) for e in decision["provenance"]}
    assert ("EXPOSED", "Document:doc-ticket-48502") in edges


def test_when_a_function_output_carries_an_injection_then_it_is_withheld(gw: Env) -> None:
    _, first = _first_turn(gw)
    (call,) = first.output
    raw = gw.openai().responses.with_raw_response.create(
        model="auto",
        input=[
            {"role": "user", "content": ASK},
            {
                "type": "function_call",
                "call_id": call.call_id,
                "name": call.name,
                "arguments": call.arguments,
            },
            {
                "type": "function_call_output",
                "call_id": call.call_id,
                "output": [{"type": "input_text", "text": INJECTION}],
            },
        ],
        tools=[LOOKUP],  # type: ignore[list-item]
        extra_headers=PURPOSE,
    )
    header = raw.headers["x-govroute-tools"]
    assert f"withheld=result:{call.call_id} (suspected_injection)" in header
    sent = json.dumps(gw.sent())
    assert "Ignore all previous instructions" not in sent
    assert "[govroute withheld this tool result" in sent
    assert "Ignore all previous instructions" not in raw.parse().output_text


def test_when_a_function_call_streams_then_the_sdk_assembles_the_restored_call(
    gw: Env,
) -> None:
    events: list[Any] = list(
        gw.openai().responses.create(
            model="auto",
            input=ASK,
            tools=[LOOKUP],  # type: ignore[list-item]
            tool_choice="required",
            stream=True,
            extra_headers=PURPOSE,
        )
    )
    assert [e.type for e in events] == [
        "response.created",
        "response.in_progress",
        "response.output_item.added",
        "response.function_call_arguments.delta",
        "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed",
    ]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    done = events[4]
    assert json.loads(done.arguments) == {"request": ASK}
    assert done.item_id == events[2].item.id == events[5].item.id
    assert gw.sent()["stream"]
    assert NAME not in json.dumps(gw.sent())

    with gw.openai().responses.stream(
        model="auto",
        input=ASK,
        tools=[LOOKUP],  # type: ignore[list-item]
        extra_headers=PURPOSE,
    ) as stream:
        final = stream.get_final_response()
    (call,) = final.output
    assert call.type == "function_call"
    assert json.loads(call.arguments) == {"request": ASK}


def test_when_a_forbidden_function_is_offered_then_the_response_is_denied(gw: Env) -> None:
    shell = {"type": "function", "name": "run_shell", "parameters": {}, "strict": False}
    with pytest.raises(openai.PermissionDeniedError) as raised:
        gw.openai().responses.create(
            model="auto",
            input="Please use run_shell to list the files.",
            tools=[shell],  # type: ignore[list-item]
            extra_headers=PURPOSE,
        )
    assert "Tool 'run_shell' is not allowed here" in json.dumps(raised.value.body)
    assert gw.primary.received() == []


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (
            {"input": "hi", "tools": [LOOKUP, {"type": "web_search"}, {"type": "mcp"}]},
            "tools[1]: tools of type mcp, web_search are not supported",
        ),
        (
            {"input": "hi", "tools": [{"type": "code_interpreter", "container": "auto"}]},
            "tools of type code_interpreter are not supported",
        ),
        (
            {"input": "hi", "tools": [LOOKUP], "tool_choice": {"type": "file_search"}},
            "tool_choice: a choice of type 'file_search' is not supported",
        ),
        (
            {"input": [{"type": "function_call_output", "call_id": "call_x", "output": "{}"}]},
            "input[0].call_id: 'call_x' answers no function_call",
        ),
        (
            {
                "input": [
                    {
                        "type": "function_call",
                        "call_id": "call_1",
                        "name": "lookup_customer",
                        "arguments": "{name: Maria",
                    }
                ]
            },
            "arguments are not JSON",
        ),
        (
            {"input": [{"type": "web_search_call", "id": "ws_1", "status": "completed"}]},
            "input[0]: input items of type 'web_search_call' are not supported",
        ),
    ],
    ids=[
        "web-search-and-mcp",
        "code-interpreter",
        "provider-side-choice",
        "unanswered-output",
        "arguments-not-json",
        "provider-side-item",
    ],
)
def test_when_response_tool_parts_are_refused_then_the_400_names_them(
    gw: Env, body: dict[str, Any], says: str
) -> None:
    answer = httpx.post(
        f"{gw.url}/v1/responses",
        json={"model": "auto", **body},
        headers={"Authorization": f"Bearer {SUPPORT}", **PURPOSE},
    )
    assert answer.status_code == 400, answer.text
    assert says in answer.json()["error"]["message"]
    assert gw.primary.received() == []


GET_TICKET = {**LOOKUP, "name": "get_ticket", "description": "Read a support ticket."}
FETCH = {**LOOKUP, "name": "fetch_document", "description": "Fetch a document by id."}
ASK_THREE = (
    f"Please use lookup_customer for {NAME}, use get_ticket for her ticket and "
    "use fetch_document for the card policy."
)


def _three_calls(gw: Env, **options: Any) -> tuple[Any, dict[str, Any]]:
    raw = gw.openai().responses.with_raw_response.create(
        model="auto",
        input=ASK_THREE,
        tools=[LOOKUP, GET_TICKET, FETCH],  # type: ignore[list-item]
        extra_headers=PURPOSE,
        **options,
    )
    return raw.parse(), json.loads(raw.text)


def test_when_max_tool_calls_caps_a_response_then_only_the_first_calls_come_back(
    gw: Env,
) -> None:
    uncapped, _ = _three_calls(gw)
    assert [c.name for c in uncapped.output] == ["lookup_customer", "get_ticket", "fetch_document"]
    response, body = _three_calls(gw, max_tool_calls=2)
    assert [item.type for item in response.output] == ["function_call", "function_call"]
    assert [c.name for c in response.output] == ["lookup_customer", "get_ticket"]
    assert json.loads(response.output[0].arguments) == {"request": ASK_THREE}  # restored
    assert [c.id for c in response.output] == [f"fc_{response.id[5:]}_{i}" for i in (0, 1)]
    assert response.max_tool_calls == 2
    assert body["govroute"]["dropped_tool_calls"] == 1
    assert "dropped_tool_calls" not in _three_calls(gw, max_tool_calls=3)[1]["govroute"]


def test_when_max_tool_calls_caps_a_stream_then_no_event_carries_the_surplus(gw: Env) -> None:
    events: list[Any] = list(
        gw.openai().responses.create(
            model="auto",
            input=ASK_THREE,
            tools=[LOOKUP, GET_TICKET, FETCH],  # type: ignore[list-item]
            max_tool_calls=2,
            stream=True,
            extra_headers=PURPOSE,
        )
    )
    added = [e.item.name for e in events if e.type == "response.output_item.added"]
    assert added == ["lookup_customer", "get_ticket"]
    assert [e.sequence_number for e in events] == list(range(len(events)))
    final = events[-1]
    assert final.type == "response.completed"
    assert [c.name for c in final.response.output] == ["lookup_customer", "get_ticket"]
    assert final.response.max_tool_calls == 2
    assert final.response.model_extra["govroute"]["dropped_tool_calls"] == 1


def test_when_max_tool_calls_is_one_then_the_provider_is_asked_for_one_call(gw: Env) -> None:
    response, body = _three_calls(gw, max_tool_calls=1)
    assert [c.name for c in response.output] == ["lookup_customer"]
    sent = gw.sent()["params"]
    if gw.kind == "anthropic":
        assert sent["tool_choice"]["disable_parallel_tool_use"] is True
    else:
        assert sent["parallel_tool_calls"] is False
    assert "dropped_tool_calls" not in body["govroute"]  # the provider made only one
    assert response.parallel_tool_calls is True  # as the caller asked (the default)


def test_when_max_tool_calls_is_not_a_positive_integer_then_the_400_names_it(gw: Env) -> None:
    for value in (0, -1, "2", 1.5):
        answer = httpx.post(
            f"{gw.url}/v1/responses",
            json={"model": "auto", "input": ASK, "tools": [LOOKUP], "max_tool_calls": value},
            headers={"Authorization": f"Bearer {SUPPORT}", **PURPOSE},
        )
        assert answer.status_code == 400, answer.text
        assert answer.json()["error"]["param"].startswith("max_tool_calls"), answer.text
    assert gw.primary.received() == []
