"""Matching benchmark: hashcore's PDQIndex against pytx's PDQIndex and faiss, same data and run.

Generates N benign synthetic PDQ hashes (uniformly random 256-bit strings; 1 % of them are near
duplicates within 2 to 40 bits of a cluster centre, about ten to a cluster) and queries: half
fresh random hashes (the usual case: no match), half copies of indexed hashes (cluster members
or ordinary entries) with 0 to 28 bits flipped, so there are real matches, some of them many.

Each engine runs in its own process, one after the other, on the same files:
`ours` (hashcore.index.PDQIndex, built from hex strings), `pytx_pdqindex`
(threatexchange.signal_type.pdq.pdq_index.PDQIndex, the faiss IndexBinaryMultiHash index HMA
uses, built from hex strings, queried with query() and its faiss wrapper's batch search) and
`faiss_flat` (faiss IndexBinaryFlat and range_search, the brute-force floor, built from bytes).
faiss runs on one OpenMP thread, like the other two, so that per-query figures compare work.

Per engine: build time; memory (growth of the process's resident set from just before the
build, with the input already in memory, to just after it, after a garbage collection); single
query latency p50/p99 (wall clock, and the thread's CPU time, which other load disturbs less);
batch throughput; and recall against an exact numpy brute force over a sample of the queries
(also counting any result that is not within the radius).

Progress goes to stderr; `--json` prints the figures as JSON on stdout. Exits 1 when a goal
(ours >= 20x pytx per single query, recall exactly 1.0, memory < 2x the raw hashes) is missed.

    .venv/bin/python benchmarks/matching.py --hashes 10000000 --json
"""

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

ENGINES = ("ours", "pytx_pdqindex", "faiss_flat")
GOAL_SPEEDUP = 20.0
GOAL_MEMORY_RATIO = 2.0
WARM_UP = 20
PYTX_RADIUS = 31  # PDQIndex.get_match_threshold(), fixed in pytx
Match = tuple[int, int]


def log(message: str) -> None:
    print(f"[matching-bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hashes", type=int, default=10_000_000, help="indexed hashes")
    parser.add_argument("--queries", type=int, default=1000, help="timed single queries")
    parser.add_argument("--batch", type=int, default=5000, help="queries in the batch phase")
    parser.add_argument("--recall", type=int, default=300, help="queries checked by brute force")
    parser.add_argument("--radius", type=int, default=31)
    parser.add_argument("--seconds", type=float, default=120.0, help="time cap per query phase")
    parser.add_argument("--engines", default=",".join(ENGINES), help="comma-separated")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    return parser.parse_args()


# --- data -------------------------------------------------------------------------------------


def flip_bits(rows: np.ndarray, flips: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Copies of rows with flips[i] distinct random bits flipped in row i."""
    ranks = rng.random((len(rows), 256)).argsort(axis=1).argsort(axis=1)
    return rows ^ np.packbits(ranks < flips[:, None], axis=1)


def make_hashes(count: int, rng: np.random.Generator) -> np.ndarray:
    hashes = rng.integers(0, 256, size=(count, 32), dtype=np.uint8)
    members = count // 100
    centres = rng.integers(0, count - members, size=max(1, members // 10))
    chosen = hashes[centres[rng.integers(0, len(centres), size=members)]]
    hashes[count - members :] = flip_bits(chosen, rng.integers(2, 41, size=members), rng)
    return hashes


def make_queries(hashes: np.ndarray, count: int, rng: np.random.Generator) -> np.ndarray:
    """Shuffled: half random, a quarter near cluster members, a quarter near other entries."""
    members = len(hashes) // 100
    near_member = rng.integers(len(hashes) - members, len(hashes), size=count // 4)
    near_other = rng.integers(0, len(hashes), size=count // 4)
    sources = hashes[np.concatenate([near_member, near_other])]
    near = flip_bits(sources, rng.integers(0, 29, size=len(sources)), rng)
    fresh = rng.integers(0, 256, size=(count - len(near), 32), dtype=np.uint8)
    queries = np.concatenate([near, fresh])
    return queries[rng.permutation(count)]


def brute_force(hashes: np.ndarray, queries: np.ndarray, radius: int) -> list[set[Match]]:
    """The exact answer: every (row, distance) within radius, by popcount over all rows."""
    words = hashes.view(np.uint64)
    truth = []
    for number, query in enumerate(queries.view(np.uint64)):
        counts = np.bitwise_count(words ^ query)
        distances = counts[:, 0].astype(np.uint16) + counts[:, 1] + counts[:, 2] + counts[:, 3]
        rows = np.flatnonzero(distances <= radius)
        truth.append({(int(row), int(distances[row])) for row in rows})
        if number % 50 == 49:
            log(f"brute force: {number + 1}/{len(queries)} queries")
    return truth


# --- engines (each runs in its own process) ----------------------------------------------------


class Engine(Protocol):
    def query(self, hex_hash: str, row: np.ndarray) -> list[Match]: ...

    def batch(self, hexes: list[str], rows: np.ndarray) -> int: ...

    def details(self) -> dict[str, Any]: ...


class Ours:
    def __init__(self, hexes: list[str], rows: np.ndarray, radius: int) -> None:
        from hashcore.index import PDQIndex

        self.index = PDQIndex.build(
            np.arange(len(hexes)), hexes, max_radius=radius, progress=_progress("ours build")
        )
        self.radius = radius

    def query(self, hex_hash: str, row: np.ndarray) -> list[Match]:
        return [(match.id, match.distance) for match in self.index.query(hex_hash)]

    def batch(self, hexes: list[str], rows: np.ndarray) -> int:
        return sum(len(found) for found in self.index.query_many(hexes))

    def details(self) -> dict[str, Any]:
        return {"index_nbytes_mb": round(self.index.nbytes / 1e6, 1)}


class PytxPDQIndex:
    def __init__(self, hexes: list[str], rows: np.ndarray, radius: int) -> None:
        from threatexchange.signal_type.pdq.pdq_index import PDQIndex

        if radius != PYTX_RADIUS:
            raise SystemExit(f"pytx's PDQIndex has a fixed radius of {PYTX_RADIUS}")
        self.index = PDQIndex(entries=((hex_hash, row) for row, hex_hash in enumerate(hexes)))
        self.radius = radius

    def query(self, hex_hash: str, row: np.ndarray) -> list[Match]:
        return [
            (int(match.metadata), int(match.similarity_info.distance))
            for match in self.index.query(hex_hash)
        ]

    def batch(self, hexes: list[str], rows: np.ndarray) -> int:
        # PDQIndex.query() wraps this call with a single hash; here it gets the whole batch.
        found = self.index.index.search_with_distance_in_result(hexes, self.radius)
        return sum(len(matches) for matches in found.values())

    def details(self) -> dict[str, Any]:
        return {}


class FaissFlat:
    def __init__(self, hexes: list[str], rows: np.ndarray, radius: int) -> None:
        import faiss

        self.index = faiss.IndexBinaryFlat(256)
        self.index.add(rows)
        self.radius = radius

    def query(self, hex_hash: str, row: np.ndarray) -> list[Match]:
        _, distances, labels = self.index.range_search(row[None, :], self.radius + 1)
        return [(int(i), int(d)) for i, d in zip(labels, distances, strict=True)]

    def batch(self, hexes: list[str], rows: np.ndarray) -> int:
        limits, _, _ = self.index.range_search(rows, self.radius + 1)
        return int(limits[-1])

    def details(self) -> dict[str, Any]:
        return {}


ENGINE_CLASSES: dict[str, Callable[[list[str], np.ndarray, int], Engine]] = {
    "ours": Ours,
    "pytx_pdqindex": PytxPDQIndex,
    "faiss_flat": FaissFlat,
}


def _progress(label: str) -> Callable[[int, int], None]:
    last = [-1.0]

    def report(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 5 or done == total:
            last[0] = time.monotonic()
            log(f"{label}: {done}/{total}")

    return report


def resident_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def run_engine(args: argparse.Namespace) -> dict[str, Any]:
    """The child process's work: build one engine, time it, and answer the recall sample."""
    import faiss
    import threatexchange.signal_type.pdq.pdq_index  # noqa: F401  (imports are not the index)

    import hashcore.index  # noqa: F401

    faiss.omp_set_num_threads(1)
    data = Path(args.data)
    rows, queries = np.load(data / "hashes.npy"), np.load(data / "queries.npy")
    hexes = [row.tobytes().hex() for row in rows] if args.engine != "faiss_flat" else []
    query_hexes = [row.tobytes().hex() for row in queries]
    gc.collect()
    before = resident_mb()
    log(f"{args.engine}: building over {len(rows)} hashes")
    started, started_cpu = time.perf_counter(), time.process_time()
    engine: Engine = ENGINE_CLASSES[args.engine](hexes, rows, args.radius)
    build_s, build_cpu_s = time.perf_counter() - started, time.process_time() - started_cpu
    gc.collect()
    grown = resident_mb() - before
    log(f"{args.engine}: built in {build_s:.1f} s, resident set grew {grown:.0f} MB")
    figures = {
        "build_s": round(build_s, 2),
        "build_cpu_s": round(build_cpu_s, 2),
        "rss_mb": round(grown, 1),
        **engine.details(),
    }
    figures |= time_single(engine, query_hexes, queries, args)
    figures |= time_batch(engine, query_hexes, queries, args)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3, 1)
    return figures


def time_single(
    engine: Engine, hexes: list[str], rows: np.ndarray, args: argparse.Namespace
) -> dict[str, Any]:
    for number in range(WARM_UP):
        engine.query(hexes[-1 - number], rows[-1 - number])
    wall, cpu, answers = [], [], []
    deadline = time.monotonic() + args.seconds
    for number in range(min(args.queries, len(hexes))):
        if number >= args.recall and time.monotonic() > deadline:
            break
        started, started_cpu = time.perf_counter(), time.thread_time()
        found = engine.query(hexes[number], rows[number])
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
        if number < args.recall:
            answers.append(found)
        if number % 100 == 99:
            log(f"{args.engine}: {number + 1} single queries, p50 so far {_ms(wall, 50)} ms")
    return {
        "single_queries": len(wall),
        "p50_ms": _ms(wall, 50),
        "p99_ms": _ms(wall, 99),
        "p50_cpu_ms": _ms(cpu, 50),
        "p99_cpu_ms": _ms(cpu, 99),
        "answers": answers,
    }


def time_batch(
    engine: Engine, hexes: list[str], rows: np.ndarray, args: argparse.Namespace
) -> dict[str, Any]:
    done, matches, step = 0, 0, 500
    deadline = time.monotonic() + args.seconds
    started = time.perf_counter()
    while done < min(args.batch, len(hexes)) and time.monotonic() < deadline:
        matches += engine.batch(hexes[done : done + step], rows[done : done + step])
        done += len(hexes[done : done + step])
    elapsed = time.perf_counter() - started
    log(f"{args.engine}: batch of {done} queries at {done / elapsed:.0f}/s")
    return {"batch_queries": done, "batch_queries_per_s": round(done / elapsed, 1)}


def _ms(seconds: Sequence[float], percentile: int) -> float:
    return round(float(np.percentile(seconds, percentile)) * 1e3, 3) if seconds else 0.0


# --- the parent: data, engines, recall, goals ---------------------------------------------------


def spawn(engine: str, data: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        *("--engine", engine, "--data", str(data)),
        *("--radius", str(args.radius), "--queries", str(args.queries)),
        *("--batch", str(args.batch), "--recall", str(args.recall)),
        *("--seconds", str(args.seconds)),
    ]
    result = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
    figures: dict[str, Any] = json.loads(result.stdout)
    return figures


def recall(answers: list[list[Match]], truth: list[set[Match]]) -> dict[str, Any]:
    expected = sum(len(pairs) for pairs in truth[: len(answers)])
    answered = [(set(map(tuple, got)), pairs) for got, pairs in zip(answers, truth, strict=False)]
    found = sum(len(got & pairs) for got, pairs in answered)
    wrong = sum(len(got - pairs) for got, pairs in answered)
    return {
        "recall": round(found / expected, 6) if expected else 1.0,
        "recall_queries": len(answers),
        "recall_expected_matches": expected,
        "wrong_results": wrong,
    }


def summarise(results: dict[str, dict[str, Any]], raw_mb: float) -> dict[str, Any]:
    summary: dict[str, Any] = {}
    ours, pytx = results.get("ours"), results.get("pytx_pdqindex")
    if ours and pytx:
        summary["speedup_vs_pytx"] = round(pytx["p50_ms"] / ours["p50_ms"], 1)
        summary["speedup_vs_pytx_p99"] = round(pytx["p99_ms"] / ours["p99_ms"], 1)
        summary["speedup_vs_pytx_cpu"] = round(pytx["p50_cpu_ms"] / ours["p50_cpu_ms"], 1)
        summary["batch_speedup_vs_pytx"] = round(
            ours["batch_queries_per_s"] / pytx["batch_queries_per_s"], 1
        )
    if ours:
        goals = {
            "speedup_vs_pytx": f">= {GOAL_SPEEDUP}",
            "recall": "1.0",
            "rss_mb": f"< {GOAL_MEMORY_RATIO * raw_mb:.0f}",
        }
        met = ours["recall"] == 1.0 and ours["wrong_results"] == 0
        met = met and ours["rss_mb"] < GOAL_MEMORY_RATIO * raw_mb
        met = met and summary.get("speedup_vs_pytx", 0) >= GOAL_SPEEDUP
        summary["goals"] = goals | {"met": met}
    return summary


def main() -> int:
    args = parse_args()
    if args.engine:
        print(json.dumps(run_engine(args)))
        return 0
    rng = np.random.default_rng(args.seed)
    log(f"generating {args.hashes} hashes and {args.queries} queries")
    hashes = make_hashes(args.hashes, rng)
    queries = make_queries(hashes, max(args.queries, args.batch), rng)
    truth = brute_force(hashes, queries[: args.recall], args.radius)
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="matching-bench-") as directory:
        np.save(Path(directory) / "hashes.npy", hashes)
        np.save(Path(directory) / "queries.npy", queries)
        del hashes
        for engine in args.engines.split(","):
            figures = spawn(engine, Path(directory), args)
            figures |= recall(figures.pop("answers"), truth)
            results[engine] = figures
            log(f"{engine}: {json.dumps(figures)}")
    raw_mb = args.hashes * 32 / 1e6
    report = {
        "hashes": args.hashes,
        "raw_hashes_mb": raw_mb,
        "radius": args.radius,
        "matches_per_query": round(sum(map(len, truth)) / max(1, len(truth)), 2),
        "memory": "growth of the engine process's resident set over the build, input loaded",
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        **results,
    } | summarise(results, raw_mb)
    print(json.dumps(report, indent=2) if args.json else _table(report))
    return 0 if report.get("goals", {}).get("met", True) else 1


def _table(report: dict[str, Any]) -> str:
    keys = ("p50_ms", "p99_ms", "batch_queries_per_s", "build_s", "rss_mb", "recall")
    lines = [f"{'engine':15}" + "".join(f"{key:>21}" for key in keys)]
    for engine in ENGINES:
        if engine in report:
            lines.append(f"{engine:15}" + "".join(f"{report[engine][k]:>21}" for k in keys))
    lines.append(f"speedup_vs_pytx: {report.get('speedup_vs_pytx')}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
