"""Policy content sent in a request body (the admin API), read as `govroute load` reads files.

Two shapes: YAML text (what a policy file holds, any number of documents), and one
JSON document with the schema `govroute schema` prints. Both end as a checked Bundle,
with every problem collected and located: YAML problems by line and dotted path, JSON
problems by dotted path (a parsed JSON document has no lines to give).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from engine.errors import InvalidPolicyData, Problem
from loaders.bundle import Bundle
from loaders.references import check_references
from loaders.spec import PolicyDocument
from loaders.yaml_source import dotted, parse_policy_text, validation_message


def bundle_from_yaml(text: str, name: str) -> Bundle:
    """YAML policy text (one file's worth); `name` is what problems call its source."""
    bundle = Bundle.from_items(parse_policy_text(text, name))
    check_references(bundle)
    return bundle


def bundle_from_document(data: Any, name: str) -> Bundle:
    """A JSON policy document (already parsed); `name` prefixes every problem's path."""
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise InvalidPolicyData([Problem(name, "", "", f"must be a JSON object, not {kind}")])
    try:
        document = PolicyDocument.model_validate(data)
    except ValidationError as exc:
        raise InvalidPolicyData(
            [
                Problem(name, "", dotted(tuple(error["loc"])), validation_message(error))
                for error in exc.errors(include_url=False)
            ]
        ) from exc
    bundle = Bundle.from_document(document, name)
    check_references(bundle)
    return bundle
