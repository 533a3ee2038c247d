"""GET /v1/models: the models a caller could be routed to.

Route constraints only ever narrow (every applicable constraint must hold), so
the models that satisfy the policies applying to the caller whatever they ask
(by role and tenant; no intent, purpose or label condition) are a superset of
any single request's candidates. That set, ranked the way routing ranks it, is
what the caller sees. Models that cannot chat (embeddings) are left out.
"""

from __future__ import annotations

from engine.decide import BASE_CAPABILITY
from engine.model import ModelSpec, Principal, Snapshot
from engine.policy import RequestView, applicable_policies, preferences, route_constraints
from engine.route import RouteNeeds, plan_route


def routable_models(snapshot: Snapshot, principal: Principal) -> list[ModelSpec]:
    view = RequestView(
        decision_id="",
        principal_id=principal.id,
        intent="",  # matches no intent condition
        roles=principal.roles,
        tenant=principal.tenant,
        purpose=None,
        labels={},
    )
    applicable, _ = applicable_policies(snapshot, view)
    base = frozenset({BASE_CAPABILITY}) if BASE_CAPABILITY in snapshot.capabilities else frozenset()
    route = plan_route(
        snapshot,
        RouteNeeds(capabilities=base, input_tokens=0, output_tokens=0),
        route_constraints(applicable),
        preferences(applicable),
    )
    rejected = {c.model_id for c in route.rejected}
    ranked = [snapshot.models[m] for m in route.candidates]
    rest = sorted(
        (
            m
            for m in snapshot.models.values()
            if m.id not in rejected and m.id not in route.candidates
        ),
        key=lambda m: m.id,
    )
    return ranked + rest
