"""Sliding-window rate limits kept in memory (the widget's: messages per visitor, new
visitors per client address). A restart forgets them, which only ever lets someone in early."""

from __future__ import annotations

import math
import threading
from collections import deque

SWEEP_AT = 10_000  # keys held before idle ones are dropped, so memory stays bounded


class SlidingWindow:
    """At most `limit` hits per key within any `seconds`-long window. Refused hits are not
    counted, so hammering a closed door does not keep it closed longer."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float) -> int | None:
        """Count a hit now; or, when the key is at its limit, the seconds until one frees up
        (at least 1) and nothing counted."""
        with self._lock:
            hits = self._hits.get(key)
            if hits is None:
                if len(self._hits) >= SWEEP_AT:
                    self._sweep(now)
                hits = self._hits[key] = deque()
            while hits and hits[0] <= now - self.seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(1, math.ceil(hits[0] + self.seconds - now))
            hits.append(now)
            return None

    def _sweep(self, now: float) -> None:
        idle = [
            key for key, hits in self._hits.items() if not hits or hits[-1] <= now - self.seconds
        ]
        for key in idle:
            del self._hits[key]
