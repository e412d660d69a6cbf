#!/usr/bin/env python3
"""tvp_ref.py - tvp's workloads as the Python threading tutorial writes them.

tvp's python-sequential, python-threads and python-processes back ends
(python/backend.c) run this script; each workload has one function per model:

    sequential  a plain loop in one interpreter
    threads     threading.Thread workers in one interpreter: the GIL lets
                only one of them run Python bytecode at a time
    processes   concurrent.futures.ProcessPoolExecutor: one interpreter, and
                so one GIL, per worker

Workloads: squares (results by index), counter (a shared count with and
without a Lock), prodcons (queue.Queue, task_done/join, None sentinels) and
fetch (pool executors, as_completed, try/except per future). Compare them
with tvp's C back ends: threads/squares.c is squares_threads without a GIL,
processes/squares.c is squares_processes without pickling.

The script never decides whether a result is correct. It computes, times
its own section (interpreter start-up, argument parsing and handing back the
results are not in it), and sends the raw results to tvp, which verifies
them in C with the same verify() as every other back end. Protocol, on the
file descriptor given by --out-fd, in native byte order:

    b"TVP1", float64 seconds timed, float64 user and float64 system CPU
             seconds of the same section (threads and reaped children
             included), uint64 payload length, payload
    b"TVPE", uint64 message length, UTF-8 message      (the run failed)

By hand (skip the 36-byte header, print the eight-byte results):

    python3 python/tvp_ref.py squares --model threads --workers 2 \\
        --size 4 --param cost=0 --out-fd 1 | od -A n -j 36 -t u8

Standard library only; Python 3.8 or newer.
"""

import argparse
import ctypes
import functools
import signal
import multiprocessing
import multiprocessing.connection
import os
import queue
import resource
import struct
import sys
import threading
import time
import urllib.error
import urllib.request
from array import array
from concurrent.futures import (ProcessPoolExecutor, ThreadPoolExecutor,
                                as_completed)

# Knuth's MMIX linear congruential generator, as in common/squares.c
LCG_A = 6364136223846793005
LCG_C = 1442695040888963407
MASK64 = (1 << 64) - 1          # C's uint64_t wraps around; Python's int grows

MAGIC_OK = b"TVP1"
MAGIC_ERROR = b"TVPE"


# ---- fault injection, for tvp's tests (TVP_FAULT) --------------------------

FAULT = {"action": None, "worker": -1, "status": 3}


def fault_point(k):
    """Worker k is about to start: carry out tvp's TVP_FAULT if it is for
    this worker (tvp passes --fault ACTION:WORKER:STATUS only to the cells
    it names). The faults are real: the worker kills itself, aborts, blocks
    or exits, and tvp reports what that does to the run."""
    if FAULT["action"] is None or k != FAULT["worker"]:
        return
    action = FAULT["action"]
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action == "abort":
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))   # no core file
        os.abort()
    elif action == "stall":
        while True:
            signal.pause()
    elif action == "exit":
        os._exit(FAULT["status"])


def as_worker(k, fn, *args):
    """Worker k's body: its fault point, then fn. At module level, so a
    process pool can pickle it."""
    fault_point(k)
    return fn(*args)


def block_range(n, workers, k):
    """Worker k's half-open block [lo, hi) of n items, as common/registry.c
    deals them: the first n % workers workers take one item more."""
    base, extra = divmod(n, workers)
    lo = k * base + min(k, extra)
    return lo, lo + base + (1 if k < extra else 0)


# ---- squares: a CPU-bound map, results stored by index ----------------------

def square(i, cost):
    """Item i: i*i, then `cost` dependent steps of the generator."""
    x = (i * i) & MASK64
    for _ in range(cost):
        x = (x * LCG_A + LCG_C) & MASK64
    return x


def squares_sequential(n, workers, params):
    cost = params["cost"]
    return [square(i, cost) for i in range(n)]


def squares_threads(n, workers, params):
    """Threads "return" values by storing them at their own indexes of a
    shared list, so no lock is needed: no two threads write the same slot."""
    cost = params["cost"]
    results = [0] * n

    def worker(lo, hi):
        for i in range(lo, hi):
            results[i] = square(i, cost)

    threads = [threading.Thread(target=as_worker,
                                args=(k, worker, *block_range(n, workers, k)))
               for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def square_block(lo, hi, cost):
    """One process's block. At module level, so the pool can pickle it."""
    return [square(i, cost) for i in range(lo, hi)]


def squares_processes(n, workers, params):
    """Each block comes back pickled through a pipe, in whatever order the
    processes finish; its first index says where it goes."""
    cost = params["cost"]
    results = [0] * n
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {}
        for k in range(workers):
            lo, hi = block_range(n, workers, k)
            futures[pool.submit(as_worker, k, square_block, lo, hi, cost)] = lo
        for future in as_completed(futures):
            lo = futures[future]
            try:
                block = future.result()
            except Exception as exc:
                # a square cannot fail: a failure here is a broken pool
                raise RuntimeError(f"block at {lo} failed: {exc!r}") from exc
            results[lo:lo + len(block)] = block
    return results


def squares_encode(results):
    return array("Q", results).tobytes()


# ---- counter: one shared count, with and without a lock ---------------------

def pause():
    """A moment between read and write in which the GIL is let go: the
    system call os.sched_yield() releases it, as time.sleep() does, but
    costs microseconds where a sleep costs the timer slack (50 us or more)."""
    os.sched_yield()


def counter_sequential(n, workers, params, variant):
    """One worker does all the increments, each read, pause, write as in
    Counter: the same work, with nobody to race with."""
    count = 0
    for _ in range(workers * n):
        current = count
        pause()
        count = current + 1
    return count


class Counter:
    """The tutorial's shared counter: read the value, pause ("simulate some
    processing"), write it back plus one. The pause (pause(): the
    tutorial's time.sleep(0.01) in miniature) hands the GIL to another
    thread between the read and the write, so without
    the lock two threads read the same value and one update is lost, as in
    C; with it the read-pause-write is one step and nothing is lost. (A
    bare `value += 1` is rarely cut in half by CPython 3.10 and later,
    which switches threads only at certain bytecodes: a detail of the
    implementation, not a promise, and no lesson.)"""

    def __init__(self):
        self.value = 0
        self.lock = threading.Lock()

    def increment(self):
        current = self.value
        pause()
        self.value = current + 1

    def locked_increment(self):
        with self.lock:
            current = self.value
            pause()
            self.value = current + 1


def counter_threads(n, workers, params, variant):
    counter = Counter()
    if variant == "mutex":
        step = counter.locked_increment
    else:
        step = counter.increment

    def worker():
        for _ in range(n):
            step()

    threads = [threading.Thread(target=as_worker, args=(k, worker))
               for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return counter.value


def count_in_process(value, n, locked):
    """A worker process. `value` lives in shared memory; with lock=False
    each process reads it, pauses and writes it back, as Counter does, with
    no lock between them."""
    for _ in range(n):
        if locked:
            with value.get_lock():
                current = value.value
                pause()
                value.value = current + 1
        else:
            current = value.value
            pause()
            value.value = current + 1


def counter_processes(n, workers, params, variant):
    locked = variant == "mutex"
    value = multiprocessing.Value("Q", 0, lock=locked)
    procs = [multiprocessing.Process(target=as_worker,
                                     args=(k, count_in_process, value, n, locked))
             for k in range(workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    for p in procs:
        if p.exitcode != 0:
            raise RuntimeError(f"worker process exited with {p.exitcode}")
    return value.value


def counter_encode(final):
    return struct.pack("=Q", final)


# ---- prodcons: producers and consumers over a bounded queue ----------------
# Items are made and checked exactly as common/prodcons.c makes and checks
# them: a header word (producer, sequence, a 12-bit check) and payload words.

PC_PRODUCER_BITS, PC_SEQ_BITS, PC_CHECK_BITS = 12, 40, 12


def mix(x):
    """splitmix64's finaliser, as in common/prodcons.c."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK64
    return x ^ (x >> 31)


def header_of(k, seq):
    ident = (k << PC_SEQ_BITS) | seq
    return (ident << PC_CHECK_BITS) | (mix(ident) >> (64 - PC_CHECK_BITS))


def header_intact(h):
    k = h >> (64 - PC_PRODUCER_BITS)
    seq = (h >> PC_CHECK_BITS) & ((1 << PC_SEQ_BITS) - 1)
    return h != MASK64 and header_of(k, seq) == h


def make_item(k, seq, words):
    h = header_of(k, seq)
    return (h,) + tuple(mix((h + w) & MASK64) for w in range(1, words))


def work_steps(x, steps):
    for _ in range(steps):
        x = (x * LCG_A + LCG_C) & MASK64
    return x


class ConsumerLog:
    """What one consumer got: headers in arrival order, bad payloads, and
    the XOR of its per-item work, for tvp's verify() to judge."""

    def __init__(self, work):
        self.work = work
        self.entries = []
        self.bad = 0
        self.sink = 0

    def consume(self, item):
        h = item[0]
        ok = header_intact(h) and all(
            item[w] == mix((h + w) & MASK64) for w in range(1, len(item)))
        self.bad += not ok
        self.sink ^= work_steps(h, self.work)
        self.entries.append(h)


def items_of(n, producers, k):
    lo, hi = block_range(n, producers, k)
    return hi - lo


def prodcons_shape(params):
    """Producers, consumers, words per item, work per item. tvp passes P
    and C already split from W (python/prodcons.c)."""
    words = (params["item-size"] + 7) // 8
    return params["producers"], params["consumers"], words, params["work"]


def prodcons_sequential(n, workers, params):
    """The same items with no queue: producers in turn, items dealt to the
    consumers round-robin."""
    producers, consumers, words, work = prodcons_shape(params)
    logs = [ConsumerLog(work) for _ in range(consumers)]
    i = 0
    for k in range(producers):
        for seq in range(items_of(n, producers, k)):
            logs[i % consumers].consume(make_item(k, seq, words))
            i += 1
    return logs


def produce_into(q, k, count, words):
    """A producer, thread or process: put its items, blocking while the
    queue is full. Module level, so a process can be started on it."""
    for seq in range(count):
        q.put(make_item(k, seq, words))


def consume_all(q, log):
    """A consumer: take items until the None sentinel, marking each one
    done, so that q.join() knows when every item has been processed."""
    while True:
        item = q.get()
        if item is None:
            q.task_done()
            return
        log.consume(item)
        q.task_done()


def consume_from(q, results, index, work):
    """A consumer process: its log goes back to the parent through
    `results`, since a process shares no objects."""
    log = ConsumerLog(work)
    consume_all(q, log)
    results.put((index, log))


def run_until_drained(q, makers, takers):
    """Start everyone; wait for the producers, then (q.join) for every item
    to be processed; then send each consumer its None sentinel."""
    for w in makers + takers:
        w.start()
    for w in makers:
        w.join()
    q.join()
    for _ in takers:
        q.put(None)


def prodcons_threads(n, workers, params):
    """queue.Queue: put blocks while it is full, get while it is empty.
    task_done/join tells when every item was processed; then one None per
    consumer (a sentinel) tells each to stop."""
    producers, consumers, words, work = prodcons_shape(params)
    q = queue.Queue(maxsize=params["capacity"])
    logs = [ConsumerLog(work) for _ in range(consumers)]
    makers = [threading.Thread(target=as_worker, args=(
        k, produce_into, q, k, items_of(n, producers, k), words))
              for k in range(producers)]
    takers = [threading.Thread(target=as_worker,
                               args=(producers + i, consume_all, q, log))
              for i, log in enumerate(logs)]
    run_until_drained(q, makers, takers)
    for t in takers:
        t.join()
    return logs


class WorkerDied(Exception):
    """A producer or consumer process died: nobody will take or make its
    items, so q.join() would wait forever."""


class watching:
    """While the queue is in use, a thread waits on the processes'
    sentinels; the first one to end with a non-zero status interrupts the
    main thread (a real signal: a blocked q.join() is woken by it). The
    tutorial's code would hang here; tvp must report the death.

    Two threads reaping one child race: the loser's waitpid() fails with
    ECHILD and multiprocessing reads that as "still running" (exitcode
    None). So the watcher only reads a status the main thread has not
    asked for yet, and __exit__ waits for the watcher (woken through a
    pipe) before anyone looks at an exit code."""

    def __init__(self, procs):
        self.procs, self.died, self.done = procs, None, threading.Event()

    def __enter__(self):
        self.wake_r, self.wake_w = os.pipe()
        signal.signal(signal.SIGUSR1, self._raise)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, kind, value, trace):
        self.done.set()
        os.write(self.wake_w, b"x")
        self.thread.join()
        os.close(self.wake_r)
        os.close(self.wake_w)
        signal.signal(signal.SIGUSR1, signal.SIG_DFL)
        if kind is not None:    # the others wait for the dead one: end them
            for p in self.procs:
                if p.pid and p.is_alive():
                    p.kill()
                    p.join()
        return False

    def _raise(self, signum, frame):
        raise WorkerDied(self.died)

    def _watch(self):
        waiting = list(self.procs)
        while waiting and not self.done.is_set():
            started = [p for p in waiting if p.pid]
            if not started:             # run_until_drained() starts them
                self.done.wait(0.01)
                continue
            ready = multiprocessing.connection.wait(
                [p.sentinel for p in started] + [self.wake_r])
            for sentinel in ready:
                if sentinel == self.wake_r:
                    return
                p = next(p for p in started if p.sentinel == sentinel)
                waiting.remove(p)
                p.join(1)       # its sentinel closes just before it is a zombie
                if p.exitcode not in (0, None) and not self.done.is_set():
                    self.died = f"worker process exited with {p.exitcode}"
                    # to the main thread itself: its blocked wait is woken
                    signal.pthread_kill(threading.main_thread().ident,
                                        signal.SIGUSR1)
                    return


def prodcons_processes(n, workers, params):
    """multiprocessing.JoinableQueue: the same protocol between processes;
    every item is pickled, sent through a pipe and unpickled."""
    producers, consumers, words, work = prodcons_shape(params)
    q = multiprocessing.JoinableQueue(maxsize=params["capacity"])
    results = multiprocessing.Queue()
    makers = [multiprocessing.Process(target=as_worker, args=(
        k, produce_into, q, k, items_of(n, producers, k), words))
        for k in range(producers)]
    takers = [multiprocessing.Process(target=as_worker, args=(
        producers + i, consume_from, q, results, i, work))
        for i in range(consumers)]
    with watching(makers + takers):
        run_until_drained(q, makers, takers)
    logs = [None] * consumers
    for _ in takers:            # collect before joining: a full pipe blocks
        index, log = results.get()
        logs[index] = log
    for p in takers:
        p.join()
    failed = [(k, p.exitcode) for k, p in enumerate(makers + takers)
              if p.exitcode != 0]
    if failed:
        raise RuntimeError("worker process %d exited with %s" % failed[0])
    return logs


def prodcons_encode(logs):
    out = bytearray()
    for log in logs:
        out += struct.pack("=QQQ", len(log.entries), log.bad, log.sink)
        out += array("Q", log.entries).tobytes()
    return bytes(out)


# ---- fetch: an I/O-bound pool, results in completion order -----------------
# Which tasks fail, how long each takes and what it delivers are the closed
# forms of common/fetch.c, so tvp's verify() can check every download.

SALT_FAIL, SALT_JITTER, SALT_PAYLOAD = 0x6661696C, 0x6A697474, 0x7061796C
WEYL = 0x9E3779B97F4A7C15
EIO = 5


def draw(seed, task, salt):
    """A number in [0, 1) drawn from (seed, task, salt)."""
    return (mix((mix(seed ^ salt) + task) & MASK64) >> 11) * 2.0 ** -53


def payload_of(seed, task, nbytes):
    key = mix((mix(seed ^ SALT_PAYLOAD) + task) & MASK64)
    words = array("Q", ((key + k * WEYL) & MASK64
                        for k in range((nbytes + 7) // 8)))
    return words.tobytes()[:nbytes]


class DownloadError(Exception):
    """A failed download: a result to report, not a reason to stop. All its
    arguments go to Exception, so a process pool can pickle it back."""

    def __init__(self, status, start, end):
        super().__init__(status, start, end)
        self.status, self.start, self.end = status, start, end

    def __str__(self):
        return f"HTTP {self.status}"


def download(task, spec):
    """One task, like the tutorial's download(url): sleep to the task's
    deadline (sim) or GET it from tvp's server (http). Returns (start, end,
    worker, payload) or raises DownloadError."""
    start = time.monotonic()
    wait = (spec["latency"] + spec["jitter"] * draw(spec["seed"], task,
                                                     SALT_JITTER)) / 1e3
    if spec["source"] == "http":
        url = (f"{spec['url']}/bytes/{spec['bytes']}"
               f"?delay={wait * 1e3:.3f}&task={task}")
        try:
            with urllib.request.urlopen(url, timeout=60) as reply:
                payload = reply.read()
        except urllib.error.HTTPError as exc:
            raise DownloadError(exc.code, start, time.monotonic()) from exc
    else:
        fails = draw(spec["seed"], task, SALT_FAIL) < spec["fail-rate"]
        payload = b"" if fails else payload_of(spec["seed"], task,
                                                spec["bytes"])
        time.sleep(max(0.0, start + wait - time.monotonic()))
        if fails:
            raise DownloadError(500, start, time.monotonic())
    worker = (os.getpid(), threading.get_ident())
    return start, time.monotonic(), worker, payload


class Completions:
    """What the as_completed loop saw, in the order it saw it."""

    def __init__(self, t0):
        self.t0 = t0
        self.records = []
        self.workers = {}

    def _worker(self, ident):
        return self.workers.setdefault(ident, len(self.workers))

    def collect(self, task, future_or_call):
        try:
            start, end, ident, payload = future_or_call()
        except DownloadError as exc:       # one failure does not sink the rest
            self.records.append((task, exc.start, exc.end, -1, exc.status,
                                 -EIO, b""))
        else:
            self.records.append((task, start, end, self._worker(ident), 200,
                                 0, payload))


def fetch_sequential(n, workers, params):
    done = Completions(time.monotonic())
    for task in range(n):
        done.collect(task, functools.partial(download, task, params))
    return done


def fetch_pool(executor, n, workers, params):
    """The tutorial's pool: submit every task, take the futures as they
    complete, and look at each result inside its own try/except."""
    done = Completions(time.monotonic())
    with executor(max_workers=workers) as pool:
        # a pool hides which worker runs a task: TVP_FAULT's worker K is task K
        futures = {pool.submit(as_worker, task, download, task, params): task
                   for task in range(n)}
        for future in as_completed(futures):
            done.collect(futures[future], future.result)
    return done


def fetch_threads(n, workers, params):
    """While one thread waits, another runs: the GIL is released for every
    sleep and every socket read."""
    return fetch_pool(ThreadPoolExecutor, n, workers, params)


def fetch_processes(n, workers, params):
    """The same with processes: each task and each payload is pickled
    across a pipe, for no gain, since the waiting needs no CPU."""
    return fetch_pool(ProcessPoolExecutor, n, workers, params)


def fetch_encode(done):
    """t0, then per collected future: task, start, end, worker, status,
    error, payload length, payload."""
    out = bytearray(struct.pack("=dQ", done.t0, len(done.records)))
    for task, start, end, worker, status, error, payload in done.records:
        out += struct.pack("=QddiiiiQ", task, start, end, worker, status,
                           error, 0, len(payload))
        out += payload
    return bytes(out)


# ---- the table tvp's back ends choose from ----------------------------------

WORKLOADS = {
    "squares": {
        "params": {"cost": int},
        "models": {
            "sequential": squares_sequential,
            "threads": squares_threads,
            "processes": squares_processes,
        },
        "encode": squares_encode,
    },
    "counter": {
        "params": {},
        "variants": ["unsynchronised", "mutex"],
        "models": {
            "sequential": counter_sequential,
            "threads": counter_threads,
            "processes": counter_processes,
        },
        "encode": counter_encode,
    },
    "prodcons": {
        "params": {"producers": int, "consumers": int, "capacity": int,
                   "item-size": int, "work": int,
                   "get-timeout": float},  # the C tutorial variant's; unused
        "variants": ["locked"],
        "models": {
            "sequential": prodcons_sequential,
            "threads": prodcons_threads,
            "processes": prodcons_processes,
        },
        "encode": prodcons_encode,
    },
    "fetch": {
        "params": {"bytes": int, "latency": float, "jitter": float,
                   "fail-rate": float, "source": str, "trace": str,
                   "url": str},
        "models": {
            "sequential": fetch_sequential,
            "threads": fetch_threads,
            "processes": fetch_processes,
        },
        "encode": fetch_encode,
    },
}


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("workload", choices=sorted(WORKLOADS))
    ap.add_argument("--model", required=True,
                    choices=["sequential", "threads", "processes"])
    ap.add_argument("--variant", default="default")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--size", type=int, required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--param", action="append", default=[],
                    metavar="NAME=VALUE",
                    help="a workload option, as tvp has it")
    ap.add_argument("--out-fd", type=int, required=True)
    ap.add_argument("--fault", metavar="ACTION:WORKER:STATUS",
                    help="tests only: tvp's TVP_FAULT for this cell")
    return ap.parse_args(argv)


def parse_params(spec, pairs):
    params = {}
    for pair in pairs:
        name, _, value = pair.partition("=")
        if name not in spec:
            raise ValueError(f"unknown parameter {name!r}")
        params[name] = spec[name](value)
    return params


def cpu_seconds():
    """User and system CPU seconds so far: every thread of this process, and
    the worker processes it has already waited for."""
    t = os.times()
    return t.user + t.children_user, t.system + t.children_system


def run(args):
    """The timed section and nothing else: start-up and encoding are outside.
    Returns (wall, user, system) seconds and the encoded results."""
    workload = WORKLOADS[args.workload]
    params = parse_params(workload["params"], args.param)
    params["seed"] = args.seed
    model = workload["models"][args.model]
    if args.variant not in workload.get("variants", [args.variant]):
        raise ValueError(f"{args.workload} has no variant {args.variant!r}")
    if len(workload.get("variants", [])) > 1:   # the model picks its idiom
        model = functools.partial(model, variant=args.variant)
    if args.fault:
        action, worker, status = args.fault.split(":")
        FAULT.update(action=action, worker=int(worker), status=int(status))
    if args.model == "sequential":
        fault_point(0)          # the one worker
    user0, sys0 = cpu_seconds()
    t0 = time.perf_counter()
    results = model(args.size, args.workers, params)
    elapsed = time.perf_counter() - t0
    user1, sys1 = cpu_seconds()
    return (elapsed, user1 - user0, sys1 - sys0), workload["encode"](results)


# ---- every process this script starts dies with its parent --------------

PR_SET_PDEATHSIG = 1            # <linux/prctl.h>
_forking_pid = [0]


def _note_forking_pid():
    _forking_pid[0] = os.getpid()


def _die_with_parent():
    """In every child os.fork() makes (pool workers, multiprocessing.Process,
    and their own children): SIGKILL when the parent dies. tvp's runner
    sets this for the interpreter, but the kernel clears it in each child,
    so without this a killed tvp left the pool re-parented to init. The
    parent may have died before prctl(): then getppid() has changed."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        os._exit(126)
    if os.getppid() != _forking_pid[0]:
        os._exit(125)


def die_with_parents():
    if sys.platform.startswith("linux"):
        os.register_at_fork(before=_note_forking_pid,
                            after_in_child=_die_with_parent)
    # Linux's default before 3.14, which picks forkserver: its server is
    # started by fork+exec, which no os.fork() hook sees.
    multiprocessing.set_start_method("fork", force=True)


def main(argv=None):
    args = parse_args(argv)
    die_with_parents()
    with os.fdopen(args.out_fd, "wb") as out:
        try:
            seconds, payload = run(args)
        except Exception as exc:    # every failure goes back to tvp to report
            message = f"{type(exc).__name__}: {exc}".encode()
            out.write(MAGIC_ERROR + struct.pack("=Q", len(message)) + message)
            return 1
        out.write(MAGIC_OK + struct.pack("=dddQ", *seconds, len(payload)))
        out.write(payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
