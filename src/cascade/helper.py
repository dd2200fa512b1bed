"""A second core for a big plan: a forked child process that does part of the work and
streams its results back, pickled, while the parent does the rest.

Nothing depends on the child: if it cannot start, fails or dies, the parent does what did
not arrive itself, so the output is the same either way. Linux only (elsewhere `fork` is
missing or unsafe with system libraries).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any

from cascade import speed

Send = Callable[[Any], None]


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
