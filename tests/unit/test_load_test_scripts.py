"""The load test's scripts cannot rot silently (docs/spec/quality.md#load: "load on loopback: 50
users, mixed reads and writes, bounded time"): the locust file loads and gives every simulated
person work, and the runner's verdict fails a run with a server error, a failed request or a
slow p95. The load itself is run by `make load`, not here (no timed assertions in tests)."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "load"
ROLES_PREPARED = {"reviewer", "practitioner", "manager", "qa_lead"}  # prepare.py's accounts


def load_module(name):
    spec = importlib.util.spec_from_file_location(f"load_{name}", LOAD / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The locust file is loaded in a child process: importing locust monkey-patches the standard
# library with gevent, which must not happen inside the test run.
DESCRIBE_USERS = """
import inspect, json, sys
sys.path.insert(0, sys.argv[1])
import locustfile
from locust import User
people = {}
for name, cls in inspect.getmembers(locustfile, inspect.isclass):
    if issubclass(cls, User) and not cls.abstract:
        people[name] = {"role": cls.role, "weight": cls.weight,
                        "tasks": sorted({task.__name__ for task in cls.tasks})}
print(json.dumps(people))
"""


@pytest.mark.slow
def test_the_locust_file_loads_and_locust_lists_its_people():
    """docs/spec/quality.md#load: load on loopback: 50 users, mixed reads and writes, bounded
    time."""
    listed = subprocess.run(
        [str(Path(sys.executable).parent / "locust"), "-f", str(LOAD / "locustfile.py"), "--list"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LOAD_USERS_FILE": ""},
    )
    assert listed.returncode == 0, listed.stderr
    for person in ("Reviewer", "QALead", "Practitioner", "Manager"):
        assert person in listed.stdout


@pytest.mark.slow
def test_every_simulated_person_has_a_prepared_role_and_reads_and_writes_to_do():
    """docs/spec/quality.md#load: load on loopback: 50 users, mixed reads and writes, bounded
    time."""
    described = subprocess.run(
        [sys.executable, "-c", DESCRIBE_USERS, str(LOAD)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "LOAD_USERS_FILE": ""},
        check=True,
    )
    people = json.loads(described.stdout)
    assert {person["role"] for person in people.values()} == ROLES_PREPARED
    assert all(person["weight"] > 0 and person["tasks"] for person in people.values())
    # Writes: the review form (autosave and Save), responses and tracker updates.
    assert "fill_in_a_section" in people["Reviewer"]["tasks"]
    assert "respond" in people["Practitioner"]["tasks"]
    assert {"respond", "tracker_update"} <= set(people["Manager"]["tasks"])
    # Reviewers are most of the 50, and 50 people fit the accounts prepare.py makes per slot.
    weights = {name: person["weight"] for name, person in people.items()}
    assert weights["Reviewer"] > sum(weights.values()) / 2
    assert max(weights.values()) * 50 / sum(weights.values()) <= 50


def row(name, ms, status="200", failed="", at="0"):
    return {"name": name, "ms": str(ms), "status": status, "failed": failed, "at": at}


@pytest.fixture
def run():
    return load_module("run")


def test_percentiles_are_nearest_rank(run):
    values = list(range(1, 101))
    assert run.percentile(values, 0.50) == 50
    assert run.percentile(values, 0.95) == 95
    assert run.percentile(values, 0.99) == 99
    assert run.percentile([7], 0.95) == 7
    assert run.percentile([], 0.95) is None


def test_pages_and_saves_are_summarised_apart_and_sign_ins_are_left_out_of_both(run):
    rows = [row("sign-in: password", 5000, at="10")]
    rows += [row("page: home", 100, at="11")] * 19 + [row("page: cohort", 900, at="12")]
    rows += [row("save: autosave", 200, at="13")] * 9 + [row("save: response", 2000, at="20")]
    summary = run.summarise(rows, duration_seconds=10)
    assert summary["kinds"]["page"]["requests"] == 20
    assert summary["kinds"]["page"]["p95_ms"] == 100
    assert summary["kinds"]["page"]["p99_ms"] == 900
    assert summary["kinds"]["save"]["p95_ms"] == 2000
    assert summary["kinds"]["sign-in"]["requests"] == 1
    assert summary["working_period_s"] == 10.0
    assert summary["working_rps"] == 3.0


def test_the_verdict_passes_a_clean_fast_run(run):
    rows = [row("page: home", 100), row("save: autosave", 300)]
    server = run.server_log_findings('127.0.0.1 - - [x] "GET / HTTP/1.1" 200 512 "-" "locust"\n')
    assert run.verdict(run.summarise(rows, 1), server) == []


PAGE, SAVE = row("page: home", 100), row("save: autosave", 300)


@pytest.mark.parametrize(
    ("rows", "log", "reason"),
    [
        ([row("page: home", 100, status="500", failed="failed"), SAVE], "", "1 server errors"),
        ([PAGE, SAVE], '"POST /x/ HTTP/1.1" 502 0 "-" "locust"\n', "1 server errors"),
        ([PAGE, SAVE], "Traceback (most recent call last):\n", "1 tracebacks"),
        ([row("page: home", 100, status="302", failed="failed"), SAVE], "", "failed requests"),
        ([row("page: home", 501), SAVE], "", "p95 for pages is 501 ms"),
        ([PAGE, row("save: autosave", 1001)], "", "p95 for saves is 1001 ms"),
        ([PAGE], "", "no save requests"),
    ],
)
def test_the_verdict_fails_a_server_error_a_failure_or_a_slow_p95(run, rows, log, reason):
    """docs/spec/quality.md#load: 0 server errors; p95 under 500 ms for pages, 1 s for saves."""
    reasons = run.verdict(run.summarise(rows, 1), run.server_log_findings(log))
    assert any(reason in said for said in reasons), reasons
