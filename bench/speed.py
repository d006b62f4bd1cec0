"""How fast the whole clean flow is, against the bare library work it is built on: one command.

    .venv/bin/python bench/speed.py --docs 50000 [--corpus DIR] [--workers 2] [--batch-size 500]
                                    [--reference-docs 10000] [--json OUT] [--keep]

Most of the pipeline's time should be ftfy and langdetect, the two libraries every document
goes through; everything else (reading, rules, Prefect, GX validation, Parquet) is overhead.
So the figure that matters is a ratio, which transfers between machines where docs/s do not:

(a) reference: `ftfy.fix_text` then seeded `langdetect.detect_langs` on every document, in a
    plain loop in this one process (one core). Texts come from the project's own reader
    (`flows.inputs`), in chunks so memory stays bounded, and reading is not timed. It may be
    timed on a prefix of the corpus (--reference-docs): it is a rate, and the generated corpus is
    laid out so that a prefix holds every format.
(b) the flow end to end, as a user runs it: `python -m flows.clean` in a subprocess with
    --workers and --batch-size, timed from start to exit: docs/s and input MB/s (bytes on disk).
(c) b/a: above 1 the flow's parallelism more than pays for its overhead.
(d) peak memory of the flow's subprocess and all its descendants (Dask scheduler, nannies and
    workers), sampled every 0.2 s; and the largest single process. The Prefect server is not
    part of a run: as in production, it is a service of its own, started here before the run
    (unless PREFECT_API_URL names one) and left out of the run's figure; its size is printed.
(e) the share of the run's capacity (workers x wall time) spent validating (GX) and writing
    Parquet, when the flow reports it (`seconds_validate`, `seconds_write` in its --summary-json).
(f) where the cores went: CPU seconds of the flow's own process, of each other process of the
    run (the workers), and of the Prefect server, against cores x wall time.

Without --corpus, a corpus of --docs documents is generated (bench/generate.py) in a temporary
folder and removed afterwards (--keep keeps it and the flow's output). A --corpus folder that
holds a generated corpus is reused as it is; an empty or missing one is generated into and kept;
any other folder is measured as it is (a real corpus works too).

Results: a table on stdout, and JSON (default bench/results/speed-<docs>.json) with the machine,
the settings and the git commit, so that runs can be compared over time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

import generate  # noqa: E402  (bench/generate.py)

from flows.inputs import batched, discover, read_documents  # noqa: E402

TARGET_RATIO = 2.0
TARGET_RSS = 1 << 30  # 1 GiB
TARGET_SHARE = 0.10
SAMPLE_SECONDS = 0.2
MiB = 1 << 20


# ---------------------------------------------------------------------------------------------
# The corpus


@dataclass
class Corpus:
    path: Path
    files: int
    bytes: int  # on disk, as the flow reads them (gzipped files at their compressed size)
    generated: dict | None  # bench/generate.py's manifest, when it is a generated corpus
    temporary: bool


def prepare_corpus(folder: Path | None, docs: int, work: Path) -> Corpus:
    """The corpus to measure: reused, generated into `folder`, or generated into `work`."""
    temporary = folder is None
    path = work / "corpus" if temporary else folder
    manifest = path / generate.MANIFEST
    if manifest.exists():
        print(f"speed: reusing the generated corpus in {path}", file=sys.stderr)
    elif path.exists() and any(path.iterdir()):
        print(f"speed: {path} is not a generated corpus; measuring it as it is", file=sys.stderr)
    else:
        print(f"speed: generating {docs:,} documents in {path}", file=sys.stderr)
        started = time.monotonic()
        generate.generate(path, docs)
        print(f"speed: generated in {time.monotonic() - started:.1f} s", file=sys.stderr)
    files = discover(path)
    return Corpus(path, len(files), sum(f.stat().st_size for f in files),
                  json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else None, temporary)


# ---------------------------------------------------------------------------------------------
# (a) the bare library work


def reference(corpus: Path, limit: int, chunk: int = 500) -> dict:
    """ftfy then seeded langdetect on each document, one process, reading excluded from the time."""
    import ftfy
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    detect_langs("Warm-up: langdetect loads its language profiles on first use.")  # not timed
    seconds, docs, chars = 0.0, 0, 0
    others = OtherLoad()
    texts = (doc.text for doc in read_documents(corpus) if doc.text is not None)
    for texts_chunk in batched(texts, chunk):
        texts_chunk = texts_chunk[:limit - docs] if limit else texts_chunk
        started = time.perf_counter()
        for text in texts_chunk:
            fixed = ftfy.fix_text(text)
            try:
                detect_langs(fixed)
            except LangDetectException:  # no letters to go on ("No features in text.")
                pass
        seconds += time.perf_counter() - started
        docs += len(texts_chunk)
        chars += sum(map(len, texts_chunk))
        if limit and docs >= limit:
            break
    return {"docs": docs, "chars": chars, "seconds": round(seconds, 3), "docs_per_s": docs / seconds,
            "prefix": bool(limit) and docs >= limit, "other_cores": others.cores()}


class OtherLoad:
    """How many cores other processes kept busy since creation: what makes a run's figures low.

    All busy CPU time of the machine (/proc/stat) minus this process's and its waited-for
    children's (the flow and its workers), divided by the wall time.
    """

    def __init__(self) -> None:
        self.start = (time.perf_counter(), _machine_busy_seconds(), _own_cpu_seconds())

    def cores(self) -> float:
        wall, busy, own = (now - then for now, then in zip(
            (time.perf_counter(), _machine_busy_seconds(), _own_cpu_seconds()), self.start))
        return round(max(busy - own, 0.0) / wall, 2) if wall > 0 else 0.0


def _machine_busy_seconds() -> float:
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# ---------------------------------------------------------------------------------------------
# (b) the flow, and (d) its memory


def flow_options() -> set[str]:
    """Which optional flags this checkout's `python -m flows.clean` has (they are being added)."""
    out = subprocess.run([sys.executable, "-m", "flows.clean", "--help"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120).stdout
    return {flag for flag in ("--summary-json", "--engine") if flag in out}


def run_flow(corpus: Path, dest: Path, work: Path, workers: int, batch_size: int, options: set[str]) -> dict:
    summary_path = work / "summary.json"
    command = [sys.executable, "-m", "flows.clean", "--source", str(corpus), "--dest", str(dest),
               "--workers", str(workers), "--batch-size", str(batch_size)]
    if "--summary-json" in options:
        command += ["--summary-json", str(summary_path)]
    if "--engine" in options:
        command += ["--engine", "prefect"]
    env = {**os.environ, "PREFECT_LOGGING_LEVEL": os.environ.get("PREFECT_LOGGING_LEVEL", "WARNING")}
    print(f"speed: {' '.join(command[1:])}", file=sys.stderr)
    with prefect_server(work, env) as server, open(work / "flow.out", "w") as out, open(work / "flow.err", "w") as err:
        others = OtherLoad()
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        sampler = MemorySampler(process.pid)
        sampler.start()
        code = process.wait()
        wall = time.perf_counter() - started
        sampler.stop()
        server_rss = sum(_psutil_tree_rss(server.pid).values()) if server is not None and _has_psutil() else 0
        server_cpu = sum(_psutil_tree_cpu(server.pid).values()) if server is not None and _has_psutil() else 0.0
    if code != 0:
        tail = (work / "flow.err").read_text(errors="replace").splitlines()[-30:]
        raise SystemExit("speed: the flow failed (exit %d); the end of its stderr:\n  %s" % (code, "\n  ".join(tail)))
    return {"command": command[1:], "wall_seconds": wall, "summary": flow_summary(summary_path, work / "flow.out"),
            "peak_rss_total": sampler.peak_total, "peak_rss_single": sampler.peak_single,
            "processes_seen": len(sampler.seen), "samples": sampler.samples, "other_cores": others.cores(),
            "peak_rss_by_process": sampler.by_process(), "prefect_server_rss": server_rss,
            "cpu_seconds_flow_process": round(sampler.cpu.get(process.pid, 0.0), 1),
            "cpu_seconds_other_processes": sorted((round(v, 1) for pid, v in sampler.cpu.items() if pid != process.pid),
                                                  reverse=True),
            "cpu_seconds_prefect_server": round(server_cpu, 1)}


@contextlib.contextmanager
def prefect_server(work: Path, env: dict):
    """A Prefect server of its own for the run (sets PREFECT_API_URL in `env`), unless one is named."""
    if env.get("PREFECT_API_URL"):
        yield None
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    server_env = {**env, "PREFECT_HOME": str(work / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    log = open(work / "prefect-server.log", "wb")
    server = subprocess.Popen([str(Path(sys.executable).with_name("prefect")), "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=server_env, stdout=log, stderr=subprocess.STDOUT,
                              start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"speed: the Prefect server did not start; see {work / 'prefect-server.log'}")
                time.sleep(0.5)
        env.update(PREFECT_API_URL=url, PREFECT_HOME=server_env["PREFECT_HOME"])
        yield server
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()


def flow_summary(summary_path: Path, stdout_path: Path) -> dict:
    """The run's summary dict (--summary-json), else what its printed summary line says."""
    if summary_path.exists():
        return json.loads(summary_path.read_text(encoding="utf-8"))
    match = re.search(r"clean: (\d+) documents in from (\d+) files", stdout_path.read_text(errors="replace"))
    return {"documents_in": int(match[1]), "files": int(match[2])} if match else {}


class MemorySampler(threading.Thread):
    """Peak RSS summed over a process and all its descendants, and of the largest one, every 0.2 s.

    Summing RSS counts pages shared between processes (the interpreter, libraries) once per
    process, so the total errs on the high side: a safe figure to hold against a memory budget.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_total, self.peak_single, self.samples = pid, 0, 0, 0
        self.seen: set[int] = set()
        self.peaks: dict[int, int] = {}
        self.cpu: dict[int, float] = {}  # CPU seconds (user + system) each process had used when last seen
        self._stop_event = threading.Event()
        self._rss_of_tree = _psutil_tree_rss if _has_psutil() else _proc_tree_rss

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(SAMPLE_SECONDS)

    def sample(self) -> None:
        rss = self._rss_of_tree(self.pid)
        if rss:
            self.seen.update(rss)
            for pid, value in rss.items():
                self.peaks[pid] = max(self.peaks.get(pid, 0), value)
            self.peak_total = max(self.peak_total, sum(rss.values()))
            self.peak_single = max(self.peak_single, max(rss.values()))
            self.samples += 1
        if _has_psutil():
            self.cpu.update(_psutil_tree_cpu(self.pid))

    def stop(self) -> None:
        self._stop_event.set()
        self.join()

    def by_process(self) -> list[int]:
        """Each process's own peak, largest first (they need not peak at the same moment)."""
        return sorted(self.peaks.values(), reverse=True)


def _has_psutil() -> bool:
    try:
        import psutil  # noqa: F401  (comes with dask's distributed)
    except ImportError:
        return False
    return True


def _psutil_tree_rss(pid: int) -> dict[int, int]:
    return _psutil_tree(pid, lambda process: process.memory_info().rss)


def _psutil_tree_cpu(pid: int) -> dict[int, float]:
    """CPU seconds (user + system) used so far by a process and each of its descendants: where the
    cores went, flow process against workers against the Prefect server."""
    return _psutil_tree(pid, lambda process: sum(process.cpu_times()[:2]))


def _psutil_tree(pid: int, measure) -> dict:
    """`measure(process)` for a process and each of its descendants, by pid."""
    import psutil
    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return {}
    found = {}
    for process in processes:
        try:
            found[process.pid] = measure(process)
        except psutil.Error:  # ended between listing and reading
            pass
    return found


def _proc_tree_rss(pid: int) -> dict[int, int]:
    """The same from /proc: children from /proc/<pid>/task/*/children, RSS from VmRSS."""
    rss, todo = {}, [pid]
    while todo:
        current = todo.pop()
        kib = _vm_rss_kib(current)
        if kib is None:
            continue
        rss[current] = kib * 1024
        todo.extend(_children(current))
    return rss


def _vm_rss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0  # a zombie has no VmRSS line


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


# ---------------------------------------------------------------------------------------------
# Figures, table, JSON


def figures(corpus: Corpus, ref: dict, flow: dict, workers: int) -> dict:
    summary = flow["summary"]
    docs = summary.get("documents_in") or (corpus.generated or {}).get("docs", 0)
    wall = flow["wall_seconds"]
    result = {
        "reference_docs_per_s": round(ref["docs_per_s"], 1),
        "flow_docs_per_s": round(docs / wall, 1),
        "flow_mb_per_s": round(corpus.bytes / 1e6 / wall, 3),
        "flow_wall_seconds": round(wall, 2),
        "flow_documents": docs,
        "peak_rss_total_bytes": flow["peak_rss_total"],
        "peak_rss_single_bytes": flow["peak_rss_single"],
    }
    result["ratio"] = round(result["flow_docs_per_s"] / result["reference_docs_per_s"], 3)
    # Validating (in the flow's process) and writing Parquet (in the workers) are timed per batch
    # and summed over batches. W workers run batches side by side, so during a wall time T the run
    # has W*T seconds to give: dividing by W*T (not T) gives the share of that capacity spent
    # validating and writing, which stays in [0, 1] and compares across worker counts.
    if "seconds_validate" in summary and "seconds_write" in summary:
        spent = summary["seconds_validate"] + summary["seconds_write"]
        result["validate_write_share"] = round(spent / (max(workers, 1) * wall), 4)
    else:
        result["validate_write_share"] = None
    return result


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def table(corpus: Corpus, settings: dict, ref: dict, flow: dict, fig: dict, machine: dict, git: dict) -> str:
    prefix = f"first {ref['docs']:,} docs" if ref["prefix"] else f"all {ref['docs']:,} docs"
    share = fig["validate_write_share"]
    rows = [
        (f"(a) ftfy + langdetect, 1 process ({prefix})", f"{fig['reference_docs_per_s']:,.1f} docs/s", "", ""),
        (f"(b) clean flow end to end ({settings['engine']})",
         f"{fig['flow_docs_per_s']:,.1f} docs/s, {fig['flow_mb_per_s']:.2f} MB/s, {fig['flow_wall_seconds']:.1f} s", "", ""),
        ("(c) ratio b/a", f"{fig['ratio']:.2f}", f">= {TARGET_RATIO}", verdict(fig["ratio"] >= TARGET_RATIO)),
        ("(d) peak RSS, flow and all its processes", f"{fig['peak_rss_total_bytes'] / MiB:,.0f} MiB", "< 1 GiB",
         verdict(fig["peak_rss_total_bytes"] < TARGET_RSS)),
        ("    peak RSS, largest single process", f"{fig['peak_rss_single_bytes'] / MiB:,.0f} MiB", "", ""),
        ("    each process's own peak", ", ".join(f"{b / MiB:,.0f}" for b in flow.get("peak_rss_by_process", [])) + " MiB",
         "", ""),
        ("    Prefect server (a service, not counted)", f"{flow.get('prefect_server_rss', 0) / MiB:,.0f} MiB", "", ""),
        ("(e) validation+Parquet share of the wall time",
         f"{share:.1%}" if share is not None else "not available", f"< {TARGET_SHARE:.0%}",
         verdict(share < TARGET_SHARE) if share is not None else "n/a"),
        ("(f) CPU seconds: flow process; the others", f"{flow.get('cpu_seconds_flow_process', 0):,.0f}; "
         + ", ".join(f"{v:,.0f}" for v in flow.get("cpu_seconds_other_processes", [])[:4]), "", ""),
        ("    Prefect server; cores x wall", f"{flow.get('cpu_seconds_prefect_server', 0):,.0f}; "
         f"{machine['cpus_usable'] * fig['flow_wall_seconds']:,.0f}", "", ""),
    ]
    dirty = " + local changes" if git.get("dirty") else ""
    head = (f"speed: {fig['flow_documents']:,} documents, {corpus.bytes / 1e6:,.1f} MB in {corpus.files:,} files; "
            f"batch size {settings['batch_size']}, {settings['workers']} workers; {machine['cpus_usable']} CPUs, "
            f"Python {machine['python']}; commit {git.get('commit', '?')}{dirty}")
    name_width, value_width = (max(len(r[i]) for r in rows) for i in (0, 1))
    body = [f"  {name:<{name_width}}  {value:<{value_width}}  {target:<9} {mark}".rstrip()
            for name, value, target, mark in rows]
    if share is None:
        body.append("  (e) needs seconds_validate and seconds_write in the flow's --summary-json")
    return "\n".join([head, *body])


def machine_info() -> dict:
    info = {"cpus": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)), "python": platform.python_version(),
            "platform": platform.platform(), "machine": platform.machine()}
    try:
        meminfo = Path("/proc/meminfo").read_text()
        info["memory_bytes"] = int(re.search(r"MemTotal:\s+(\d+) kB", meminfo)[1]) * 1024
    except (OSError, TypeError):
        pass
    return info


def git_info() -> dict:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30, check=True).stdout
    try:
        return {"commit": git("rev-parse", "--short", "HEAD").strip(),
                "dirty": bool(git("status", "--porcelain", "--untracked-files=no").strip())}
    except (OSError, subprocess.SubprocessError):
        return {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=50_000, help="documents to generate (default 50,000)")
    parser.add_argument("--corpus", type=Path, help="corpus folder: reused if generated before, else generated into")
    parser.add_argument("--workers", type=int, default=2, help="the flow's --workers (default 2)")
    parser.add_argument("--batch-size", type=int, default=500, help="the flow's --batch-size (default 500)")
    parser.add_argument("--reference-docs", type=int, default=10_000, metavar="N",
                        help="time (a) on the first N documents (default 10,000; 0: all)")
    parser.add_argument("--json", type=Path,
                        help="where to write the figures (default bench/results/speed-<docs>.json)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary corpus and the flow's output")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="speed-"))
    try:
        corpus = prepare_corpus(args.corpus, args.docs, work)
        options = flow_options()
        print(f"speed: (a) ftfy + langdetect in this process on {corpus.path}", file=sys.stderr)
        ref = reference(corpus.path, args.reference_docs)
        flow = run_flow(corpus.path, work / "clean", work, args.workers, args.batch_size, options)
    finally:
        if args.keep:
            print(f"speed: kept {work} (corpus, flow output and logs)", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)

    settings = {"workers": args.workers, "batch_size": args.batch_size, "reference_docs": args.reference_docs,
                "engine": "--engine prefect" if "--engine" in options else "no --engine option",
                "flow_options_found": sorted(options)}
    machine, git = machine_info(), git_info()
    fig = figures(corpus, ref, flow, args.workers)
    print(table(corpus, settings, ref, flow, fig, machine, git))
    busy = {"(a)": ref["other_cores"], "(b)": flow["other_cores"]}
    if max(busy.values()) >= 0.1:
        print("  note: other processes kept the machine busy during "
              + ", ".join(f"{k} ({v:.2f} cores on average)" for k, v in busy.items() if v >= 0.1)
              + ": those figures may be low")
    out = args.json or ROOT / "bench" / "results" / f"speed-{fig['flow_documents']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    record = {"figures": fig, "targets": {"ratio_min": TARGET_RATIO, "peak_rss_total_max_bytes": TARGET_RSS,
                                          "validate_write_share_max": TARGET_SHARE},
              "corpus": {"path": str(corpus.path) if not corpus.temporary or args.keep else None, "files": corpus.files,
                         "bytes": corpus.bytes, "generated": corpus.generated},
              "settings": settings, "reference": ref,
              "flow": {k: v for k, v in flow.items() if k not in ("peak_rss_total", "peak_rss_single")},
              "machine": machine, "git": git, "when": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"speed: figures written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
