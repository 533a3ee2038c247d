"""The streaming answer of a chat request: filtered chunks, then the in-band error body
if the upstream stream broke after the caller had seen part of the answer."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator, Callable
from functools import partial
from typing import Any

import anyio

from api.errors import error_body
from api.gateway.cache_path import CachePath
from api.gateway.cached import (
    StreamRecorder,
)
from api.gateway.exchange import Answer, Exchange
from api.gateway.fallback import close_stream
from api.gateway.output import ChunkFilter, completion_id, output_filter_for
from api.gateway.schemas import ChatCompletionRequest
from api.gateway.upstream import (
    UpstreamCallError,
)


class StreamPath(CachePath):
    """A committed stream, filtered chunk by chunk (api/gateway/output.py `ChunkFilter`),
    stored when it ends whole, and recorded once however it ends."""

    async def _chunks(
        self, ex: Exchange, answer: Answer, body: ChatCompletionRequest
    ) -> AsyncGenerator[dict[str, Any], None]:
        """The filtered chunks, then the in-band error body if the stream broke."""
        assert answer.stream is not None
        assert answer.held
        model_id = answer.endpoint.model_id
        output = output_filter_for(
            ex.decision, self.runtime.state_for(ex.decision), self.gateway.secret, ex.pseudonyms
        )
        chunks = ChunkFilter(
            output,
            model_id=model_id,
            completion_id=completion_id(answer.held[0].get("id"), output, ex.decision),
            choices_expected=body.n or 1,
            hold=self.gateway.settings.stream_hold_chars,
            tools=ex.tools,
        )
        received = 0
        status, detail, closed = "ok", "", False
        filtering = 0.0
        recorder = StreamRecorder() if ex.cache_key is not None else None

        def filtered(step: Callable[[], list[dict[str, Any]]]) -> list[dict[str, Any]]:
            nonlocal filtering
            began = time.perf_counter()
            try:
                out = step()
            finally:
                filtering += time.perf_counter() - began
            if recorder is not None:
                for chunk in out:
                    recorder.saw(chunk)
            return out

        try:
            for held in answer.held:
                received += 1
                for out in filtered(partial(chunks.on_chunk, held)):
                    yield out
            if not chunks.done:
                async for upstream_chunk in answer.stream:
                    received += 1
                    for out in filtered(partial(chunks.on_chunk, upstream_chunk)):
                        yield out
                    if chunks.done:
                        break
            for out in filtered(chunks.finish):
                yield out
            if recorder is not None and chunks.blocked is None:
                choices = recorder.choices(ex.pseudonyms)
                await self._store(ex, model_id, choices, chunks.usage)
        except UpstreamCallError as exc:
            status, detail = "error", f"; broke after {received} chunks: {exc.message}"
            await self.gateway.breakers.record(model_id, ok=False)
            yield error_body(
                f"the model's stream broke ({ex.decision.id}): {exc.message}",
                type_="upstream_error",
                code="upstream_stream_broken",
                decision_id=ex.decision.id,
            )
        except BaseException:  # the caller went away (cancelled or closed): the model was fine
            closed = True
            detail = f"; the caller closed the stream after {received} chunks"
            raise
        finally:
            with anyio.CancelScope(shield=True):
                await close_stream(answer.stream)
            latency = (time.monotonic() - answer.started) * 1000
            blocked = chunks.blocked
            self._record(
                ex,
                model_id,
                status,
                latency,
                http_status=200,
                detail=f"{answer.role}, streamed {received} chunks{detail}"
                + (f"; answer blocked by {blocked.policy_id}" if blocked else ""),
            )
            outcome = "stream_error" if status != "ok" else "blocked" if blocked else "ok"
            self._respond(
                ex,
                "client_closed" if closed else outcome,
                model_id,
                usage=chunks.usage or {},
                redactions=chunks.redactions,
                blocked_by=blocked.policy_id if blocked else None,
                filtering_s=filtering,
            )
