"""Settings: one loader, CLI > environment > YAML > defaults."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from flowkit import policy
from flowkit.errors import UsageError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("10m", 600),
        ("1.5h", 5400),
        ("2d", 172800),
        ("500ms", 0.5),
        (30, 30),
        ("45", 45),
        ("1w", 604800),
    ],
)
def test_parse_duration(text, seconds):
    assert policy.parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["ten minutes", "-5s", "5 years", "", True])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError, match="duration"):
        policy.parse_duration(text)


@pytest.mark.parametrize(
    "value",
    ["99999999999d", "315576000001s", "1" + "0" * 400, float("inf"), 1e400, 10**5000, 2**64],
    ids=["days", "seconds", "400-digits", "inf", "1e400", "5000-digit-int", "2**64"],
)
def test_parse_duration_refuses_what_temporal_cannot_carry(value):
    # timedelta itself overflowed on some of these (OverflowError, not ValueError).
    with pytest.raises(ValueError, match="longer than 3652500d"):
        policy.parse_duration(value)


def test_the_longest_duration_is_the_largest_protobuf_duration():
    assert timedelta(seconds=315_576_000_000) == policy.MAX_DURATION
    assert policy.parse_duration("315576000000s") == policy.MAX_DURATION
    assert policy.parse_duration("3652500d") == policy.MAX_DURATION
    with pytest.raises(ValueError, match="longer than"):
        policy.parse_duration(policy.MAX_DURATION + timedelta(microseconds=1))


@pytest.mark.parametrize("value", ["٣s", "²", "10m\n5", float("nan"), "1e3s", "0x10"])
def test_parse_duration_takes_ascii_numbers_only(value):
    with pytest.raises(ValueError, match="not a duration"):
        policy.parse_duration(value)


def test_parse_duration_quotes_long_text_briefly():
    with pytest.raises(ValueError, match="not a duration") as info:
        policy.parse_duration("x" * 10_000)
    assert len(str(info.value)) < 120


@pytest.mark.parametrize(
    ("seconds", "text"), [(120, "2m"), (90, "90s"), (1.5, "1500ms"), (86400, "1d"), (3600, "1h")]
)
def test_format_duration(seconds, text):
    assert policy.format_duration(timedelta(seconds=seconds)) == text


def test_built_in_defaults():
    s = policy.load_settings(environ={}, root="/nonexistent")
    retry = s.policy.retry.to_retry_policy()
    assert retry.initial_interval == timedelta(seconds=5)
    assert retry.backoff_coefficient == 2.0
    assert retry.maximum_interval == timedelta(minutes=2)
    assert retry.maximum_attempts == 6
    assert s.policy.timeout == timedelta(minutes=2)
    assert s.policy.heartbeat == timedelta(seconds=30)
    assert s.worker.task_queue == "flowkit"


def _project(tmp_path: Path, text: str, env_text: str | None = None) -> Path:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.yaml").write_text(text)
    if env_text is not None:
        (tmp_path / "config" / "settings.prod.yaml").write_text(env_text)
    return tmp_path


def test_precedence_cli_over_env_over_yaml_over_defaults(tmp_path):
    root = _project(
        tmp_path, "policy:\n  timeout: 5m\n  heartbeat: 10s\n  retry:\n    max_attempts: 2\n"
    )
    env = {"FLOWKIT_POLICY__HEARTBEAT": "20s", "FLOWKIT_POLICY__RETRY__MAX_ATTEMPTS": "4"}
    s = policy.load_settings(cli={"policy.retry.max_attempts": 9}, environ=env, root=root)
    assert s.policy.timeout == timedelta(minutes=5)  # YAML over default
    assert s.policy.heartbeat == timedelta(seconds=20)  # env over YAML
    assert s.policy.retry.max_attempts == 9  # CLI over env
    assert s.policy.retry.initial == timedelta(seconds=5)  # default kept


def test_flowkit_env_picks_the_overlay_file(tmp_path):
    root = _project(tmp_path, "worker:\n  task_queue: dev\n", "worker:\n  task_queue: prod\n")
    assert policy.load_settings(environ={}, root=root).worker.task_queue == "dev"
    prod = policy.load_settings(environ={"FLOWKIT_ENV": "prod"}, root=root)
    assert prod.worker.task_queue == "prod"


def test_unknown_setting_names_its_source(tmp_path):
    root = _project(tmp_path, "policy:\n  retires: 3\n")
    with pytest.raises(UsageError) as caught:
        policy.load_settings(environ={}, root=root)
    message = str(caught.value)
    assert "settings.yaml" in message
    assert "policy.retires: unknown setting" in message


def test_bad_value_from_the_environment(tmp_path):
    with pytest.raises(
        UsageError, match=r"(?s)environment.*policy.timeout: 'soon' is not a duration"
    ):
        policy.load_settings(environ={"FLOWKIT_POLICY__TIMEOUT": "soon"}, root=tmp_path)


def test_malformed_yaml_points_at_the_line(tmp_path):
    root = _project(tmp_path, "policy:\n  timeout: [5m\n")
    with pytest.raises(UsageError, match=r"settings.yaml:\d+:\d+: not valid YAML"):
        policy.load_settings(environ={}, root=root)


def test_module_constants_follow_configure():
    try:
        policy.configure(policy__heartbeat="1m", worker__task_queue="q")
        assert timedelta(minutes=1) == policy.DEFAULT_HEARTBEAT
        assert policy.DEFAULT_TASK_QUEUE == "q"
    finally:
        policy.reset()
    assert timedelta(seconds=30) == policy.DEFAULT_HEARTBEAT
    with pytest.raises(AttributeError):
        _ = policy.NO_SUCH_SETTING
