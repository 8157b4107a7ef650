"""Known vulnerabilities in the locked dependencies (`make security`), with pip-audit.

It audits requirements-dev.lock: every package of requirements.lock (what a deployment runs), at
the same versions, plus the development tools. A finding says which of the two it is in.

pip-audit asks a vulnerability service (PyPI's, by default) about each pinned version. Where
that service cannot be reached, pip-audit either fails with a connection error or, behind a
mirror that does not serve PyPI's JSON API, reports every package as "could not be audited"
and still says "No known vulnerabilities found". Neither is a pass: this script says plainly
that nothing was checked, and exits 0 only because an unreachable service is not a finding.
Any vulnerability found fails (exit 1).
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"
NOT_CHECKED = "pip-audit: vulnerability service not reachable; not checked"
CONNECTION_ERRORS = ("ConnectionError", "NameResolutionError", "getaddrinfo", "Max retries")


def pinned_names(lock):
    """The names pinned in a lock written by `uv pip compile` (`name==version \\`)."""
    lines = lock.read_text().splitlines()
    return {line.split("==")[0].lower() for line in lines if line[:1].isalnum() and "==" in line}


def main():
    command = [
        str(Path(sys.executable).with_name("pip-audit")),
        "-r", str(DEV_LOCK), "--require-hashes", "--disable-pip",
        "--format", "json", "--progress-spinner", "off",
    ]  # fmt: skip
    finished = subprocess.run(command, capture_output=True, text=True, timeout=600)
    try:
        report = json.loads(finished.stdout)
    except json.JSONDecodeError:
        if any(error in finished.stderr for error in CONNECTION_ERRORS):
            print(NOT_CHECKED)
            return 0
        sys.stderr.write(finished.stdout + finished.stderr)
        print("pip-audit failed without a report (see above)")
        return 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    runtime = pinned_names(RUNTIME_LOCK)
    for dependency in vulnerable:
        where = "runtime" if dependency["name"].lower() in runtime else "development only"
        for vulnerability in dependency["vulns"]:
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fixed version yet"
            print(
                f"{dependency['name']} {dependency['version']} ({where}): {vulnerability['id']} "
                f"(fixed in {fixed})"
            )
    if vulnerable:
        print(f"pip-audit: {len(vulnerable)} locked dependencies have known vulnerabilities")
        return 1
    if not audited:
        print(NOT_CHECKED)
        return 0
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    print(f"pip-audit: {len(audited)} locked dependencies, no known vulnerabilities")
    if skipped:
        print(f"pip-audit: not checked (unknown to the service): {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
