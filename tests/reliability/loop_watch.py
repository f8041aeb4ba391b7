"""How long the app's event loop was kept from answering: a heartbeat that notes its own delays.

A key is answered as soon as the loop is free, so the longest time the loop was held up is the
longest a key could wait. The heartbeat ticks every ``TICK`` seconds; each late tick is a stretch
in which the loop was held. Wall time alone would blame the app for a machine busy with other
work (CI, other tests): during a held stretch the process must also have been running, so the
stretch counts for no more than the CPU time the process used in it (all its threads: a worker
thread that holds the GIL holds up the loop too).
"""

from __future__ import annotations

import asyncio
import time
from types import TracebackType


class LoopWatch:
    """``async with LoopWatch() as watch: ...``; then ``watch.worst`` (seconds) and friends."""

    TICK = 0.01

    def __init__(self) -> None:
        self.worst = 0.0  # longest stretch the loop was held by this process's own work
        self.worst_wall = 0.0  # the same in wall time, whatever held it
        self.ticks = 0
        self._task: asyncio.Task[None] | None = None
        self._running = False

    async def __aenter__(self) -> LoopWatch:
        self._running = True
        self._task = asyncio.create_task(self._beat())
        await asyncio.sleep(0)
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._running = False
        if self._task is not None:
            await self._task

    async def _beat(self) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        while self._running:
            await asyncio.sleep(self.TICK)
            now_wall, now_cpu = time.perf_counter(), time.process_time()
            held = max(now_wall - wall - self.TICK, 0.0)
            self.worst_wall = max(self.worst_wall, held)
            self.worst = max(self.worst, min(held, now_cpu - cpu))
            self.ticks += 1
            wall, cpu = now_wall, now_cpu
