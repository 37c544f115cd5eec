"""`flowkit dev` passes its latency tuning unless --stock, and the binary starts with it."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowkit.runtime._devserver import (
    TUNED_DYNAMIC_CONFIG,
    TUNED_SQLITE_PRAGMAS,
    DevServer,
    stop_process,
)
from tests.samples._servers import free_port


def _values(cmd: list[str], flag: str) -> list[str]:
    return [cmd[i + 1] for i, arg in enumerate(cmd) if arg == flag]


def test_tuned_by_default(tmp_path: Path) -> None:
    cmd = DevServer(db_file=tmp_path / "t.db").command()
    assert _values(cmd, "--dynamic-config-value") == [f"{k}={v}" for k, v in TUNED_DYNAMIC_CONFIG]
    assert _values(cmd, "--sqlite-pragma") == list(TUNED_SQLITE_PRAGMAS)


def test_in_memory_has_no_pragmas() -> None:
    cmd = DevServer(db_file=None).command()
    assert _values(cmd, "--sqlite-pragma") == []
    assert _values(cmd, "--dynamic-config-value")


def test_stock_passes_nothing_of_flowkits(tmp_path: Path) -> None:
    cmd = DevServer(db_file=tmp_path / "t.db", stock=True).command()
    assert "--dynamic-config-value" not in cmd
    assert "--sqlite-pragma" not in cmd


@pytest.mark.slow
@pytest.mark.dev_server
@pytest.mark.parametrize("stock", [False, True], ids=["tuned", "stock"])
def test_the_binary_starts(tmp_path: Path, stock: bool) -> None:
    server = DevServer(
        port=free_port(), ui_port=free_port(), db_file=tmp_path / "t.db", stock=stock
    )
    process = server.start()  # raises if the binary rejects a flag or exits
    try:
        assert process.poll() is None
    finally:
        stop_process(process)


def test_flowkit_dev_passes_stock(monkeypatch: pytest.MonkeyPatch) -> None:
    from flowkit.cli import run
    from flowkit.runtime import DevServer as RuntimeDevServer

    seen: list[bool] = []

    def fake_run(self: RuntimeDevServer, _ready: object) -> int:
        seen.append(self.stock)
        return 0

    monkeypatch.setattr(RuntimeDevServer, "run", fake_run)
    assert run(["dev", "--stock", "--in-memory"]) == 0
    assert run(["dev", "--in-memory"]) == 0
    assert seen == [True, False]
