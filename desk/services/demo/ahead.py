"""Demo chunks made ahead of the writer.

A chunk's rows depend only on the seed, its index, the ids it starts at and the team, clock
and calendar (`Plan`), never on what was written before; so while SQLite writes one chunk,
another core can build the next. On Linux a forked process does that and hands the chunks
over a queue; elsewhere (no safe `fork`) they are made here, one after another. Either way
the chunks are the same rows.

The child process never touches the database: it inherits the parent's SQLite connections
with its memory and must not close them, so it leaves their objects alone (`gc.freeze`) and
ends with `os._exit` (multiprocessing's fork start method does that after `run`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import random
import signal
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.queues import Queue
from types import TracebackType

from desk.services.demo.script import ChunkBuilder, Team
from desk.services.demo.timing import Calendar
from desk.store.demo import DemoRows, NextIds

# Chunks waiting for the writer: enough to keep it busy, few enough to bound the memory.
WAITING_CHUNKS = 2
FORK = sys.platform == "linux"  # elsewhere fork is missing or unsafe
Chunk = tuple[int, NextIds, DemoRows]  # (index, the ids it starts at, its rows)


@dataclass(frozen=True)
class Plan:
    """What every chunk's rows depend on, besides its index and ids."""

    seed: int
    team: Team
    now: float
    calendar: Calendar
    sizes: list[int]  # conversations in each chunk, by index


def build_chunk(plan: Plan, index: int, ids: NextIds) -> DemoRows:
    rng = random.Random(f"desk-demo:{plan.seed}:{index}")
    return ChunkBuilder(rng, plan.team, ids, plan.now, plan.calendar).build(plan.sizes[index])


def ids_after(ids: NextIds, rows: DemoRows) -> NextIds:
    """The ids the next chunk starts at: each chunk's ids are consecutive."""
    return NextIds(
        contact=ids.contact + len(rows.contacts),
        conversation=ids.conversation + len(rows.conversations),
        message=ids.message + len(rows.messages),
    )


def chunks_from(plan: Plan, start: int, ids: NextIds) -> Iterator[Chunk]:
    """The chunks from index `start` on, the first one starting at `ids`."""
    for index in range(start, len(plan.sizes)):
        rows = build_chunk(plan, index, ids)
        yield index, ids, rows
        ids = ids_after(ids, rows)


class MadeAhead:
    """The chunks from `start` on, built ahead of the reader where a process can be forked.
    A context manager: leaving it stops the maker."""

    def __init__(self, plan: Plan, start: int, ids: NextIds) -> None:
        self.plan, self.start, self.ids = plan, start, ids
        self.process: multiprocessing.process.BaseProcess | None = None
        self.queue: Queue[Chunk | str] | None = None
        if FORK and len(plan.sizes) - start > 1:
            context = multiprocessing.get_context("fork")
            self.queue = context.Queue(maxsize=WAITING_CHUNKS)
            self.process = context.Process(
                target=_make, args=(self.queue, plan, start, ids, os.getpid()), daemon=True
            )
            self.process.start()

    def __iter__(self) -> Iterator[Chunk]:
        if self.process is None:
            yield from chunks_from(self.plan, self.start, self.ids)
            return
        for _ in range(self.start, len(self.plan.sizes)):
            yield self._next()

    def _next(self) -> Chunk:
        assert self.queue is not None and self.process is not None
        while True:
            try:
                item = self.queue.get(timeout=1.0)
            except queue.Empty:
                if not self.process.is_alive():
                    raise RuntimeError("The demo generator stopped unexpectedly.") from None
                continue
            if isinstance(item, str):  # the maker failed: its traceback
                raise RuntimeError(f"The demo generator failed:\n{item}")
            return item

    def __enter__(self) -> MadeAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            if self.process.is_alive():
                self.process.terminate()
            self.process.join()
            self.process.close()
        if self.queue is not None:
            self.queue.close()
            self.queue.cancel_join_thread()


def _make(out: Queue[Chunk | str], plan: Plan, start: int, ids: NextIds, parent: int) -> None:
    """The child process: every chunk from `start` on, into `out` (it waits while the writer
    has WAITING_CHUNKS to go, and stops when the writer is gone)."""
    gc.freeze()  # never collect (and so close) the parent's objects, its connections among them
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops this one
    try:
        for chunk in chunks_from(plan, start, ids):
            while True:
                try:
                    out.put(chunk, timeout=1.0)
                    break
                except queue.Full:
                    if os.getppid() != parent:  # the writer was killed: nobody will read
                        out.cancel_join_thread()  # (what the pipe holds never leaves)
                        return
    except Exception:
        out.put(traceback.format_exc())
    finally:
        out.close()
        out.join_thread()
