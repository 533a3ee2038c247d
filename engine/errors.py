"""One error tree for govroute, with stable snake_case codes.

    GovroutError                      code
    ├── InvalidRequest                invalid_request       (caller sent something wrong)
    │   └── PayloadTooLarge           payload_too_large
    ├── NotAuthenticated              not_authenticated
    ├── Forbidden                     forbidden
    ├── NotFound                      not_found
    ├── Conflict                      conflict              (the state forbids it: e.g. a
    │                                                        candidate short of approvals)
    ├── RateLimited                   rate_limited          (carries retry_after seconds)
    │   └── ReviewQueueFull           review_queue_full     (the tenant's review queue is full)
    ├── InvalidPolicyData             invalid_policy_data   (a load was refused; lists problems)
    ├── InvalidCases                  invalid_cases         (decision case files; lists problems)
    ├── GraphUnavailable              graph_unavailable     (retryable)
    │   └── GraphTimeout              graph_unavailable     (no answer within a deadline)
    ├── ProvenanceUnavailable         provenance_unavailable (retryable; the journal cannot sync)
    ├── DependencyUnavailable         dependency_unavailable (retryable; e.g. Redis, fail-closed)
    ├── UpstreamError                 upstream_error        (retryable when the provider said so)
    ├── LocalServerError              local_server_error    (the bundled Neo4j could not start/stop)
    ├── InvalidArtifact               invalid_artifact      (a shipped model file is unusable)
    ├── InvalidConfiguration          invalid_configuration (settings that must not start a process)
    └── VaultUnavailable              vault_unavailable     (retryable; the pseudonym store is away)

The API maps each class to an HTTP status in one place (api/errors.py); nothing
else builds HTTP errors for these conditions. Originals are chained with
``raise ... from exc`` so the cause survives in logs.
"""

from __future__ import annotations

from dataclasses import dataclass


class GovroutError(Exception):
    """Base of every error govroute raises on purpose."""

    code: str = "govroute_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def is_retryable(self) -> bool:
        return False


class InvalidRequest(GovroutError):
    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PayloadTooLarge(InvalidRequest):
    code = "payload_too_large"


class NotAuthenticated(GovroutError):
    code = "not_authenticated"


class Forbidden(GovroutError):
    code = "forbidden"


class NotFound(GovroutError):
    code = "not_found"


class Conflict(GovroutError):
    """What was asked cannot happen in the current state (a version that is no longer a
    candidate, an activation short of approvals, a load over a governed version); the
    message says what the state is and what would make it possible."""

    code = "conflict"


class RateLimited(GovroutError):
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def is_retryable(self) -> bool:
        return True


class ReviewQueueFull(RateLimited):
    """A request a review policy holds, refused because its tenant already has as many
    held requests as it may (api/review/settings.py); nothing was held."""

    code = "review_queue_full"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with policy data, located as precisely as the source allows."""

    source: str  # file name, or "<graph>" for a reference checked against the server
    location: str  # "line 12" / "record 4031" / "" when unknown
    path: str  # dotted path to the field, e.g. "policies[3].governs[0]"
    message: str

    def __str__(self) -> str:
        where = ":".join(part for part in (self.source, self.location) if part)
        field = f" {self.path}:" if self.path else ""
        return f"{where}:{field} {self.message}"


class InvalidPolicyData(GovroutError):
    code = "invalid_policy_data"

    def __init__(self, problems: list[Problem]) -> None:
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s); nothing was written:\n{shown}{more}")
        self.problems = problems


class InvalidCases(GovroutError):
    """Decision case files (`govroute policy test`) that cannot be read: file, case, field."""

    code = "invalid_cases"

    def __init__(self, problems: list[Problem]) -> None:
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s) in the decision cases:\n{shown}{more}")
        self.problems = problems


class GraphUnavailable(GovroutError):
    code = "graph_unavailable"

    def is_retryable(self) -> bool:
        return True


class GraphTimeout(GraphUnavailable):
    """The graph did not answer within a deadline: frozen, or just slow this once."""


class ProvenanceUnavailable(GovroutError):
    """A decision could not be made durable (journal write or sync failed): it is not
    answered, because an answer without its provenance is what must never happen."""

    code = "provenance_unavailable"

    def is_retryable(self) -> bool:
        return True


class DependencyUnavailable(GovroutError):
    """A shared dependency configured to fail closed (e.g. the rate-limit Redis) is away."""

    code = "dependency_unavailable"

    def is_retryable(self) -> bool:
        return True


class UpstreamError(GovroutError):
    code = "upstream_error"

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable

    def is_retryable(self) -> bool:
        return self.retryable


class LocalServerError(GovroutError):
    code = "local_server_error"


class InvalidArtifact(GovroutError):
    """A model artifact (e.g. the threat detector) is missing, truncated or inconsistent."""

    code = "invalid_artifact"

    def __init__(self, where: str, problems: list[str]) -> None:
        super().__init__(f"{where}: " + "; ".join(problems))
        self.where = where
        self.problems = problems


class InvalidConfiguration(GovroutError):
    """Settings a process refuses to start with (e.g. a self-generated secret on shared state)."""

    code = "invalid_configuration"


class VaultUnavailable(GovroutError):
    """The pseudonym vault's store (Redis) did not answer in time."""

    code = "vault_unavailable"

    def is_retryable(self) -> bool:
        return True
