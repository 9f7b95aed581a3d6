"""Load benchmark of the web app: p50/p95 latency of the home, search and story pages under 20 clients.

    .venv/bin/python benchmarks/web_load.py                 # build the store once (cached), then measure
    .venv/bin/python benchmarks/web_load.py --rebuild --json

Setup. A synthetic store of 100,000 short articles in 10,000 stories (``web_load_data.py``: 50
invented outlets, 10 articles per story, dates over 60 days) is built through the store's own
write path (``Store.write``, ``Store.write_stories``), cached in build/bench/web-load.db and rebuilt
when missing or with ``--rebuild``. Stories are assigned directly (we know which story each
synthetic article belongs to) instead of running the clusterer, whose cost is measured by
``cluster_scale.py``. The comparisons of a random sample of stories (``--warm``, 300) are computed
through ``Comparisons.get`` — the real analysis and comparison, cached in the store as the app
does on a first visit — and the entity index is refreshed (``data.refresh_indexes``).

Measure. ``rashomon serve --read-only`` runs in a subprocess on a free loopback port (uvicorn,
default worker settings). For each page kind in turn, ``--clients`` threads (each with its own
keep-alive httpx client) send requests back to back until ``--requests`` are done or
``--duration`` seconds have passed: ``/`` (home), ``/search?q=...`` with varied queries from the
synthetic vocabulary, ``/stories/ID`` over the warmed sample (warm cache: the comparison is read,
not computed). Latency is from sending the request to having read the whole body. After the load,
two stories outside the sample are requested once each (cold: analysis and comparison computed on
the request; the first also loads the language model). The clients and the server share the
machine's cores.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_load_data as synth  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DB = REPO / "build" / "bench" / "web-load.db"
GOALS = {"story": 150.0, "search": 300.0}  # p95 goals in ms
BATCH = 2000  # articles per write transaction


# ------------------------------------------------------------------------------------------ build


def _articles(batch: list[synth.SyntheticArticle], start: int):
    from rashomon.models import Article

    return [Article(id="", source=f"synthetic:web-load/{start + i:06d}", text=a.text, url=a.url, outlet=a.outlet,
                    title=a.title, authors=[a.author], published=a.published, published_from="given",
                    language="en") for i, a in enumerate(batch)]


def build_store(path: Path, stories: int, per_story: int, warm_count: int, seed: int) -> dict:
    """Write the synthetic store to ``path`` (through a temporary file, renamed when complete)."""
    from rashomon.cluster.online import Assignment, story_id_for
    from rashomon.store import Store

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        p.unlink(missing_ok=True)
    vocab = synth.vocabulary(seed)
    info: dict = {"stories": stories, "per_story": per_story}
    t0 = time.perf_counter()
    story_ids: dict[int, str] = {}
    added = duplicates = 0
    with Store(tmp) as store:
        batch: list[synth.SyntheticArticle] = []
        done = 0

        def flush() -> None:
            nonlocal added, duplicates, done
            results = store.write(_articles(batch, done))
            assignments = []
            for a, r in zip(batch, results):
                if r.status != "added":
                    duplicates += 1
                    continue
                added += 1
                new = a.story not in story_ids
                sid = story_ids.setdefault(a.story, story_id_for(r.id))
                reasons = ({"decision": "new", "why": "synthetic story"} if new else
                           {"decision": "join", "score": 0.9, "threshold": 0.5, "pairs": []})
                assignments.append(Assignment(id=r.id, story=sid, new=new, score=0.0 if new else 0.9,
                                              reasons=reasons))
            store.write_stories(assignments)  # the clusterer's write path, without its features
            done += len(batch)
            batch.clear()
            print(f"\r  stored {done:,} articles", end="", file=sys.stderr, flush=True)

        for article in synth.generate(vocab, stories, per_story, seed):
            batch.append(article)
            if len(batch) >= BATCH:
                flush()
        flush()
        print(file=sys.stderr)
        info.update(articles=added, duplicates=duplicates, write_seconds=round(time.perf_counter() - t0, 1))

        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    info.update(warm(tmp, warm_count, seed))  # closing the store last removes its WAL: tmp is complete
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    tmp.replace(path)
    path.with_suffix(".json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def warm_sample(store, count: int, seed: int) -> list[str]:
    """The stories whose comparison is cached before the run: a seeded sample of all stories."""
    ids = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY id")]
    return random.Random(seed).sample(ids, min(count, len(ids)))


def warm(path: Path, count: int, seed: int) -> dict:
    """Compute (through ``Comparisons.get``, as a first visit does) the comparisons of the sample that
    the cache lacks or holds for another analyzer or rashomon version, and refresh the entity index."""
    from rashomon.store import Store, stories
    from rashomon.store.indexes import cached_comparison
    from rashomon.web.comparisons import Comparisons
    from rashomon.web.data import refresh_indexes

    comparisons = Comparisons()
    t0 = time.perf_counter()
    computed = 0
    with Store(path) as store:
        sample = warm_sample(store, count, seed)
        for i, sid in enumerate(sample, start=1):
            ids = [a["id"] for a in stories.story_articles(store.conn, sid)]
            if cached_comparison(store.conn, sid, comparisons.signature(ids), with_data=False) is None:
                comparisons.get(store, sid, ids)
                computed += 1
                print(f"\r  compared {i}/{len(sample)} stories", end="", file=sys.stderr, flush=True)
        if computed:
            print(file=sys.stderr)
        warm_seconds = time.perf_counter() - t0
        t1 = time.perf_counter()
        indexed = refresh_indexes(store, comparisons.analyzer_version)
        if computed or indexed:
            store.conn.execute("PRAGMA optimize")
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {"warmed": computed, "warm_seconds": round(warm_seconds, 1), "indexed": indexed,
            "index_seconds": round(time.perf_counter() - t1, 1)}


VERSIONS = ("from rashomon import __version__; from rashomon.web.comparisons import Comparisons; "
            "print(__version__, Comparisons().analyzer_version)")


def code_versions(fresh: bool) -> str:
    """rashomon's and the analyzer's versions, which key the comparison cache: as this process
    imported them, or (``fresh``) as a new process (the server) imports them now."""
    if fresh:
        return subprocess.run([sys.executable, "-c", VERSIONS], capture_output=True, text=True).stdout.strip()
    from rashomon import __version__
    from rashomon.web.comparisons import Comparisons
    return f"{__version__} {Comparisons().analyzer_version}"


def store_summary(path: Path, warm_count: int, seed: int) -> dict:
    """Counts of the cached store, the warm sample and two stories outside it."""
    from rashomon.store import Store

    with Store(path, readonly=True) as store:
        c = store.conn
        return {"articles": store.count(),
                "stories": c.execute("SELECT COUNT(*) FROM stories WHERE merged_into IS NULL").fetchone()[0],
                "outlets": c.execute("SELECT COUNT(DISTINCT outlet) FROM articles").fetchone()[0],
                "warm": warm_sample(store, warm_count, seed),
                "cold": [r[0] for r in c.execute("SELECT id FROM stories WHERE id NOT IN "
                                                 "(SELECT story_id FROM comparisons) ORDER BY id LIMIT 2")],
                "bytes": path.stat().st_size}


# ------------------------------------------------------------------------------------------ serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    """``rashomon serve --read-only`` in a subprocess; returns once it answers."""
    exe = Path(sys.executable).with_name("rashomon")
    cmd = [str(exe), "serve", "--db", str(db), "--port", str(port), "--read-only"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server stopped: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/static/app.css", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# ------------------------------------------------------------------------------------------ load


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, min(len(sorted_values), round(q / 100 * len(sorted_values) + 0.5)))
    return sorted_values[rank - 1]


def run_load(base: str, paths: list[str], clients: int, requests: int, duration: float,
             server_pid: int | None = None) -> dict:
    """``clients`` threads request ``paths`` (round robin over a shared counter) until ``requests``
    are done or ``duration`` seconds pass; returns the latency figures in ms."""
    lock = threading.Lock()
    counter = [0]
    latencies: list[float] = []
    errors: list[str] = []
    deadline = time.monotonic() + duration

    def worker() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            while True:
                with lock:
                    i = counter[0]
                    counter[0] += 1
                if i >= requests or time.monotonic() > deadline:
                    return
                t = time.perf_counter()
                try:
                    response = client.get(paths[i % len(paths)])
                    ok = response.status_code == 200
                    problem = f"HTTP {response.status_code}" if not ok else ""
                except httpx.HTTPError as exc:
                    ok, problem = False, type(exc).__name__
                ms = (time.perf_counter() - t) * 1000
                with lock:
                    latencies.append(ms)
                    if not ok:
                        errors.append(problem)

    started = time.perf_counter()
    server_cpu = cpu_seconds(server_pid) if server_pid else 0.0
    client_cpu = time.process_time()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    client_cpu = time.process_time() - client_cpu
    server_cpu = cpu_seconds(server_pid) - server_cpu if server_pid else float("nan")
    values = sorted(latencies)
    n = max(1, len(values))
    return {"requests": len(values), "errors": len(errors), "error_kinds": sorted(set(errors)),
            "p50_ms": round(percentile(values, 50), 1), "p95_ms": round(percentile(values, 95), 1),
            "max_ms": round(values[-1], 1) if values else None,
            "mean_ms": round(sum(values) / len(values), 1) if values else None,
            "req_per_s": round(len(values) / wall, 1) if wall else None, "seconds": round(wall, 1),
            "server_cpu_ms_per_request": round(server_cpu * 1000 / n, 2),
            "client_cpu_ms_per_request": round(client_cpu * 1000 / n, 2)}


def page_paths(summary: dict, seed: int) -> dict[str, list[str]]:
    from urllib.parse import quote_plus

    rng = random.Random(seed)
    queries = synth.search_queries(synth.vocabulary(seed), 500, seed + 1)
    warm = list(summary["warm"])
    rng.shuffle(warm)
    return {"home": ["/"], "search": [f"/search?q={quote_plus(q)}" for q in queries],
            "story": [f"/stories/{sid}" for sid in warm]}


def timed_get(base: str, path: str) -> tuple[float, int]:
    t = time.perf_counter()
    response = httpx.get(base + path, timeout=300)
    return (time.perf_counter() - t) * 1000, response.status_code


# ------------------------------------------------------------------------------------------ main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB, help="cached synthetic store (default %(default)s)")
    ap.add_argument("--rebuild", action="store_true", help="build the store again even if it exists")
    ap.add_argument("--stories", type=int, default=10_000)
    ap.add_argument("--per-story", type=int, default=10)
    ap.add_argument("--warm", type=int, default=300, help="stories whose comparison is computed before the run")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=3000, help="at most this many requests per page kind")
    ap.add_argument("--duration", type=float, default=30.0, help="at most this many seconds per page kind")
    ap.add_argument("--pages", default="home,search,story", help="page kinds to measure, in order")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold story page requests")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args()

    if args.rebuild or not args.db.exists():
        print(f"building {args.db} ({args.stories:,} stories of {args.per_story} articles)...", file=sys.stderr)
        build_store(args.db, args.stories, args.per_story, args.warm, args.seed)
    sidecar = args.db.with_suffix(".json")
    build = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.exists() else None
    rewarm = warm(args.db, args.warm, args.seed)  # a no-op unless the analyzer or rashomon changed
    summary = store_summary(args.db, args.warm, args.seed)
    paths = page_paths(summary, args.seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()[0]
    server = start_server(args.db, port)
    results: dict[str, dict] = {}
    cold: list[dict] = []
    try:
        for kind in args.pages.split(","):
            if not paths[kind]:
                print(f"skipping {kind}: nothing to request", file=sys.stderr)
                continue
            run_load(base, paths[kind], args.clients, min(40, args.requests), 5)  # warm-up, not counted
            print(f"measuring {kind} ...", file=sys.stderr)
            results[kind] = run_load(base, paths[kind], args.clients, args.requests, args.duration, server.pid)
        if not args.no_cold:
            for sid in summary["cold"]:
                ms, status = timed_get(base, f"/stories/{sid}")
                cold.append({"story": sid, "ms": round(ms, 1), "status": status})
    finally:
        stop_server(server)
    stale = "story" in results and code_versions(fresh=True) != code_versions(fresh=False)

    goals = [{"page": kind, "p95_goal_ms": goal, "p95_ms": results[kind]["p95_ms"],
              "pass": results[kind]["p95_ms"] < goal and not results[kind]["errors"]}
             for kind, goal in GOALS.items() if kind in results]
    report = {"store": {k: v for k, v in summary.items() if k not in ("warm", "cold")} | {"warm_stories": len(summary["warm"])},
              "build": build, "rewarm": rewarm, "clients": args.clients, "cpus": os.cpu_count(),
              "load_average_before": round(load_before, 2), "pages": results,
              "goals": goals, "cold_story": cold, "code_changed_during_run": stale,
              "command": " ".join([Path(sys.executable).name, *sys.argv])}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    s = report["store"]
    if build:
        print(f"build: {build['write_seconds']} s to store the articles and stories, {build['warm_seconds']} s "
              f"to compare {build['warmed']} stories, {build['index_seconds']} s to index the analyses")
    print(f"store: {s['articles']:,} articles, {s['stories']:,} stories, {s['outlets']} outlets, "
          f"{s['bytes'] / 1e6:.0f} MB; {s['warm_stories']} story comparisons cached (story pages measured warm)")
    print(f"{args.clients} concurrent clients on loopback, {os.cpu_count()} cores shared with the server; "
          f"per page kind at most {args.requests} requests or {args.duration:g} s; "
          f"1-min load average before the run {load_before:.2f}\n")
    print(f"{'page':8} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'errors':>6} "
          f"{'server CPU ms/req':>17} {'client CPU ms/req':>17}")
    for kind, r in results.items():
        print(f"{kind:8} {r['requests']:>8} {r['req_per_s']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} "
              f"{r['max_ms']:>8} {r['errors']:>6} {r['server_cpu_ms_per_request']:>17} "
              f"{r['client_cpu_ms_per_request']:>17}")
    print()
    for g in goals:
        print(f"goal: {g['page']} p95 < {g['p95_goal_ms']:g} ms: {g['p95_ms']} ms  {'PASS' if g['pass'] else 'FAIL'}")
    if stale:
        print("warning: the analyzer or rashomon changed during the run, so the server did not find the "
              "cached comparisons: story pages were not warm; run again")
    for i, c in enumerate(cold):
        note = " (includes loading the language model)" if i == 0 else ""
        print(f"cold story page (comparison computed on request, one client): {c['ms']:.0f} ms, "
              f"HTTP {c['status']}{note}")


if __name__ == "__main__":
    main()
