"""Is Neo4j answering? A cheap periodic probe with a deadline, off the request path.

One thread pings the server (`GraphClient.ping`: `RETURN 1`, bounded by a timeout)
every `interval_s` and tells its listener when the answer changes. A frozen server
is seen within `interval_s + timeout_s` (1.5 s by default), a stopped one at the
next ping; requests never probe, they read `up`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from neo4j.exceptions import Neo4jError

from engine.errors import GraphUnavailable

log = logging.getLogger("govroute.graph")

Ping = Callable[[], None]
Changed = Callable[[bool], None]


class Liveness:
    def __init__(self, ping: Ping, *, interval_s: float, on_change: Changed) -> None:
        self._ping = ping
        self._interval = interval_s
        self._on_change = on_change
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="govroute-liveness", daemon=True)
        self.up = False
        """The last probe's answer (False until the first one succeeds)."""
        self._probed = False  # a first answer is no news ("answers again") to log

    def start(self) -> Liveness:
        self._thread.start()
        return self

    def close(self, timeout_s: float = 5.0) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout_s)

    def probe(self) -> bool:
        """Ask once now; report a change; return the answer."""
        try:
            self._ping()
            up = True
        except (GraphUnavailable, Neo4jError, OSError) as exc:
            if self.up:
                log.warning("Neo4j stopped answering: %s", exc)
            up = False
        if up != self.up:
            self.up = up
            if up and self._probed:
                log.info("Neo4j answers again")
            self._on_change(up)
        self._probed = True
        return up

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.probe()
            except Exception:  # the listener failed; the probe must go on regardless
                log.exception("liveness listener failed")
