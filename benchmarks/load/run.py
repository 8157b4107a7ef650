#!/usr/bin/env python
"""Load test on loopback (docs/spec/quality.md#load: 50 users, mixed reads and writes, bounded time;
0 server errors, p95 under 500 ms for pages and under 1 s for saves).

    .venv/bin/python benchmarks/load/run.py [--users 50] [--time 2m] [--database-url URL]
    make load                                   # the same, on SQLite

It makes a temporary data folder, prepares it (prepare.py: the demo data plus a review, a
recommendation and an account with a TOTP device for every simulated person), starts the real
server (`practice-review serve`: gunicorn, as deployed) on 127.0.0.1, runs locust headless for a
bounded time, stops the server and prints: requests, failures, server errors (5xx in locust's
results and in the server's access log, and tracebacks in its log), p50/p95/p99 for pages and for
saves, requests per second. It writes the figures as JSON to benchmarks/out/ and exits 1 when
there was a server error or a failed request, or a p95 is over its target.

With a `postgres://` URL the run creates a throwaway database on that server (the role needs
CREATEDB) and drops it afterwards. Locust and the server share the machine's cores.
"""

import argparse
import csv
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUT = ROOT / "benchmarks" / "out"
BIN = Path(sys.executable).parent
TARGET_MS = {"page": 500, "save": 1000}
KINDS = ("page", "save", "sign-in")


def percentile(values, fraction):
    """Nearest-rank percentile of a sorted list (what locust reports, without its rounding)."""
    if not values:
        return None
    rank = max(1, -(-len(values) * fraction // 1))
    return values[int(rank) - 1]


def kind_of(name):
    return name.split(":", 1)[0]


def summarise(raw_rows, duration_seconds):
    """Figures per kind (page, save, sign-in) and per request name, from locust's raw rows."""
    by_kind, by_name = {}, {}
    for row in raw_rows:
        for key, table in ((kind_of(row["name"]), by_kind), (row["name"], by_name)):
            entry = table.setdefault(key, {"times": [], "failures": 0, "5xx": 0})
            entry["times"].append(float(row["ms"]))
            entry["failures"] += bool(row["failed"])
            entry["5xx"] += row["status"].startswith("5")

    def figures(entry):
        times = sorted(entry["times"])
        return {
            "requests": len(times),
            "failures": entry["failures"],
            "5xx": entry["5xx"],
            "p50_ms": percentile(times, 0.50),
            "p95_ms": percentile(times, 0.95),
            "p99_ms": percentile(times, 0.99),
            "max_ms": times[-1] if times else None,
        }

    # Everyone signs in first (locustfile.py); the working period starts when the last has.
    times = [float(row["at"]) for row in raw_rows]
    sign_ins = [float(row["at"]) for row in raw_rows if kind_of(row["name"]) == "sign-in"]
    signed_in_at = max(sign_ins, default=min(times, default=0))
    working_seconds = max(times, default=0) - signed_in_at
    working = sum(kind_of(row["name"]) != "sign-in" for row in raw_rows)
    total = len(raw_rows)
    return {
        "requests": total,
        "failures": sum(bool(row["failed"]) for row in raw_rows),
        "5xx": sum(row["status"].startswith("5") for row in raw_rows),
        "rps": round(total / duration_seconds, 1) if duration_seconds else None,
        "sign_in_storm_s": round(signed_in_at - min(times, default=0), 1),
        "working_period_s": round(working_seconds, 1),
        "working_rps": round(working / working_seconds, 1) if working_seconds > 0 else None,
        "kinds": {kind: figures(entry) for kind, entry in sorted(by_kind.items())},
        "names": {name: figures(entry) for name, entry in sorted(by_name.items())},
    }


def server_log_findings(log_text):
    """5xx lines in gunicorn's access log, and tracebacks the app logged."""
    statuses = re.findall(r'" (\d{3}) ', log_text)
    return {
        "access_log_requests": len(statuses),
        "access_log_5xx": sum(status.startswith("5") for status in statuses),
        "tracebacks": log_text.count("Traceback (most recent call last)"),
    }


def verdict(summary, server):
    """The reasons the run fails the bar in docs/spec/quality.md#load (an empty list: it passes)."""
    reasons = []
    errors = max(summary["5xx"], server["access_log_5xx"])
    if errors or server["tracebacks"]:
        reasons.append(f"{errors} server errors, {server['tracebacks']} tracebacks")
    if summary["failures"]:
        reasons.append(f"{summary['failures']} failed requests (see the table)")
    for kind, target in TARGET_MS.items():
        p95 = summary["kinds"].get(kind, {}).get("p95_ms")
        if p95 is None:
            reasons.append(f"no {kind} requests were made")
        elif p95 > target:
            reasons.append(f"p95 for {kind}s is {p95:.0f} ms, over {target} ms")
    return reasons


def fresh_postgres(url):
    """A throwaway database beside the one named in `url`: its URL and name."""
    import psycopg

    name = f"practice_review_load_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}")), name


def drop_postgres(url, name):
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until_up(url, server, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}): see its log")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within {seconds} s")


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def group_cpu_seconds(group):
    """CPU time used so far by the live processes of a process group (the server's workers)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process has gone
        if int(fields[2]) == group:  # pgrp; utime and stime are fields 14 and 15 of stat
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def load_average():
    return [round(value, 2) for value in os.getloadavg()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated people (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="people started per second")
    parser.add_argument("--time", default="2m", help="how long locust runs (default 2m)")
    parser.add_argument("--port", type=int, default=25480, help="loopback port for the server")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: serve's own)")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL"),
        help="postgres://... (a throwaway database is made there; default $DATABASE_URL), "
        "else SQLite in the temporary data folder",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="practice-review-load-"))
    env = {**os.environ, "PRACTICE_REVIEW_DATA_DIR": str(workdir / "data")}
    env.pop("PRACTICE_REVIEW_DEMO_MODE", None)
    # Plain HTTP on loopback: in production TLS ends at the reverse proxy in front of gunicorn,
    # and the app's HTTPS redirect and secure-only cookies would make plain HTTP unusable.
    env["PRACTICE_REVIEW_HTTPS"] = "false"
    env.pop("DATABASE_URL", None)
    server_url, pg_name, database = None, None, "SQLite"
    if args.database_url:
        server_url = args.database_url
        env["DATABASE_URL"], pg_name = fresh_postgres(server_url)
        database = "PostgreSQL"
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    server = None
    try:
        print(f"preparing {args.users} users' data on {database} in {workdir} ...", flush=True)
        started = time.monotonic()
        subprocess.run(
            [sys.executable, str(HERE / "prepare.py"), "--users", str(args.users)],
            env=env,
            check=True,
        )
        prepared_in = time.monotonic() - started
        log_path = workdir / "server.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [str(BIN / "practice-review"), "serve", "--host", "127.0.0.1",
                 "--port", str(args.port)],
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        host = f"http://127.0.0.1:{args.port}"
        wait_until_up(f"{host}/sign-in/", server)
        load_before = load_average()
        server_cpu_before = group_cpu_seconds(server.pid)
        locust_cpu_before = _children_cpu()
        print(f"server up on {host}; locust: {args.users} users, +{args.spawn_rate}/s, {args.time}")
        locust_env = {
            **env,
            "LOAD_USERS_FILE": str(workdir / "data" / "load-users.json"),
            "LOAD_RAW_OUT": str(workdir / "raw.csv"),
        }
        started = time.monotonic()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time,
             "--host", host, "--csv", str(workdir / "locust"), "--only-summary",
             "--loglevel", "WARNING"],
            env=locust_env, check=False,
        )  # fmt: skip
        duration = time.monotonic() - started
        load_after = load_average()
        server_cpu = group_cpu_seconds(server.pid) - server_cpu_before
        locust_cpu = _children_cpu() - locust_cpu_before
        stop(server)
        with open(workdir / "raw.csv", newline="") as file:
            raw_rows = list(csv.DictReader(file))
        summary = summarise(raw_rows, duration)
        server_findings = server_log_findings(log_path.read_text(errors="replace"))
        reasons = verdict(summary, server_findings)
        result = {
            "when": datetime.datetime.now().isoformat(timespec="seconds"),
            "database": database,
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "time": args.time,
            "duration_s": round(duration, 1),
            "prepared_in_s": round(prepared_in, 1),
            "workers": int(env.get("WEB_CONCURRENCY", 3)),
            "cpus": os.cpu_count(),
            "load_average_before": load_before,
            "load_average_after": load_after,
            "server_cpu_s": round(server_cpu, 1),
            "locust_cpu_s": round(locust_cpu, 1),
            **summary,
            "server": server_findings,
            "passed": not reasons,
            "reasons": reasons,
        }
        print_summary(result)
        OUT.mkdir(parents=True, exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        out = OUT / f"load-{database.lower()}-{stamp}.json"
        out.write_text(json.dumps(result, indent=1))
        print(f"figures written to {out.relative_to(ROOT)}")
        if server_findings["tracebacks"] or args.keep:
            print(f"server log: {log_path}")
            args.keep = True
        return 0 if not reasons else 1
    finally:
        if server is not None:
            stop(server)
        if pg_name:
            drop_postgres(server_url, pg_name)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def _children_cpu():
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _ms(value):
    return "-" if value is None else f"{value:.0f}"


def print_summary(r):
    print()
    print(f"{r['database']}: {r['users']} users for {r['duration_s']} s, {r['workers']} gunicorn "
          f"workers, {r['cpus']} CPUs shared with locust; load average before "
          f"{r['load_average_before']}, after {r['load_average_after']}")  # fmt: skip
    header = f"{'':<40} {'requests':>8} {'fail':>5} {'5xx':>4} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>6}"  # noqa: E501
    print(header)
    for label, rows in (("by request", r["names"]), ("by kind", r["kinds"])):
        for name, f in rows.items():
            print(f"{name:<40} {f['requests']:>8} {f['failures']:>5} {f['5xx']:>4} "
                  f"{_ms(f['p50_ms']):>6} {_ms(f['p95_ms']):>6} {_ms(f['p99_ms']):>6} "
                  f"{_ms(f['max_ms']):>6}")  # fmt: skip
        if label == "by request":
            print("-" * len(header))
    reads = r["kinds"].get("page", {}).get("requests", 0)
    writes = r["kinds"].get("save", {}).get("requests", 0)
    share = 100 * writes / (reads + writes) if reads + writes else 0
    s = r["server"]
    print(f"\nrequests {r['requests']}, failures {r['failures']}, 5xx {r['5xx']} (access log: "
          f"{s['access_log_5xx']} of {s['access_log_requests']}), tracebacks {s['tracebacks']}, "
          f"{r['rps']} requests/s overall")  # fmt: skip
    print(
        f"everyone signed in within {r['sign_in_storm_s']} s; then {r['working_period_s']} s "
        f"of work at {r['working_rps']} requests/s, saves {share:.0f}% of pages + saves"
    )
    per_request = 1000 * r["server_cpu_s"] / max(1, r["requests"])
    available = r["cpus"] * r["duration_s"]
    print(
        f"CPU used: server {r['server_cpu_s']} s ({per_request:.0f} ms a request), locust "
        f"{r['locust_cpu_s']} s, of {available:.0f} s the machine had"
    )
    targets = ", ".join(f"p95 {kind}s < {ms} ms" for kind, ms in TARGET_MS.items())
    print(
        f"{'PASS' if r['passed'] else 'FAIL'} ({targets}, 0 server errors, 0 failures)"
        + ("" if r["passed"] else ": " + "; ".join(r["reasons"]))
    )


if __name__ == "__main__":
    sys.exit(main())
