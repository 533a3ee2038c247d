"""The label-receipt fold (graph/label_receipts.py): what one transaction adds to the
tallies behind audit query (b), by the three rules of "received" (docs/audit.md)."""

from __future__ import annotations

from graph.label_receipts import GATEWAY_CALL, PRIMARY_ROUTE, ReceiptFold, receipt

AT = "2026-03-01T10:00:00+00:00"
LATER = "2026-03-01T11:00:00+00:00"


def tallies(fold: ReceiptFold) -> dict[str, dict[str, object]]:
    return {t["provider"]: t for t in fold.tally_rows()}  # type: ignore[misc]


def test_when_an_allowed_labelled_decision_is_written_then_its_primary_provider_counts_it() -> None:
    fold = ReceiptFold()
    r = receipt("dec_1", AT, "allow_with_redactions", ["pii", "pci", "pii"], ["pci"])
    fold.decision(r, ("helio", "helio-swift-eu"))
    [row] = fold.tally_rows()
    assert row["provider"] == "helio"
    assert (row["labels"], row["redacted"]) == (["pci", "pii"], ["pci"])  # sorted sets
    assert (row["decisions"], row["models"], row["via"]) == (1, ["helio-swift-eu"], [PRIMARY_ROUTE])
    assert (row["first_seen"], row["last_seen"], row["sample"]) == (AT, AT, ["dec_1"])
    assert fold.received_rows() == [{"id": "dec_1", "providers": ["helio"]}]


def test_when_a_decision_was_denied_or_carried_no_label_then_no_provider_counts_it() -> None:
    fold = ReceiptFold()
    fold.decision(receipt("dec_1", AT, "deny", ["pci"], []), ("helio", "m"))
    fold.decision(receipt("dec_2", AT, "allow", [], []), ("helio", "m"))
    fold.decision(receipt("dec_3", AT, "allow", ["pci"], []), None)  # no provider known
    assert fold.tally_rows() == []
    denied = receipt("dec_1", AT, "deny", ["pci"], [])
    fold.attempt(denied, [], "lumen", "lumen-m", "ok")
    assert fold.tally_rows() == []


def test_when_the_gateway_calls_models_then_each_provider_counts_the_decision_once() -> None:
    fold = ReceiptFold()
    r = receipt("dec_1", AT, "allow", ["pci"], [])
    fold.decision(r, ("helio", "helio-a"))
    fold.attempt(r, None, "helio", "helio-b", "ok")  # same provider: a model and a way more
    fold.attempt(r, None, "lumen", "lumen-a", "error")  # an error still sent the prompt
    fold.attempt(r, None, "lumen", "lumen-b", "timeout")
    fold.attempt(r, None, "orbit", "orbit-a", "skipped_open_circuit")  # never sent
    fold.attempt(r, None, "stellar", "stellar-a", "cache_hit")  # sent nothing
    by = tallies(fold)
    assert set(by) == {"helio", "lumen"}
    assert (by["helio"]["decisions"], by["helio"]["models"]) == (1, ["helio-a", "helio-b"])
    assert by["helio"]["via"] == [PRIMARY_ROUTE, GATEWAY_CALL]
    assert (by["lumen"]["decisions"], by["lumen"]["models"]) == (1, ["lumen-a", "lumen-b"])
    assert by["lumen"]["via"] == [GATEWAY_CALL]
    assert fold.received_rows() == [{"id": "dec_1", "providers": ["helio", "lumen"]}]


def test_when_a_later_call_reaches_a_provider_that_had_the_decision_then_only_models_grow() -> None:
    # A call written in a later transaction: the graph's received_by says who counts it.
    fold = ReceiptFold()
    r = receipt("dec_1", LATER, "allow", ["pci"], [])
    fold.attempt(r, ["helio"], "helio", "helio-b", "ok")
    fold.attempt(r, ["helio"], "lumen", "lumen-a", "ok")
    by = tallies(fold)
    assert (by["helio"]["decisions"], by["helio"]["first_seen"]) == (0, None)
    assert by["helio"]["models"] == ["helio-b"]
    assert (by["lumen"]["decisions"], by["lumen"]["first_seen"]) == (1, LATER)
    assert fold.received_rows() == [{"id": "dec_1", "providers": ["helio", "lumen"]}]


def test_when_decisions_share_a_signature_then_one_tally_adds_them_up() -> None:
    fold = ReceiptFold()
    for i, at in enumerate((LATER, AT, LATER)):
        fold.decision(receipt(f"dec_{i}", at, "allow", ["pci"], []), ("helio", "m"))
    fold.decision(receipt("dec_9", AT, "allow", ["pii"], []), ("helio", "m"))
    rows = fold.tally_rows()
    assert [r["decisions"] for r in rows] == [3, 1]
    assert (rows[0]["first_seen"], rows[0]["last_seen"]) == (AT, LATER)
    assert rows[0]["sample"] == ["dec_0", "dec_1", "dec_2"]
