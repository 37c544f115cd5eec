"""Developer sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s typecheck``,
``nox -s bench`` (the bench suite, writes bench/results.json), and ``nox -s fuzz`` (the
property tests of the compiler, the YAML loader and the evaluator with 10,000 cases per
target: ``nox -s fuzz -- 50000`` for more)."""

import os
import random

import nox

nox.options.sessions = ["tests", "slow", "lint", "typecheck"]
PATHS = ["src", "tests", "samples", "bench", "noxfile.py"]


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite on Temporal's time-skipping and dev servers."""
    session.install("-e", ".[dev]")
    session.run("pytest", *session.posargs)


@nox.session
def slow(session: nox.Session) -> None:
    """The tests the default run leaves out (marked slow); CI runs them too."""
    session.install("-e", ".[dev]")
    session.run("pytest", "-m", "slow", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("ruff")
    session.run("ruff", "check", *PATHS)
    session.run("ruff", "format", "--check", *PATHS)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package."""
    session.install("-e", ".[dev]")
    session.run("mypy")


@nox.session
def fuzz(session: nox.Session) -> None:
    """The fuzz targets with many cases and a fresh seed (printed, to replay a failure)."""
    session.install("-e", ".[dev]")
    examples = session.posargs[0] if session.posargs else "10000"
    seed = os.environ.get("FLOWKIT_FUZZ_SEED") or str(random.randrange(2**32))
    session.log(f"{examples} cases per target, seed {seed}")
    session.run(
        "pytest",
        "tests/fuzz",
        "-p",
        "no:randomly",
        f"--hypothesis-seed={seed}",
        "--hypothesis-show-statistics",
        "-q",
        env={"FLOWKIT_FUZZ_EXAMPLES": examples, "FLOWKIT_FUZZ_SEED": seed},
    )


@nox.session
def bench(session: nox.Session) -> None:
    """The bench suite (``python -m bench``): writes bench/results.json; pass ``-- --quick``."""
    session.install("-e", ".[dev]")
    session.run("python", "-m", "bench", *session.posargs)
