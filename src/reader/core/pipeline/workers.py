"""The build's worker processes: plain child Pythons (``python -m reader.core.pipeline.workers``)
that run the calls they are sent, pickled over their stdin, and answer over their stdout.

Why not ``multiprocessing``: its spawn start method always starts a resource-tracker process
(~12 MB more at a 100k build's peak), and each worker re-imports the parent's main module
(the app's, in the app). A worker here imports only what its calls need, and nothing else
runs beside the build. As with a process pool, calls go to whichever worker is free first,
in the order they were submitted; a worker that dies breaks the pool (``BrokenProcessPool``:
the build then carries on in its own process); a worker whose parent was killed leaves.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import BrokenExecutor, Future
from pathlib import Path
from typing import IO, Any

from reader.core.pipeline.processes import exit_with_parent

_READY, _PROGRESS, _RESULT, _ERROR = "ready", "progress", "result", "error"  # a worker's messages
_MODULE = "reader.core.pipeline.workers"
_LENGTH = struct.Struct("!Q")  # the length of each message
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[3])  # the folder holding ``reader``


class BrokenProcessPool(BrokenExecutor):
    """A worker process ended unexpectedly, or none could start. Not the one of
    ``concurrent.futures.process``: importing that brings ``multiprocessing``, ~1.4 MB in the
    main process and in each worker of a build, for an exception class."""


class WorkerPool:
    """``count`` worker processes, their calls' futures, and the files-done counts they report
    (``progress``, read with ``get_nowait``)."""

    def __init__(self, count: int) -> None:
        if getattr(sys, "frozen", False):  # sys.executable is the app itself, not a Python
            raise BrokenProcessPool("no Python to start worker processes with")
        self.progress: queue.Queue[int] = queue.Queue()
        self._lock = threading.RLock()  # a failed hand-over breaks the pool while dispatching
        self._waiting: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()
        self._idle: list[_Worker] = []
        self._workers: list[_Worker] = []
        self._broken = False
        try:
            for _ in range(count):
                self._workers.append(_Worker(self))
        except OSError as error:
            self.terminate()
            raise BrokenProcessPool(f"worker processes could not start: {error}") from error

    def submit(self, call: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        with self._lock:
            if self._broken:
                future.set_exception(BrokenProcessPool("a worker process ended unexpectedly"))
            else:
                self._waiting.append((future, call, args))
                self._dispatch()
        return future

    def _dispatch(self) -> None:
        """Hand waiting calls to idle workers (with the lock held)."""
        while self._idle and self._waiting:
            future, call, args = self._waiting.popleft()
            if not future.set_running_or_notify_cancel():
                continue
            worker = self._idle.pop(0)
            worker.start(future, call, args)

    def finished(self, worker: _Worker) -> None:
        """``worker`` has started or answered its call: give it the next."""
        with self._lock:
            self._idle.append(worker)
            self._dispatch()

    def broke(self) -> None:
        """A worker ended without answering: fail every call not answered yet."""
        with self._lock:
            self._broken = True
            failed = [future for future, _, _ in self._waiting] + [w.call for w in self._workers if w.call]
            self._waiting.clear()
        for future in failed:
            if not future.done():
                future.set_exception(BrokenProcessPool("a worker process ended unexpectedly"))

    def terminate(self) -> None:
        """End every worker now: what they were running is lost."""
        with self._lock:
            self._waiting.clear()
        for worker in self._workers:
            worker.stopping = True
            worker.process.terminate()
        for worker in self._workers:
            worker.wait(timeout=5)  # one caught in a disk write dies when the write returns

    def close(self) -> None:
        """Let the workers finish their calls and leave (their stdin ends), and wait for them;
        at once if the pool is broken (what the others build would be thrown away)."""
        if self._broken:
            self.terminate()
        with self._lock:
            self._waiting.clear()
        for worker in self._workers:
            worker.stopping = True
            worker.close_input()
        for worker in self._workers:
            worker.wait(timeout=None)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Worker:
    """One child process, and the thread reading its answers."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool
        self.call: Future[Any] | None = None  # the call it is running
        self.stopping = False  # ended on purpose: its end breaks nothing
        paths = [_PACKAGE_PARENT, os.environ.get("PYTHONPATH")]  # the same reader as this process
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, paths))}
        self.process = subprocess.Popen(  # noqa: S603 - this Python, our own module
            [sys.executable, "-P", "-m", _MODULE, str(os.getpid())],  # -P: not the cwd's modules
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def start(self, future: Future[Any], call: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.call = future
        try:
            _send(self.process.stdin, (call, args))
        except (OSError, ValueError):  # it has ended
            self.pool.broke()

    def _read(self) -> None:
        while True:
            try:
                data = _receive(self.process.stdout)
            except (EOFError, OSError, ValueError):
                break
            try:
                kind, value = pickle.loads(data)  # noqa: S301 - our own worker's answers
            except Exception as error:  # noqa: BLE001 - an answer that cannot be read fails its call
                kind, value = _ERROR, error
            if kind == _PROGRESS:
                self.pool.progress.put(value)
                continue
            if kind == _READY:  # calls go to workers ready for them: a slow starter takes none yet
                self.pool.finished(self)
                continue
            future, self.call = self.call, None
            if future is not None and kind == _RESULT:
                future.set_result(value)
            elif future is not None:
                future.set_exception(value)
            self.pool.finished(self)
        if not self.stopping:
            self.pool.broke()

    def close_input(self) -> None:
        if self.process.stdin is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass

    def wait(self, timeout: float | None) -> None:
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return
        self.close_input()
        self.reader.join()
        if self.process.stdout is not None:
            self.process.stdout.close()


def _send(pipe: IO[bytes] | None, message: object) -> None:
    """One message: its length, then its pickle (read whole, so one that cannot be unpickled
    leaves the next readable)."""
    assert pipe is not None
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    pipe.write(_LENGTH.pack(len(data)) + data)
    pipe.flush()


def _receive(pipe: IO[bytes] | None) -> bytes:
    """The next message's pickle; EOFError once the pipe has ended."""
    assert pipe is not None
    head = pipe.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        raise EOFError
    (length,) = _LENGTH.unpack(head)
    data = pipe.read(length)
    if len(data) < length:
        raise EOFError
    return data


# --- the worker process -----------------------------------------------------------------------


class _Answers:
    """The worker's side of the answer pipe; ``put(count)`` reports files done, as a queue would."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self.pipe = pipe

    def put(self, count: int) -> None:
        _send(self.pipe, (_PROGRESS, count))

    def answer(self, data: bytes) -> None:
        """Run the call pickled in ``data`` and send its result, or its error."""
        try:
            call, args = pickle.loads(data)  # noqa: S301 - our own parent's calls
            message: tuple[str, Any] = (_RESULT, call(*args))
        except Exception as error:  # noqa: BLE001 - handed to the parent, as a pool would
            message = (_ERROR, _portable(error))
        try:
            _send(self.pipe, message)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            _send(self.pipe, (_ERROR, RuntimeError(f"a worker's answer could not be sent: {error!r}")))


def _portable(error: Exception) -> Exception:
    """``error``, or a RuntimeError saying what it was when it would not unpickle in the parent
    (an exception class whose constructor wants other arguments than it was given)."""
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    except Exception:  # noqa: BLE001 - any failure means: send a plain one
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def serve(parent: int) -> None:
    """Run calls from stdin until it ends; answers and progress go to the real stdout, and
    anything else printed goes to stderr."""
    answers = _Answers(os.fdopen(os.dup(sys.stdout.fileno()), "wb"))
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    threading.Thread(target=exit_with_parent, args=(parent,), daemon=True).start()
    from reader.core.pipeline import stages

    stages.progress_to(answers)
    _send(answers.pipe, (_READY, None))
    while True:
        try:
            data = _receive(sys.stdin.buffer)
        except EOFError:
            return
        answers.answer(data)


if __name__ == "__main__":
    serve(int(sys.argv[1]))
