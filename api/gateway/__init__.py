"""The gateway: POST /v1/chat/completions, /v1/responses, /v1/embeddings,
/v1/completions and GET /v1/models (OpenAI); POST /v1/messages (Anthropic).

    routes.py      HTTP surface (OpenAI shapes), the rate-limit seam
    schemas.py     the accepted request, context references, -> DecideRequest
    service.py     decide, call compliant candidates with retries and fallback, record
    upstream.py    UpstreamClient protocol, the OpenAI-compatible client, endpoints
    retry.py       backoff with full jitter, Retry-After       (pure)
    breaker.py     a circuit breaker per model, feeding routing (pure, injected clock)
    output.py      filtering of answers and stream chunks (the pure part is
                   engine/output_filter.py)
    catalog.py     the models a caller could be routed to
    hooks.py       telemetry hook points (no-ops by default)
    errors.py      deny / upstream failures as OpenAI errors with the decision id
    settings.py    GatewaySettings (GOVROUTE_UPSTREAM_*, GOVROUTE_RETRY_*, ...)
    fake_upstream.py  a local OpenAI-compatible server for demos and tests
    format_routes.py  POST /v1/responses, /v1/embeddings, /v1/completions
    responses_api.py  the Responses API <-> chat completions (request, answer, events)
    completions_api.py  legacy text completions <-> chat completions
    embeddings.py  texts to embed: decided like prompts, one batch to one embeddings model
    translate.py   OpenAI chat <-> Anthropic Messages: requests, answers, events (pure)
    anthropic_schemas.py  the accepted Messages request -> ChatCompletionRequest
    anthropic_routes.py   POST /v1/messages (Anthropic shapes, SSE events)
    anthropic_upstream.py provider kind "anthropic": the Messages API client
    fake_anthropic.py     a local Anthropic Messages server for demos and tests

docs/gateway.md describes the behaviour.
"""
