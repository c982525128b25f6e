"""A batch of assessment runs: many boroughs or parameters files, run in parallel, one outcome each.

``slp run`` with several parameters files, or with ``--boroughs`` or ``--areas``, builds a list
of :class:`~slp.params.Params` (:func:`for_boroughs` and :func:`for_areas` give the same
sources and period for other boroughs, or for the other authorities of a police force) and
hands it to an executor:

* :func:`run_local` runs ``jobs`` borough-periods at once in worker processes on this machine
  (each worker runs its notebooks one at a time, so ``jobs`` is also the number of kernels);
* :func:`run_dask` sends each borough-period to an existing Dask distributed cluster as one
  task; the workers write into the same ``reports`` folder, which must be shared.

A run that fails (bad data, a failing notebook, a lost worker) becomes a failed
:class:`Outcome` and never stops the others; :func:`exit_code` turns the outcomes into the
command's exit status.

Examples
--------
>>> runs = for_boroughs(params.load("params/lewisham-2022-09.yaml"), "all")  # doctest: +SKIP
>>> outcomes = run_local(runs, Path("reports"), jobs=2)  # doctest: +SKIP
>>> exit_code(outcomes)  # doctest: +SKIP
0
"""

from __future__ import annotations

import contextlib
import functools
import os
import queue
import signal
import socket
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from slp.boroughs import DEMO_BOROUGHS, LONDON_BOROUGHS, is_demo_borough
from slp.errors import ParamsError, SlpError
from slp.frame import Frame
from slp.params import Params, known_boroughs
from slp.suggest import did_you_mean

#: Exit status of a run that failed for a reason other than bad input or a notebook (a worker
#: process died, the cluster lost the task, a bug).
EXIT_OTHER = 1


@dataclass(frozen=True)
class Outcome:
    """How one borough-period run of a batch went.

    Attributes
    ----------
    label : str
        ``"<borough> <period_end>"``, as shown in progress and the summary.
    ok : bool
        Whether the report was written.
    index : str or None
        The period's ``index.html`` when ``ok``.
    error : str or None
        One line saying what went wrong (names the file, notebook or cell) when not ``ok``.
    exit_code : int
        0, or 2 (bad input), 3 (a notebook failed), 1 (anything else).
    seconds : float
        Wall-clock time of the run.
    worker : str
        ``host:pid`` of the process that ran it.
    worker_rss_mb : float or None
        Resident memory of that process just after the run.
    worker_peak_mb : float or None
        Peak resident memory of that process so far (it may have run earlier runs too).
    kernel_peak_mb : float or None
        Peak resident memory of the largest kernel of this run.
    """

    label: str
    ok: bool
    index: str | None = None
    error: str | None = None
    exit_code: int = 0
    seconds: float = 0.0
    worker: str = ""
    worker_rss_mb: float | None = None
    worker_peak_mb: float | None = None
    kernel_peak_mb: float | None = None


def label(params: Params) -> str:
    """``"<borough> <period_end>"``."""
    return f"{params.borough} {params.period_end}"


def for_boroughs(params: Params, spec: str) -> list[Params]:
    """The same sources, period and settings as ``params`` for other boroughs.

    Parameters
    ----------
    params : Params
        The template run.
    spec : str
        ``"all"`` (the 32 London boroughs, or the 32 demo boroughs when ``params`` is the demo)
        or a comma-separated list of borough names (any case).

    Returns
    -------
    list of Params
        One per borough, in the order given (alphabetical for ``all``). Comparators are kept
        except the borough itself; with ``all`` they are kept only when they are of the same
        kind (London or demo).

    Raises
    ------
    ParamsError
        An unknown borough name, naming it (with a suggestion) and what was expected.
    """
    text = str(spec).strip()
    if params.sources.police_uk:  # the areas of a police.uk run are its force's authorities
        return for_areas(params, text)
    demo = is_demo_borough(params.borough)
    if text.lower() == "all":
        names = list(DEMO_BOROUGHS) if demo else list(LONDON_BOROUGHS)
    else:
        known = known_boroughs()
        names = []
        for raw in (part.strip() for part in text.split(",")):
            if not raw:
                continue
            if raw.lower() not in known:
                raise ParamsError(f"--boroughs: '{raw}' is not a London borough"
                                  f"{did_you_mean(raw, known.values())}; expected 'all' or "
                                  "names separated by commas, e.g. Lewisham,Greenwich")
            if known[raw.lower()] not in names:
                names.append(known[raw.lower()])
        if not names:
            raise ParamsError("--boroughs: no borough given; expected 'all' or names separated "
                              "by commas, e.g. Lewisham,Greenwich")
    runs = []
    for name in names:
        comparators = tuple(c for c in params.comparators
                            if c != name and is_demo_borough(c) == is_demo_borough(name))
        runs.append(replace(params, borough=name, comparators=comparators))
    return runs


#: ``--areas`` value for every authority of the run's force (every borough for London).
ALL_IN_FORCE = "all-in-force"


def force_frame(params: Params, *, cache_dir: Path | None = None) -> Frame:
    """The areas a run on ``params`` can be compared with: the authorities of the force whose
    police.uk files it reads (read through the cache, as the run itself reads them), or
    London's 32 boroughs (the demo's for the demo)."""
    s = params.sources
    if not s.police_uk:
        return Frame.london(DEMO_BOROUGHS if is_demo_borough(params.borough) else LONDON_BOROUGHS)
    from slp import cache
    from slp.sources.police_uk import read_police_uk

    crime = cache.cached(read_police_uk, list(s.police_uk), cache_dir=cache_dir,
                         lookup=s.lsoa_ward_lookup)
    return Frame.of_force(crime.force or "police force", crime.data["borough"].unique())


def for_areas(params: Params, spec: str, *, cache_dir: Path | None = None) -> list[Params]:
    """The same sources, period and settings as ``params`` for other areas of its frame.

    Parameters
    ----------
    params : Params
        The template run.
    spec : str
        ``"all-in-force"`` (or ``"all"``): every authority of the force whose police.uk files
        the run reads (:func:`force_frame`), every London (or demo) borough for the MPS files;
        or names (any case) or GSS codes separated by commas.
    cache_dir : Path, optional
        The Parquet cache the police.uk files are read through (default: the project's).

    Returns
    -------
    list of Params
        One per area, alphabetical for ``all-in-force``, else in the order given. Comparators
        are kept except the area itself.

    Raises
    ------
    ParamsError
        A name that is not an area of the frame, naming it (with a suggestion) and the frame.

    Examples
    --------
    >>> runs = for_areas(params.load("params/newport-2025-06.yaml"), "all-in-force")  # doctest: +SKIP
    >>> [r.borough for r in runs]  # doctest: +SKIP
    ['Blaenau Gwent', 'Caerphilly', 'Monmouthshire', 'Newport', 'Torfaen']
    """
    frame = force_frame(params, cache_dir=cache_dir)
    text = str(spec).strip()
    if text.lower() in (ALL_IN_FORCE, "all"):
        names = list(frame.members)
    else:
        names = []
        for raw in (part.strip() for part in text.split(",") if part.strip()):
            name = _area_named(raw, frame, params)
            if name not in names:
                names.append(name)
    if not names:
        raise ParamsError(f"--areas: no area given; expected '{ALL_IN_FORCE}' or names "
                          f"separated by commas, e.g. {','.join(frame.members[:2])}")
    return [replace(params, borough=name,
                    comparators=tuple(c for c in params.comparators
                                      if c != name and c in frame.members))
            for name in names]


def _area_named(raw: str, frame: Frame, params: Params) -> str:
    """The member of ``frame`` that ``raw`` names (any case, or its GSS code)."""
    from slp import authorities

    by_name = {m.lower(): m for m in frame.members}
    lookup = params.sources.lsoa_ward_lookup
    known = authorities.read(lookup) if lookup else None
    found = by_name.get(raw.lower()) or (known.resolve(raw) if known else None)
    if found in frame.members:
        return found
    raise ParamsError(f"--areas: '{raw}' is not one of {frame.members_phrase}"
                      f"{did_you_mean(raw, frame.members)}; expected '{ALL_IN_FORCE}' or names "
                      f"separated by commas, e.g. {','.join(frame.members[:2])}")


def exit_code(outcomes: Sequence[Outcome]) -> int:
    """0 when every run succeeded, else the largest failed code: 3 (a notebook failed) over
    2 (bad input) over 1 (anything else)."""
    return max((o.exit_code for o in outcomes if not o.ok), default=0)


def run_one(params: Params, reports: str | os.PathLike, *, sections=None, jobs: int = 1,
            progress: Callable[[str], None] | None = None) -> Outcome:
    """Run one borough-period (see :func:`slp.report.run_period`) and say how it went.

    Never raises for a failed run (only for ``KeyboardInterrupt``): the error becomes the
    outcome's one-line ``error`` and ``exit_code``.
    """
    from slp import report
    from slp.kernels import peak_rss_mb, rss_mb

    start = time.perf_counter()
    fields = {}
    stats: dict = {}
    try:
        index = report.run_period(params, Path(reports), sections=sections, progress=progress,
                                  jobs=jobs, stats=stats)
        fields = {"ok": True, "index": str(index)}
    except SlpError as exc:
        fields = {"ok": False, "error": str(exc), "exit_code": exc.exit_code}
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a bug or a broken environment: one line, not a traceback
        where = traceback.extract_tb(exc.__traceback__)[-1:] or None
        at = f" (at {Path(where[0].filename).name}:{where[0].lineno})" if where else ""
        fields = {"ok": False, "error": f"{type(exc).__name__}: {exc}{at}",
                  "exit_code": EXIT_OTHER}
    return Outcome(label=label(params), seconds=time.perf_counter() - start,
                   worker=f"{socket.gethostname()}:{os.getpid()}", worker_rss_mb=rss_mb(),
                   worker_peak_mb=peak_rss_mb(), kernel_peak_mb=stats.get("kernel_peak_mb"),
                   **fields)


# --------------------------------------------------------------------------------------------
# local worker processes

#: ``on_event(index, kind, text)``: kind is "started", "message" (a progress line of the
#: run, e.g. "finished 00-summary.ipynb") or "done".
Event = Callable[[int, str, str], None]

_events = None  # the worker's queue back to the parent
_busy = False  # the worker is running a run
_stopping = False  # the worker was told to stop


def _init_worker(events) -> None:
    global _events
    _events = events
    signal.signal(signal.SIGINT, _stop_worker)
    signal.signal(signal.SIGTERM, _stop_worker)


def _stop_worker(signum, frame) -> None:
    """Ctrl-C or a stop from the parent: a busy worker interrupts its run (which kills its
    kernels and removes its temporary folder); an idle one leaves quietly."""
    global _stopping
    if _stopping:
        return  # already cleaning up: let it finish
    _stopping = True
    if _busy:
        raise KeyboardInterrupt
    os._exit(128 + signum)


def _worker_run(i: int, params: Params, reports: str, sections, jobs: int) -> Outcome:
    global _busy

    def say(message: str) -> None:
        _events.put((i, "message", message))

    _events.put((i, "started", f"{socket.gethostname()}:{os.getpid()}"))
    _busy = True
    try:
        return run_one(params, reports, sections=sections, jobs=jobs, progress=say)
    finally:
        _busy = False


def run_local(runs: Sequence[Params], reports: str | os.PathLike, *, jobs: int | None = None,
              sections=None, on_event: Event | None = None) -> list[Outcome]:
    """Run every borough-period on this machine, ``jobs`` at a time; one outcome per run.

    Parameters
    ----------
    runs : sequence of Params
        The runs, each already validated.
    reports : path
        The reports folder.
    jobs : int, optional
        Kernels at once (default: the CPU cores). With fewer runs than ``jobs`` the runs share
        them out and execute several notebooks each at once.
    sections : list of slp.execution.Section, optional
        The notebooks (default: all of them).
    on_event : callable, optional
        Progress: see :data:`Event`.

    Each run goes to a worker process (started once, reused for the next run), so a run
    that crashes Python takes only its own run with it: the runs that had not started are
    started again in new workers.
    """
    import multiprocessing

    from slp.execution import default_jobs

    jobs = jobs or default_jobs()
    workers = max(1, min(jobs, len(runs)))
    context = multiprocessing.get_context("spawn")
    events = _Events(context.Queue(), on_event or (lambda i, kind, text: None))
    round_ = functools.partial(_round, runs, str(Path(reports).resolve()), sections,
                               max(1, jobs // workers), context, events)
    outcomes: dict[int, Outcome] = {}
    pending = list(range(len(runs)))
    try:
        while pending:
            broken = round_(pending, min(workers, len(pending)), outcomes)
            time.sleep(0.2)  # let the event reader catch up with "started" messages
            lost = [i for i in pending if i not in outcomes]
            if not broken or not lost:
                break
            # A worker died (out of memory, a crash in a C library): the runs it held fail,
            # the runs no worker had started yet go to new workers.
            dead = [i for i in lost if i in events.started] or lost
            for i in dead:
                outcomes[i] = Outcome(label(runs[i]), ok=False, exit_code=EXIT_OTHER,
                                      error="the worker process running it died (killed or "
                                            "out of memory)")
                events.notify(i, "done", "failed")
            pending = [i for i in lost if i not in outcomes]
    finally:
        events.close()
    return [outcomes[i] for i in range(len(runs))]


class _Events:
    """The workers' progress messages, read in a thread and passed on to ``notify``; records
    which runs started and the workers' process ids."""

    def __init__(self, events, notify: Event):
        self.queue, self.notify = events, notify
        self.started: set[int] = set()
        self.worker_pids: set[int] = set()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._pump, name="slp-batch-events", daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        while not self._stop.is_set():
            try:
                i, kind, text = self.queue.get(timeout=0.1)
            except queue.Empty:
                continue
            except (EOFError, OSError):
                return
            if kind == "started":
                self.started.add(i)
                self.worker_pids.add(int(text.rsplit(":", 1)[1]))
            self.notify(i, kind, text)

    def close(self) -> None:
        self._stop.set()
        self._reader.join(timeout=5)
        self.queue.close()


def _round(runs: Sequence[Params], reports: str, sections, notebook_jobs: int, context,
           events: _Events, pending: list[int], workers: int,
           outcomes: dict[int, Outcome]) -> bool:
    """Run ``pending`` in a new pool of ``workers`` processes, filling ``outcomes``; return
    whether the pool broke (a worker died), leaving the runs it held without an outcome."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=_init_worker, initargs=(events.queue,))
    broken = False
    try:
        futures = {pool.submit(_worker_run, i, runs[i], reports, sections, notebook_jobs): i
                   for i in pending}
        waiting = set(futures)
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            for future in done:
                i = futures[future]
                try:
                    outcomes[i] = future.result()
                except BrokenProcessPool:
                    broken = True
                    continue
                except Exception as exc:  # could not even send the run
                    outcomes[i] = Outcome(label(runs[i]), ok=False, exit_code=EXIT_OTHER,
                                          error=f"{type(exc).__name__}: {exc}")
                events.notify(i, "done", "ok" if outcomes[i].ok else "failed")
    except BaseException:
        # Ctrl-C or SIGTERM: every worker stops its run (and its kernels) and leaves.
        for pid in events.worker_pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return broken


# --------------------------------------------------------------------------------------------
# a Dask distributed cluster


def run_dask(runs: Sequence[Params], reports: str | os.PathLike, *, scheduler: str,
             sections=None, jobs: int = 1, on_event: Event | None = None,
             timeout: float = 30) -> list[Outcome]:
    """Send every borough-period to an existing Dask distributed cluster, one task each.

    Parameters
    ----------
    runs : sequence of Params
        The runs; their input paths must be readable at the same paths on every worker.
    reports : path
        The reports folder, shared by every worker (same path everywhere).
    scheduler : str
        The scheduler's address, e.g. ``tcp://10.0.0.5:8786``.
    sections : list of slp.execution.Section, optional
        The notebooks (their paths must exist on the workers).
    jobs : int
        Notebooks each task executes at once (default 1: the cluster's parallelism comes from
        its worker threads).
    on_event : callable, optional
        Progress: see :data:`Event` ("started" is not reported; "done" is).
    timeout : float
        Seconds to wait for the scheduler.

    Raises
    ------
    SlpError
        The scheduler cannot be reached (exit status 2).
    """
    try:
        from distributed import Client, as_completed
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise SlpError("--executor dask needs the 'distributed' package") from exc

    reports = str(Path(reports).resolve())
    notify = on_event or (lambda i, kind, text: None)
    try:
        client = Client(scheduler, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise SlpError(f"--scheduler: cannot reach the Dask scheduler at '{scheduler}' "
                       f"({type(exc).__name__}: {exc}); expected an address like "
                       "tcp://host:8786 of a running 'dask scheduler'") from None
    outcomes: dict[int, Outcome] = {}
    try:
        futures = {}
        for i, params in enumerate(runs):
            key = f"slp-run-{params.slug}-{params.period_end}-{os.getpid()}-{i}"
            future = client.submit(run_one, params, reports, sections=sections, jobs=jobs,
                                   key=key, pure=False, retries=0)
            futures[future] = i
        for future in as_completed(futures, loop=client.loop):
            i = futures[future]
            try:
                outcomes[i] = future.result()
            except Exception as exc:  # the task itself failed: a lost worker, a killed task
                outcomes[i] = Outcome(label(runs[i]), ok=False, exit_code=EXIT_OTHER,
                                      error=f"on the Dask cluster: {type(exc).__name__}: {exc}")
            notify(i, "done", "ok" if outcomes[i].ok else "failed")
    finally:
        client.close()
    return [outcomes[i] for i in range(len(runs))]
