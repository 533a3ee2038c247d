"""The gateway's upstream connections (api/gateway/upstream.py UpstreamHttp):
keep-alive reuse, the in-flight limit with its pool timeout, and the idle bound.

The upstream is a minimal HTTP/1.1 keep-alive server on 127.0.0.1, run on the
test's own event loop, that counts the connections it accepts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from api.gateway.settings import GatewaySettings
from api.gateway.upstream import UpstreamHttp

BODY = b'{"ok": true}'


class CountingServer:
    def __init__(self, delay_s: float) -> None:
        self.delay_s = delay_s
        self.connections = 0
        self.requests = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                await reader.readexactly(length)
                self.requests += 1
                await asyncio.sleep(self.delay_s)
                writer.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                    b"content-length: %d\r\n\r\n%s" % (len(BODY), BODY)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


@asynccontextmanager
async def counting_server(delay_s: float = 0.0) -> AsyncIterator[tuple[CountingServer, str]]:
    counter = CountingServer(delay_s)
    server = await asyncio.start_server(counter.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield counter, f"http://127.0.0.1:{port}/v1/chat/completions"
    finally:
        server.close()


def pool(**settings: float) -> tuple[UpstreamHttp, httpx.Timeout]:
    config = GatewaySettings.model_validate(settings)
    http = UpstreamHttp(config)
    timeout = httpx.Timeout(
        5.0, pool=config.upstream_pool_timeout_s, connect=config.upstream_connect_timeout_s
    )
    return http, timeout


def test_when_requests_follow_each_other_then_one_connection_is_kept_alive() -> None:
    async def run() -> tuple[int, int]:
        async with counting_server() as (counter, url):
            http, timeout = pool()
            for _ in range(5):
                response = await http.post(url, json={"n": 1}, headers={}, timeout=timeout)
                assert response.json() == {"ok": True}
            await http.aclose()
            return counter.connections, counter.requests

    assert asyncio.run(run()) == (1, 5)


def test_when_no_idle_connection_may_be_kept_then_each_request_opens_its_own() -> None:
    async def run() -> int:
        async with counting_server() as (counter, url):
            http, timeout = pool(upstream_max_keepalive=0)
            for _ in range(3):
                await http.post(url, json={}, headers={}, timeout=timeout)
            await http.aclose()
            return counter.connections

    assert asyncio.run(run()) == 3


def test_when_every_slot_is_busy_past_the_pool_timeout_then_pool_timeout_is_raised() -> None:
    async def run() -> list[httpx.Response | BaseException]:
        async with counting_server(delay_s=0.5) as (_, url):
            http, timeout = pool(upstream_max_connections=1, upstream_pool_timeout_s=0.1)
            results = await asyncio.gather(
                http.post(url, json={}, headers={}, timeout=timeout),
                http.post(url, json={}, headers={}, timeout=timeout),
                return_exceptions=True,
            )
            await http.aclose()
            return list(results)

    first, second = asyncio.run(run())
    assert isinstance(first, httpx.Response)
    assert first.status_code == 200
    assert isinstance(second, httpx.PoolTimeout)


def test_when_a_slot_frees_within_the_pool_timeout_then_the_waiting_request_goes() -> None:
    async def run() -> tuple[list[int], int]:
        async with counting_server(delay_s=0.1) as (counter, url):
            http, timeout = pool(upstream_max_connections=1, upstream_pool_timeout_s=5)
            responses = await asyncio.gather(
                *(http.post(url, json={}, headers={}, timeout=timeout) for _ in range(3))
            )
            await http.aclose()
            return [r.status_code for r in responses], counter.connections

    statuses, connections = asyncio.run(run())
    assert statuses == [200, 200, 200]
    assert connections == 1  # one slot, so one connection lent in turn


def test_when_a_stream_is_read_then_its_connection_returns_for_the_next_request() -> None:
    async def run() -> tuple[bytes, int]:
        async with counting_server() as (counter, url):
            http, timeout = pool(upstream_max_connections=1)
            async with http.stream("POST", url, json={}, headers={}, timeout=timeout) as response:
                body = await response.aread()
            await http.post(url, json={}, headers={}, timeout=timeout)
            await http.aclose()
            return body, counter.connections

    assert asyncio.run(run()) == (BODY, 1)


def test_when_requests_run_concurrently_then_connections_stay_within_the_limit() -> None:
    async def run() -> int:
        async with counting_server(delay_s=0.05) as (counter, url):
            http, timeout = pool(upstream_max_connections=4)
            await asyncio.gather(
                *(http.post(url, json={}, headers={}, timeout=timeout) for _ in range(20))
            )
            await http.aclose()
            return counter.connections

    assert asyncio.run(run()) <= 4
