"""The two locks (`make lock`): requirements.lock is what the app runs on (`make demo`),
requirements-dev.lock adds the development tools at the same versions (`make test`)."""

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


def pins(lock_name):
    """{name: (version, number of hashes)} for each package pinned in a lock."""
    found, name = {}, None
    for line in (ROOT / lock_name).read_text().splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match[1])
            found[name] = (match[2], 0)
        elif name and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[name]
            found[name] = (version, hashes + 1)
        elif not line.startswith(" "):
            name = None
    return found


def declared(extra=None):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {canonicalize_name(Requirement(text).name) for text in requirements}


RUNTIME, DEV = pins("requirements.lock"), pins("requirements-dev.lock")


def test_the_development_lock_has_every_runtime_package_at_the_same_version():
    assert {name: DEV.get(name, (None,))[0] for name in RUNTIME} == {
        name: version for name, (version, _hashes) in RUNTIME.items()
    }


def test_each_lock_pins_what_pyproject_declares():
    assert declared() - set(RUNTIME) == set()
    assert (declared() | declared("dev")) - set(DEV) == set()


@pytest.mark.parametrize("tool", ["pytest", "ruff", "locust", "playwright", "gevent", "flask"])
def test_the_runtime_lock_has_no_development_tool(tool):
    assert tool in DEV
    assert tool not in RUNTIME


@pytest.mark.parametrize("lock", [RUNTIME, DEV], ids=["runtime", "dev"])
def test_every_pin_has_hashes(lock):
    assert [name for name, (_version, hashes) in lock.items() if hashes == 0] == []
