"""Output filtering on the pure core: the decision's output rules, whole and streamed answers.

The reference enterprise is built into a snapshot without Neo4j, decisions come
from the pure core with a pinned intent, and the real detector scans answers.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import cast

import pytest

from engine.analyze import EngineState, analyze
from engine.decide import decide
from engine.decision import Decision, IntentMatch
from engine.detect import Detector
from engine.intent import IntentIndex
from engine.model import (
    ChatMessage,
    DecisionRequest,
    Effect,
    IntentCategory,
    Principal,
    Snapshot,
)
from engine.output_filter import OutputFilter, OutputRules, StreamFilter
from graph.snapshot import build_snapshot
from lifecycle.case_run import FixedIntent
from loaders.graph_mapping import to_graph
from loaders.policy_load import read_bundle

ENTERPRISE = Path(__file__).resolve().parents[1] / "examples" / "enterprise"
SECRET = b"output-filter-tests-secret"

SUPPORT = Principal(
    "eu-support-agent",
    "nw-eu",
    frozenset({"employee", "support_agent_eu"}),
    permissions=frozenset({"chat"}),
)
RETAIL = Principal("retail-chatbot-eu", "nw-retail", frozenset({"retail_chatbot_eu"}))
ANALYST = Principal("eu-analyst", "nw-eu", frozenset({"employee", "analyst_eu"}))


@cache
def world() -> tuple[Snapshot, Detector]:
    bundle = read_bundle(ENTERPRISE)
    snapshot = build_snapshot(to_graph(bundle), version="pure", content_hash="pure")
    return snapshot, Detector.for_snapshot(snapshot)


def decided(principal: Principal, intent: str, prompt: str, purpose: str | None) -> Decision:
    snapshot, detector = world()
    request = DecisionRequest(principal, (ChatMessage("user", prompt),), purpose=purpose)
    match = IntentMatch(intent, IntentCategory.BUSINESS, 0.9)
    state = EngineState(snapshot, detector, cast(IntentIndex, FixedIntent(match)))
    return decide(
        request,
        snapshot,
        {},
        analyze(request, state),
        decision_id="dec_output_test",
        now=datetime(2026, 1, 1, tzinfo=UTC),
        secret=SECRET,
    )


def output_filter(decision: Decision) -> OutputFilter:
    snapshot, detector = world()
    return OutputFilter(
        detector,
        OutputRules.for_decision(decision, snapshot),
        key=SECRET,
        caller_id=decision.principal_id,
        pseudonyms=decision.pseudonyms,
    )


def support_decision(
    prompt: str = "Write a friendly reply about the card replacement.",
) -> Decision:
    return decided(SUPPORT, "customer_support_reply", prompt, "support")


# --------------------------------------------------------------------------- decision


def test_when_request_has_no_labels_then_output_rules_still_come_from_scope() -> None:
    decision = support_decision()
    assert decision.labels == ()
    assert decision.block_output_labels == ()  # unchanged: only labels present in the request
    actions = {label: (effect, policy) for label, effect, policy in decision.label_actions}
    assert actions["person_name"] == (Effect.PSEUDONYMIZE, "pseudonymize-customers-for-support")
    assert actions["credentials"] == (Effect.REDACT, "redact-credentials-everywhere")
    assert actions["cardholder_data"] == (Effect.MASK, "mask-card-numbers")
    assert dict(decision.output_blocks)["credentials"] == "redact-credentials-everywhere"
    assert dict(decision.output_blocks)["pci"] == "pci-requires-certified-provider"


def test_when_policy_scope_excludes_the_caller_then_its_label_action_is_absent() -> None:
    analyst = decided(ANALYST, "summarize_document", "Summarize the travel policy.", None)
    labels = {label for label, _, _ in analyst.label_actions}
    assert "person_name" not in labels  # pseudonymization is for support roles only
    assert "financial_account" in labels  # hash-account-numbers applies to the nw-eu tenant


def test_when_request_is_denied_then_no_output_rules() -> None:
    denied = decided(RETAIL, "unknown", "Tell me a joke about pirates.", "customer_service")
    assert not denied.allowed
    assert denied.label_actions == ()
    assert denied.output_blocks == ()


# --------------------------------------------------------------------------- whole answers


def test_when_answer_holds_a_new_email_then_it_is_redacted_for_the_retail_chatbot() -> None:
    decision = decided(RETAIL, "customer_support_reply", "My card never arrived.", None)
    result = output_filter(decision).filter("Write to john.doe@example.com for help.")
    assert result.text == "Write to [EMAIL_ADDRESS] for help."
    assert result.blocked is None


def test_when_answer_holds_an_api_key_then_the_whole_answer_is_blocked() -> None:
    result = output_filter(support_decision()).filter(
        "Use the key sk-proj-abcdefghijklmnopqrstuvwxyz0123 to call the API."
    )
    assert result.blocked is not None
    assert result.blocked.policy_id == "redact-credentials-everywhere"
    assert "sk-proj" not in result.text
    assert "redact-credentials-everywhere" in result.text


def test_when_answer_echoes_the_request_placeholder_then_the_caller_reads_the_original() -> None:
    decision = support_decision("The customer Maria Schneider never got her new debit card.")
    placeholder = next(iter(decision.pseudonyms))
    assert decision.pseudonyms[placeholder] == "Maria Schneider"
    result = output_filter(decision).filter(f"Dear {placeholder}, your card is on its way.")
    assert result.text == "Dear Maria Schneider, your card is on its way."


def test_when_answer_writes_the_callers_own_value_in_clear_then_it_round_trips() -> None:
    decision = support_decision("The customer Maria Schneider never got her new debit card.")
    result = output_filter(decision).filter("Dear Maria Schneider, sorry for the wait.")
    assert result.text == "Dear Maria Schneider, sorry for the wait."
    assert [r.action for r in result.replacements] == [Effect.PSEUDONYMIZE]


def test_when_answer_names_someone_the_caller_never_sent_then_the_name_stays_pseudonymous() -> None:
    result = output_filter(support_decision()).filter("Please ask Maria Schneider to call us.")
    assert "Maria Schneider" not in result.text
    assert "<PERSON_" in result.text


# --------------------------------------------------------------------------- streams


def stream_through(filter_: OutputFilter, chunks: list[str], hold: int = 64) -> list[str]:
    stream = StreamFilter(filter_, hold=hold, step=16)
    out = [stream.feed(c).text for c in chunks]
    out.append(stream.flush().text)
    return out


def test_when_an_email_is_split_across_chunks_then_no_piece_of_it_leaves() -> None:
    decision = decided(RETAIL, "customer_support_reply", "My card never arrived.", None)
    chunks = ["Please write to ", "jo", "hn@exa", "mple.com", " and we will help."]
    emitted = stream_through(output_filter(decision), chunks)
    assert "".join(emitted) == "Please write to [EMAIL_ADDRESS] and we will help."
    assert not any(part in piece for piece in emitted for part in ("jo", "hn@", "mple"))


def test_when_a_long_answer_streams_then_text_is_emitted_before_the_end() -> None:
    decision = decided(RETAIL, "customer_support_reply", "My card never arrived.", None)
    words = [f"word{i} " for i in range(200)]
    emitted = stream_through(output_filter(decision), [*words, "mail me at a.b@example.org"])
    assert any(emitted[:-1])  # something left before the flush
    joined = "".join(emitted)
    assert joined == "".join(words) + "mail me at [EMAIL_ADDRESS]"


def test_when_a_placeholder_straddles_the_cut_then_it_is_restored_whole() -> None:
    decision = support_decision("The customer Maria Schneider never got her new debit card.")
    placeholder = next(iter(decision.pseudonyms))
    text = "x" * 70 + f" Dear {placeholder}, " + "y" * 90
    rng = random.Random(7)
    for _ in range(20):
        cuts = sorted(rng.sample(range(1, len(text)), 12))
        chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
        assert "".join(stream_through(output_filter(decision), chunks, hold=32)) == text.replace(
            placeholder, "Maria Schneider"
        )


def test_when_a_key_streams_in_pieces_then_the_stream_is_blocked_before_any_piece() -> None:
    chunks = ["Here it is: sk-pr", "oj-abcdefghij", "klmnopqrstuvwxyz0123", " enjoy"]
    stream = StreamFilter(output_filter(support_decision()), hold=64, step=16)
    emitted = [stream.feed(c).text for c in chunks] + [stream.flush().text]
    assert stream.blocked is not None
    assert "".join(emitted) == ""


@pytest.mark.parametrize("seed", range(5))
def test_when_chunks_fall_anywhere_then_streamed_equals_whole(seed: int) -> None:
    decision = decided(RETAIL, "customer_support_reply", "My card never arrived.", None)
    text = (
        "Thanks for waiting. " * 8
        + "Contact jane.roe@example.com or call +44 20 7946 0958 today. "
        + "Regards. " * 10
    )
    rng = random.Random(seed)
    cuts = sorted(rng.sample(range(1, len(text)), 30))
    chunks = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]
    whole = output_filter(decision).filter(text).text
    assert "".join(stream_through(output_filter(decision), chunks)) == whole
    assert "jane.roe" not in whole
