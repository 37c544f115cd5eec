"""Shared options mean the same in every command: declared once in flowkit.cli._options."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
import typer.main
from typer.core import TyperGroup, TyperOption

import flowkit.runtime
from flowkit import policy
from flowkit.cli import _options, app, run

# The commands that take their options from _options (the run commands, dev and worker);
# the generators and the compiler are to follow.
SHARED_BY = ("run", "status", "list", "history", "submit", "approve", "reject", "cancel")
SHARED_BY += ("result", "worker", "new", "destroy", "doctor")


def _commands() -> dict[str, Any]:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


def _option(command: Any, flag: str) -> TyperOption | None:
    for param in command.params:
        if isinstance(param, TyperOption) and flag in param.opts + param.secondary_opts:
            return param
    return None


@pytest.mark.parametrize(
    ("short", "long"), [("-f", "--force"), ("-i", "--input"), ("-o", "--output")]
)
def test_a_short_flag_means_one_option_in_every_command(short: str, long: str) -> None:
    having = {
        name: tuple(option.opts)
        for name, command in _commands().items()
        if (option := _option(command, short)) is not None
    }
    assert having  # the compiler has -f and -o; run and submit have -i
    assert all(long in opts for opts in having.values()), having


def test_history_follow_has_no_short_flag(capsys: pytest.CaptureFixture[str]) -> None:
    follow = _option(_commands()["history"], "--follow")
    assert follow is not None
    assert follow.opts == ["--follow"]
    assert run(["history", "some-run", "-f"]) == 2
    assert "No such option: -f" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--address", "--namespace", "--json", "--task-queue"])
def test_a_shared_option_is_declared_once(flag: str) -> None:
    found = [
        option for name in SHARED_BY if (option := _option(_commands()[name], flag)) is not None
    ]
    assert found
    assert len({(tuple(o.opts), o.help, o.default) for o in found}) == 1


def test_the_task_queue_default_is_the_setting_in_force() -> None:
    option = _option(_commands()["run"], "--task-queue")
    assert option is not None
    assert option.default is None  # the library reads worker.task_queue when it is used
    default = policy.WorkerSettings().task_queue
    assert _options.setting_default("worker", "task_queue") == default
    assert str(option.show_default) == f"the worker.task_queue setting, {default!r}"


def test_run_help_shows_the_task_queue_setting_and_its_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["run", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"the worker.task_queue setting, {policy.WorkerSettings().task_queue!r}" in out


def test_status_choices_in_the_help_are_the_librarys() -> None:
    assert _options.RUN_STATUSES == flowkit.runtime.RUN_STATUSES


def test_an_unknown_status_is_refused_before_connecting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Port 1 has no server: the status is checked while the arguments are parsed.
    assert run(["list", "--status", "sleeping", "--address", "127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: --status sleeping: use one of running, completed, failed, canceled, "
        "terminated, timed_out\n"
    )


def test_the_cli_imports_no_policy_or_temporalio_until_a_command_runs() -> None:
    probe = "import sys, flowkit.cli; print(sorted(m for m in sys.modules if m.startswith(("
    probe += "'flowkit.policy', 'temporalio', 'pydantic'))))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_map_and_cond_pairs_are_read_one_way() -> None:
    from flowkit.errors import UsageError

    assert _options.parse_pairs(["IDEATE:demo.fns.brainstorm"], "--map") == {
        "IDEATE": "demo.fns.brainstorm"
    }
    assert _options.parse_pairs([" IDEATE : demo.fns.x "], "--cond") == {"IDEATE": "demo.fns.x"}
    for bad in ("IDEATE", ":demo.x", "IDEATE: "):
        with pytest.raises(UsageError, match=r"--map takes STEP:module\.name"):
            _options.parse_pairs([bad], "--map")


@pytest.mark.parametrize(
    "command",
    [["compile", "A -> B", "--name", "P"], ["g", "pipeline", "P", "--operators", "A → B"]],
)
def test_a_bad_map_is_one_error_in_every_command(
    command: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Any, monkeypatch: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run([*command, "--map", "IDEATE"]) == 2
    assert "--map takes STEP:module.name, got 'IDEATE'" in capsys.readouterr().err
