"""One long-lived driver per process, managed transactions, the database named.

`GraphClient` is the only object that holds a neo4j driver. Callers hand it
transaction functions (which must be idempotent: the driver retries transient
failures) and get plain Python values back. Driver errors that mean "the
server is not there" become `GraphUnavailable`.

Bounded time: the driver has no read timeout of its own (it uses one only when the
server hints it), so a server frozen mid-answer (SIGSTOP, a stalled VM, a dead
link without RST) holds a caller forever. `within` runs a call in the client's own
threads and gives up waiting after a deadline, raising `GraphUnavailable`; the
call itself is left to finish when the server comes back. `ping` is one such call
with a real round trip (`verify_connectivity` answers from a pooled connection
without asking the server, so it says "up" while the server is frozen).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any, LiteralString, ParamSpec, TypeVar

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import AuthError, DriverError, ServiceUnavailable, SessionExpired

from engine.errors import GraphTimeout, GraphUnavailable, LocalServerError
from graph import queries
from graph.server import LocalNeo4j
from graph.settings import LocalServerSettings, Neo4jSettings

T = TypeVar("T")
P = ParamSpec("P")

_UNAVAILABLE = (ServiceUnavailable, SessionExpired, ConnectionError, OSError)


BOUNDED_THREADS = 16
"""Threads for `within`: calls that a frozen server holds keep theirs until it returns."""


class GraphClient:
    def __init__(self, driver: neo4j.Driver, database: str, uri: str) -> None:
        self._driver = driver
        self.database = database
        self.uri = uri
        self._bounded = ThreadPoolExecutor(BOUNDED_THREADS, thread_name_prefix="govroute-neo4j")
        self._ping_lock = threading.Lock()
        self._ping_job: Future[list[dict[str, Any]]] | None = None

    @classmethod
    def connect(
        cls,
        settings: Neo4jSettings,
        local: LocalServerSettings | None = None,
        *,
        verify: bool = True,
    ) -> GraphClient:
        """Connect to NEO4J_URI if set, else to the bundled local server (which must run).
        With `verify=False` the server is not asked (the driver connects lazily): for a
        process that must start while the server stalls."""
        # The driver's DEBUG lines carry every query's parameters: decision records and
        # redacted prompts in provenance writes. A root logger at DEBUG must not print them.
        logging.getLogger("neo4j").setLevel(max(logging.INFO, logging.getLogger("neo4j").level))
        if settings.uri is not None:
            if settings.password is None:
                raise GraphUnavailable("NEO4J_URI is set but NEO4J_PASSWORD is not")
            uri, password = settings.uri, settings.password.get_secret_value()
        else:
            server = LocalNeo4j(local or LocalServerSettings())
            if not server.status().running:
                raise GraphUnavailable(
                    "the local Neo4j is not running: start it with `govroute neo4j start` "
                    "or point NEO4J_URI at your own server"
                )
            try:
                password = server.password()
            except LocalServerError as exc:
                raise GraphUnavailable(str(exc)) from exc
            uri = server.bolt_uri
        driver = GraphDatabase.driver(
            uri,
            auth=(settings.user, password),
            max_connection_pool_size=50,
            connection_acquisition_timeout=settings.acquisition_timeout_s,
            connection_timeout=settings.connect_timeout_s,
            max_transaction_retry_time=settings.max_retry_time_s,
            # "label does not exist yet" warnings on a fresh database are noise, not news.
            notifications_min_severity="OFF",
        )
        client = cls(driver, settings.database, uri)
        if verify:
            client.verify()
        return client

    def verify(self) -> None:
        try:
            self._driver.verify_connectivity()
        except AuthError as exc:
            raise GraphUnavailable(f"Neo4j at {self.uri} refused the credentials: {exc}") from exc
        except (*_UNAVAILABLE, DriverError) as exc:
            raise GraphUnavailable(f"Neo4j at {self.uri} is unreachable: {exc}") from exc

    def ping(self, timeout_s: float = 1.0) -> None:
        """One round trip to the server within `timeout_s`, or GraphUnavailable. While an
        earlier ping is still held by a frozen server, fails at once instead of sending
        another (each would keep a thread and a connection until the server resumes)."""
        with self._ping_lock:
            job = self._ping_job
            held = job is not None and not job.done()
            if job is None or not held:
                job = self._ping_job = self._bounded.submit(self.read_once, queries.PING)
        if held:
            raise GraphUnavailable(f"Neo4j at {self.uri} has not answered the last ping")
        try:
            job.result(timeout=timeout_s)
        except FutureTimeout as exc:
            raise GraphTimeout(
                f"Neo4j at {self.uri} did not answer a ping within {timeout_s:g} s"
            ) from exc

    def within(self, timeout_s: float, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`work(*args, **kwargs)`, or GraphUnavailable once `timeout_s` has passed."""
        job = self._bounded.submit(work, *args, **kwargs)
        try:
            return job.result(timeout=timeout_s)
        except FutureTimeout as exc:
            job.cancel()  # not started yet: it never will be
            raise GraphTimeout(
                f"Neo4j at {self.uri} did not answer within {timeout_s:g} s"
            ) from exc

    def close(self) -> None:
        # Calls a frozen server still holds are abandoned, not waited for.
        self._bounded.shutdown(wait=False, cancel_futures=True)
        self._driver.close()

    def __enter__(self) -> GraphClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transactions

    def read(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._errors(), self._driver.session(database=self.database) as session:
            return session.execute_read(work, *args, **kwargs)

    def write(self, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._errors(), self._driver.session(database=self.database) as session:
            return session.execute_write(work, *args, **kwargs)

    def read_once(
        self, query: LiteralString, *, timeout_s: float | None = None, **params: Any
    ) -> list[dict[str, Any]]:
        """One read statement as an auto-commit transaction: one round trip instead of
        a managed transaction's three (BEGIN, RUN, COMMIT), for request-time reads
        (1.8 against 2.7 ms for ITEM_FACTS on a quiet machine, more under load). No
        driver retry: a caller on the request path answers from what it has instead.
        `timeout_s` also bounds the wait for the answer (see `within`), and the server
        aborts the transaction after it."""
        if timeout_s is not None:
            statement = neo4j.Query(query, timeout=timeout_s)
            return self.within(timeout_s, self._run_read, statement, params)
        return self._run_read(query, params)

    def _run_read(
        self, query: LiteralString | neo4j.Query, params: dict[str, Any]
    ) -> list[dict[str, Any]]:
        with (
            self._errors(),
            self._driver.session(
                database=self.database, default_access_mode=neo4j.READ_ACCESS
            ) as session,
        ):
            return [record.data() for record in session.run(query, params)]

    def run_statement(self, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
        """Auto-commit one statement (schema DDL, which cannot run in a managed tx)."""
        with self._errors(), self._driver.session(database=self.database) as session:
            return [record.data() for record in session.run(query, params)]

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except _UNAVAILABLE as exc:
            raise GraphUnavailable(f"Neo4j at {self.uri} is unreachable: {exc}") from exc


def records(tx: ManagedTransaction, query: LiteralString, **params: Any) -> list[dict[str, Any]]:
    """Run one query in a managed transaction and return its records as dicts."""
    return [record.data() for record in tx.run(query, params)]
