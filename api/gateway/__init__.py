"""The gateway: POST /v1/chat/completions, /v1/responses, /v1/embeddings,
/v1/completions and GET /v1/models (OpenAI); POST /v1/messages (Anthropic).

The request and its decision
    routes.py      HTTP surface (OpenAI shapes), the rate-limit seam
    schemas.py     the accepted request, context references, -> DecideRequest
    gateway.py     process-wide state: clients per kind, breakers, health, cache, hooks
    service.py     decide, call compliant candidates with retries and fallback, record
    retry.py       backoff with full jitter, Retry-After       (pure)
    breaker.py     a circuit breaker per model, feeding routing (pure, injected clock)
    breaker_board.py  the breakers, shared through Redis where configured
    health.py      latency and error rate per model (EWMA), shared the same way
    balance.py     candidates ordered by breakers, then health and policy weights
    cache.py       the policy-aware response cache (Redis or a bounded LRU)
    cached.py      answers to and from the cache, in OpenAI shapes
    semantic.py    the cache's semantic match: partitions, probes, the placeholder guard
    vectors.py     prompt vectors per partition (Redis hash or memory), nearest by cosine
    catalog.py     the models a caller could be routed to
    hooks.py       telemetry hook points (no-ops by default)
    errors.py      deny / upstream failures as OpenAI errors with the decision id
    settings.py    GatewaySettings (GOVROUTE_UPSTREAM_*, GOVROUTE_RETRY_*, ...)

The answer on its way back
    output.py      filtering of answers and stream chunks (the pure part is
                   engine/output_filter.py; the system prompt's leak guard is
                   engine/threats/prompt_leak.py)
    answer_fields.py  the provider-controlled fields of an answer, by allow-list

Tools
    tool_schemas.py   tool calling on the wire (OpenAI shapes)
    tools.py          tool parts -> the decision, and back into the provider's request
    tool_output.py    the model's tool calls, filtered like its text
    tool_translate.py tool calling, OpenAI <-> Anthropic

Other formats
    format_routes.py  POST /v1/responses, /v1/embeddings, /v1/completions
    responses_api.py  the Responses API <-> chat completions (request, answer, events)
    completions_api.py  legacy text completions <-> chat completions
    embeddings.py  texts to embed: decided like prompts, one batch to one embeddings model
    translate.py   OpenAI chat <-> Anthropic Messages: requests, answers, events (pure)
    anthropic_schemas.py  the accepted Messages request -> ChatCompletionRequest
    anthropic_routes.py   POST /v1/messages (Anthropic shapes, SSE events)

Provider kinds (api.kind in providers.yaml)
    upstream.py           UpstreamClient protocol, endpoints, kind "openai"
    anthropic_upstream.py kind "anthropic": the Messages API
    azure_upstream.py     kind "azure": Azure OpenAI deployments
    bedrock_upstream.py   kind "bedrock": Converse / ConverseStream, SigV4
    bedrock_translate.py  chat <-> Converse (pure)
    vertex_upstream.py    kind "vertex": Gemini generateContent
    gemini_translate.py   chat <-> Gemini (pure)
    local_upstream.py     kind "local": vLLM, Ollama and other OpenAI-compatible servers

Fakes for demos and tests (`govroute fake-upstream --kind K`, cli.py)
    fake_upstream.py, fake_anthropic.py, fake_openai_kinds.py (azure, local),
    fake_bedrock.py (verifies SigV4), fake_vertex.py

docs/gateway.md describes the behaviour.
"""
