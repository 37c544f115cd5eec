"""flowkit's pytest plugin (registered through the ``pytest11`` entry point).

Fixtures:

- ``flowkit_env``: a session-wide time-skipping test server (``WorkflowEnvironment``);
- ``flowkit_client``: its client, with flowkit's data converter;
- ``flowkit_dev_env``: a session-wide Temporal dev server, for what the test server lacks
  (listing runs, schedules, search attributes);
- ``flowkit_worker``: ``async with flowkit_worker(workflows=[...], functions=[...],
  stubs={...}) as task_queue:`` runs a worker on a fresh task queue for one test.

The fixtures live on pytest-asyncio's session loop: set ``asyncio_default_fixture_loop_scope``
and ``asyncio_default_test_loop_scope`` to ``"session"`` (see docs/testing.md).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

try:
    import pytest_asyncio
except ImportError:  # pragma: no cover - the fixtures need the testing extra
    pytest_asyncio = None  # type: ignore[assignment]


if pytest_asyncio is not None:

    @pytest_asyncio.fixture(scope="session", loop_scope="session")
    async def flowkit_env() -> AsyncIterator[Any]:
        """A time-skipping Temporal test server shared by the session."""
        from flowkit.testing import start_time_skipping

        env = await start_time_skipping()
        try:
            yield env
        finally:
            await env.shutdown()

    @pytest_asyncio.fixture(scope="session", loop_scope="session")
    async def flowkit_dev_env() -> AsyncIterator[Any]:
        """A Temporal dev server (in memory) shared by the session."""
        from flowkit.testing import start_dev_server

        env = await start_dev_server()
        try:
            yield env
        finally:
            await env.shutdown()

    @pytest.fixture
    def flowkit_client(flowkit_env: Any) -> Any:
        """The client of the time-skipping test server."""
        return flowkit_env.client

    @pytest.fixture
    def flowkit_worker(flowkit_env: Any) -> Callable[..., Any]:
        """A factory of workers on the time-skipping server: see ``flowkit.testing.run_worker``."""
        from flowkit.testing import run_worker

        return functools.partial(run_worker, flowkit_env.client)
