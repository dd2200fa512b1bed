"""A second core for a big plan: a forked child process that does part of the work and
streams its results back, pickled, while the parent does the rest.

`Share` is the one way work is split (parsing files in `sources`, running rules in
`engine`): the child works through its items from the front; the parent, once its own work
is done, takes items back from the tail rather than wait, and waits only for the last one.
Nothing depends on the child: if it cannot start, fails or dies, the parent does what did
not arrive itself, so the output is the same either way. Linux only (elsewhere `fork` is
missing or unsafe with system libraries).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Generic, TypeVar

from cascade import speed

Send = Callable[[Any], None]
Item = TypeVar("Item", bound=Hashable)
Value = TypeVar("Value")


def cores() -> int:
    """The cores this process may run on: the CPUs it may be scheduled on, fewer when a
    CPU quota (a container's `--cpus`, cgroup v2's `cpu.max`) allows less than that."""
    try:
        count = len(os.sched_getaffinity(0))
    except AttributeError:
        count = os.cpu_count() or 1
    quota = _cpu_quota()
    return min(count, quota) if quota is not None else count


def _cpu_quota(path: str = "/sys/fs/cgroup/cpu.max") -> int | None:
    """Whole CPUs the cgroup quota allows (at least one); None when there is no quota."""
    try:
        with open(path, encoding="ascii") as file:
            limit, period = file.read().split()[:2]
        if limit == "max":
            return None
        return max(1, int(limit) // int(period))
    except (OSError, ValueError):
        return None


def available() -> bool:
    """Whether a helper process can run beside this one."""
    return sys.platform.startswith("linux") and cores() >= 2 and speed.on("helper")


class Helper:
    """The parent's end: the child's pid and the pipe its results come through."""

    def __init__(self, pid: int, stream: Any) -> None:
        self.pid = pid
        self.stream = stream
        self.alive = True

    @classmethod
    def fork(cls, work: Callable[[Send], None]) -> Helper | None:
        """Run `work(send)` in a forked child; each `send(value)` reaches `receive`.

        None when no child could be started (the caller then does all the work).
        """
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return None
        import warnings

        with warnings.catch_warnings():
            # Python 3.12 warns about forking with threads running (a progress bar's, say):
            # the child takes no lock of theirs, it only computes and writes to its pipe.
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                pid = os.fork()
            except OSError:
                os.close(read_end)
                os.close(write_end)
                return None
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _child(work, write_end)
        os.close(write_end)
        # Unbuffered, so that `ready` can ask the pipe itself whether a frame is waiting.
        return cls(pid, os.fdopen(read_end, "rb", buffering=0))

    def ready(self) -> bool:
        """Whether `receive` would answer without waiting: something was sent, or the
        child is gone."""
        if not self.alive:
            return True
        import select

        try:
            return bool(select.select([self.stream], [], [], 0)[0])
        except (OSError, ValueError):
            return True  # `receive` will find out what is wrong, and say it is the end

    def receive(self) -> tuple[bool, Any]:
        """(True, the next value sent), waiting for it; (False, None) once the child has
        finished or failed: nothing more will come."""
        if not self.alive:
            return False, None
        import pickle

        try:
            header = self._read(8)
            size = int.from_bytes(header, "little") if len(header) == 8 else 0
            frame = self._read(size) if size else b""
            if size and len(frame) == size:
                return True, pickle.loads(frame)
        except Exception:
            pass  # a broken frame counts as the end: the parent does the rest
        self.alive = False
        return False, None

    def _read(self, size: int) -> bytearray:
        """`size` bytes from the pipe, or fewer when it ends first."""
        frame = bytearray(size)
        view = memoryview(frame)
        got = 0
        while got < size:
            count = self.stream.readinto(view[got:])
            if not count:
                break
            got += count
        view.release()
        del frame[got:]
        return frame

    def close(self) -> None:
        """Stop the child (done, or no longer needed) and reap it."""
        import signal

        self.stream.close()
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(self.pid, 0)


def _child(work: Callable[[Send], None], fd: int) -> None:
    """In the forked child: run `work`, writing what it sends in frames; then exit at once,
    without any of the parent's clean-up (its files, its atexit handlers)."""
    status = 1
    try:
        import gc
        import pickle
        import signal
        import threading
        from collections import deque

        gc.disable()  # a short life: collecting would only copy the parent's memory
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: just go, quietly
        frames: deque[bytes | None] = deque()
        ready = threading.Semaphore(0)

        def write() -> None:
            # A thread of its own, so the work goes on while the parent is not reading.
            while True:
                ready.acquire()
                frame = frames.popleft()
                if frame is None:
                    return
                view = memoryview(len(frame).to_bytes(8, "little") + frame)
                try:
                    while view:
                        view = view[os.write(fd, view) :]
                except OSError:
                    return  # the parent stopped reading: it no longer needs us

        def send(value: Any) -> None:
            frames.append(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            ready.release()

        writer = threading.Thread(target=write)
        writer.start()
        work(send)
        frames.append(None)
        ready.release()
        writer.join()
        status = 0
    except BaseException:
        pass  # whatever went wrong, the parent does what did not arrive
    finally:
        os._exit(status)


class Share(Generic[Item, Value]):
    """The items a helper process computes, front first, and what it has sent back so far.

    The child sends lists of (item, value) in item order, a frame whenever the items in
    hand weigh `frame` or more. The parent reads what has arrived without waiting
    (`arrived`), and when it has nothing else to do, `drain` finishes the share: it takes
    items back from the tail while nothing has arrived and computes them itself.
    """

    def __init__(self, child: Helper, items: list[Item]) -> None:
        self.helper = child
        self.assigned = set(items)  # the child's, not taken back
        self.pending = deque(items)  # neither sent nor taken back, in order
        self.ready: dict[Item, Value] = {}
        self.order = {item: n for n, item in enumerate(items)}

    @classmethod
    def fork(
        cls,
        items: list[Item],
        compute: Callable[[Item], Value],
        weigh: Callable[[Item], int] = lambda _: 1,
        frame: int = 1,
    ) -> Share[Item, Value] | None:
        """A child computing `compute(item)` for each item; None when none could start."""

        def work(send: Send) -> None:
            batch: list[tuple[Item, Value]] = []
            size = 0
            for item in items:
                batch.append((item, compute(item)))
                size += weigh(item)
                if size >= frame:
                    send(batch)
                    batch, size = [], 0
            if batch:
                send(batch)

        child = Helper.fork(work)
        return cls(child, items) if child is not None else None

    def arrived(self) -> tuple[Item, Value] | None:
        """The first (in item order) of the values the child has sent, reading what has
        arrived without waiting; None when none is ready."""
        while not self.ready and self.helper.alive and self.helper.ready():
            self._read_frame()
        return self._first()

    def drain(self, here: Callable[[Item], Value]) -> Iterator[tuple[Item, Value]]:
        """Every (item, value) not yet handed out, once the parent's own work is done: what
        arrives, and the last items computed here by `here` while the child is busy with
        two or more; when the child is gone, whatever it did not send is done here."""
        while True:
            found = self.arrived()
            if found is not None:
                yield found
            elif len(self.pending) > 1 and not self.helper.ready():
                item = self._take_back()
                yield item, here(item)
            elif self.pending and self.helper.alive:
                self._read_frame()  # waits
            elif self.pending:
                item = self._take_back()
                yield item, here(item)
            else:
                return

    def close(self) -> None:
        self.helper.close()

    def _read_frame(self) -> None:
        received, batch = self.helper.receive()
        if not received:
            return
        for item, value in batch:
            if item in self.assigned:  # not taken back meanwhile
                self.ready[item] = value
        # The child sends its items in order, so what it sent is the front of what is
        # pending (items taken back from the end are gone from it already).
        sent = {item for item, _ in batch}
        while self.pending and self.pending[0] in sent:
            self.pending.popleft()

    def _first(self) -> tuple[Item, Value] | None:
        if not self.ready:
            return None
        item = min(self.ready, key=self.order.__getitem__)
        return item, self.ready.pop(item)

    def _take_back(self) -> Item:
        item = self.pending.pop()
        self.assigned.discard(item)
        return item
