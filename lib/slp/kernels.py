"""The Jupyter kernels that execute a run's notebooks: private sockets, a retry, none left behind.

papermill starts one kernel per notebook. Started several at a time over TCP, two kernels can
race for the same random port (jupyter_client picks a free port, closes it, and the kernel binds
it a moment later), and a kernel whose run failed or was interrupted can outlive it. So slp's
kernels

* talk to the runner over private Unix sockets (``transport = "ipc"``, in a folder only this
  user can enter) wherever the platform has them: no ports to race for, nothing on the network,
  and no "Kernel is running over TCP without encryption" warning on stderr
  (``SLP_KERNEL_TRANSPORT=tcp`` goes back to TCP);
* are started again (up to :data:`START_ATTEMPTS` times) when the start itself fails the way a
  port race fails, before any cell ran;
* carry ``SLP_KERNEL_OWNER=<tag>`` in their environment and are recorded by process id, and
  :func:`reap` kills whatever is still alive of a run's kernels (the whole process group, so
  anything a notebook started goes too). Kernels also stop by themselves within a second
  when the process that started them dies (``JPY_PARENT_PID``).

Examples
--------
>>> group = KernelGroup()
>>> manager = group.manager_class()
>>> papermill.execute_notebook(src, out, kernel_manager_class=manager)  # doctest: +SKIP
>>> reap(manager.launched)  # doctest: +SKIP
[]
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import logging
import os
import shutil
import signal
import tempfile
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

#: Environment variable naming the run a kernel belongs to (see :func:`find_kernels`).
OWNER_VARIABLE = "SLP_KERNEL_OWNER"

#: How many times a notebook's kernel is started before a start failure is reported.
START_ATTEMPTS = 3

#: Messages of the exceptions a failed kernel start raises (jupyter_client, zmq).
_START_FAILURES = ("kernel died before replying to kernel_info", "didn't respond in",
                   "address already in use")

_socket_dir: str | None = None
_socket_lock = threading.Lock()


def default_transport() -> str:
    """``"ipc"`` (Unix sockets) on POSIX systems, ``"tcp"`` elsewhere."""
    return os.environ.get("SLP_KERNEL_TRANSPORT") or ("ipc" if os.name == "posix" else "tcp")


def socket_dir() -> str:
    """This process's private folder for kernel sockets (mode 0700, removed at exit)."""
    global _socket_dir
    with _socket_lock:
        if _socket_dir is None or not os.path.isdir(_socket_dir):
            # Short paths: a Unix socket path must fit in 107 bytes.
            base = "/tmp" if os.path.isdir("/tmp") else None
            _socket_dir = tempfile.mkdtemp(prefix="slp-kernels-", dir=base)
            atexit.register(shutil.rmtree, _socket_dir, ignore_errors=True)
        return _socket_dir


class SlpKernelManager(AsyncKernelManager):
    """An ``AsyncKernelManager`` with private IPC sockets and an owner tag.

    Use :meth:`KernelGroup.manager_class` to get a subclass for one notebook execution: its
    ``launched`` list collects the process ids of the kernels it started.
    """

    launched: list[int] = []
    group: KernelGroup | None = None

    @default("transport")
    def _default_transport(self) -> str:
        return default_transport()

    @default("ip")
    def _default_ip(self) -> str:
        if self.transport == "ipc":
            return os.path.join(socket_dir(), uuid.uuid4().hex[:12])
        return super()._ip_default()

    async def _async_interrupt_kernel(self) -> None:
        # jupyter_client interrupts a kernel before shutting it down; when nbclient shuts ours
        # down every cell has finished, and the interrupt only makes a kernel that is answering
        # a last request print "KeyboardInterrupt caught in kernel" on stderr.
        if self.shutting_down:
            return
        await super()._async_interrupt_kernel()

    async def _async_shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        group, pid = self.group, getattr(self.provisioner, "pid", None)
        if group is not None and pid:
            peak = peak_rss_mb(pid)
            if peak is not None:
                group.peak_mb[pid] = peak
        await super()._async_shutdown_kernel(now=now, restart=restart)

    shutdown_kernel = _async_shutdown_kernel

    async def start_kernel(self, **kw):  # type: ignore[override]
        env = dict(kw.pop("env", None) or os.environ)
        group = self.group
        if group is not None:
            if group.stopped.is_set():
                raise RuntimeError(f"kernel group {group.tag} was stopped")
            env[OWNER_VARIABLE] = group.tag
        await super().start_kernel(env=env, **kw)
        pid = getattr(self.provisioner, "pid", None)
        if pid:
            self.launched.append(pid)
            if group is not None:
                group.pids.append(pid)
                if group.stopped.is_set():  # stopped while this one was starting
                    reap([pid])


@dataclass
class KernelGroup:
    """The kernels of one run: a tag in their environment, their process ids, a stop switch.

    Attributes
    ----------
    tag : str
        The value of ``SLP_KERNEL_OWNER`` in every kernel of the group.
    pids : list of int
        Process ids of every kernel started so far.
    stopped : threading.Event
        Set by :meth:`stop`; no kernel starts afterwards.
    peak_mb : dict of int to float
        Peak resident memory of each kernel (by process id), read as it is shut down.
    """

    tag: str = field(default_factory=lambda: f"slp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    pids: list[int] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)
    peak_mb: dict[int, float] = field(default_factory=dict)

    def manager_class(self) -> type[SlpKernelManager]:
        """A :class:`SlpKernelManager` subclass for one notebook execution, whose own
        ``launched`` list holds the kernels it started (nbclient creates the manager itself,
        so the class is the handle)."""
        return type("SlpKernelManager", (SlpKernelManager,), {"launched": [], "group": self})

    def stop(self) -> list[int]:
        """Start no more kernels and kill those still alive; returns the ones killed."""
        self.stopped.set()
        return reap(self.pids)

    @contextlib.contextmanager
    def serving(self):
        """Mark the calling thread as running a notebook of this group: once the group is
        stopped, the "Kernel died" errors papermill logs for the kernels it killed are
        expected, and are not printed."""
        _install_filter()
        previous = getattr(_thread, "group", None)
        _thread.group = self
        try:
            yield self
        finally:
            _thread.group = previous


_thread = threading.local()
_filter_installed = False


class _StoppedGroupFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        group = getattr(_thread, "group", None)
        return group is None or not group.stopped.is_set()


def _install_filter() -> None:
    global _filter_installed
    with _socket_lock:
        if not _filter_installed:
            logging.getLogger("papermill").addFilter(_StoppedGroupFilter())
            _filter_installed = True


def is_start_failure(exc: BaseException) -> bool:
    """Whether ``exc`` is a kernel that failed to start (retry) rather than a notebook failure."""
    try:
        import zmq

        if isinstance(exc, zmq.ZMQError) and exc.errno == errno.EADDRINUSE:
            return True
    except ImportError:  # pragma: no cover - zmq comes with jupyter_client
        pass
    text = str(exc).lower()
    return isinstance(exc, RuntimeError | TimeoutError | OSError) and any(
        message in text for message in _START_FAILURES)


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet waited for, does not count)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: ask the kernel instead
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def peak_rss_mb(pid: int | None = None) -> float | None:
    """Peak resident memory (``VmHWM``) of a process (this one by default), in MiB; ``None``
    where ``/proc`` cannot tell. Unlike ``ru_maxrss`` it starts afresh at ``exec``, so a child
    is not charged with the memory of the process it was forked from."""
    return _status_mb("VmHWM", pid)


def rss_mb(pid: int | None = None) -> float | None:
    """Resident memory now (``VmRSS``) of a process (this one by default), in MiB; ``None``
    where ``/proc`` cannot tell."""
    return _status_mb("VmRSS", pid)


def _status_mb(field: str, pid: int | None) -> float | None:
    try:
        with open(f"/proc/{pid or 'self'}/status") as handle:
            for line in handle:
                if line.startswith(f"{field}:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def reap(pids: Iterable[int]) -> list[int]:
    """Kill the process group of every kernel in ``pids`` that is still alive.

    Kernels are started as session leaders, so the group holds the kernel and anything its
    notebook started. Returns the process ids that were still alive.
    """
    survivors = []
    for pid in list(pids):
        if not _alive(pid):
            continue
        survivors.append(pid)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            if hasattr(os, "killpg"):
                os.killpg(pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                os.kill(pid, signal.SIGTERM)
        with contextlib.suppress(ChildProcessError):  # our own child: do not leave a zombie
            os.waitpid(pid, os.WNOHANG)
    return survivors


def find_kernels(owner: str | None = None) -> list[int]:
    """Process ids of running slp kernels (of one ``owner``, or any), from their environment.

    Used by tests and benchmarks to prove that no kernel outlived its run. Needs ``psutil``
    (installed with dask's distributed).
    """
    import psutil

    found = []
    for proc in psutil.process_iter(["pid", "status"]):
        try:
            if proc.info["status"] == psutil.STATUS_ZOMBIE:
                continue
            value = proc.environ().get(OWNER_VARIABLE)
        except (psutil.Error, OSError):
            continue
        if value is not None and (owner is None or value == owner):
            found.append(proc.info["pid"])
    return found
