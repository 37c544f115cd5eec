from __future__ import annotations

import pytest

from flowkit.errors import GenerateError
from flowkit.scaffold import Registration, RegistryError, register, unregister
from flowkit.scaffold._registry import patch

BASE = '''"""The services."""

from flowkit import Service  # the one import

# Workers, one per task queue.
services = [
    Service(
        task_queue="flowkit",  # the default queue
        agents=[],
        workflows=[],
        functions=[],
    ),
]
'''

HELLO = [
    Registration("agents", "demo.agents.hello", "Hello"),
    Registration("functions", "demo.agents.hello", "hello_reply"),
]
EMAIL = [Registration("functions", "demo.functions.send_email", "send_email")]


def test_register_adds_imports_and_entries_keeping_comments() -> None:
    text = register(register(BASE, HELLO, "flowkit"), EMAIL, "flowkit")
    assert "from demo.agents.hello import Hello, hello_reply\n" in text
    assert "from demo.functions.send_email import send_email\n" in text
    assert "agents=[Hello]," in text
    assert "functions=[hello_reply, send_email]," in text
    for comment in ("# the one import", "# Workers, one per task queue.", "# the default queue"):
        assert comment in text
    compile(text, "service.py", "exec")


def test_register_is_idempotent() -> None:
    once = register(BASE, HELLO, "flowkit")
    assert register(once, HELLO, "flowkit") == once


def test_another_task_queue_gets_its_own_service() -> None:
    text = register(BASE, EMAIL, "mail")
    assert 'task_queue="mail",\n        agents=[],\n        workflows=[],\n' in text
    assert "functions=[send_email]," in text
    assert text.count("Service(") == 2


def test_vertical_lists_grow_vertically() -> None:
    text = BASE.replace("functions=[],", "functions=[\n            first,  # keep me\n        ],")
    text = "from x import first\n" + text
    out = register(text, EMAIL, "flowkit")
    assert "            first,  # keep me\n            send_email,\n        ]," in out


def test_a_name_imported_from_elsewhere_is_a_clash() -> None:
    text = "from other import Hello\n" + BASE
    with pytest.raises(GenerateError, match="already imports Hello from other"):
        register(text, HELLO, "flowkit")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("services = [\n", "does not parse"),
        ("from flowkit import Service\n", "no `services"),
        ("services = make()\n", "not a list literal"),
        ('services = [Service(task_queue="flowkit", agents=AGENTS)]\n', "no agents="),
    ],
)
def test_unsafe_files_raise_with_a_reason(text: str, reason: str) -> None:
    with pytest.raises(RegistryError, match=reason):
        register(text, HELLO, "flowkit")


def test_unregister_restores_the_file() -> None:
    text = register(register(BASE, HELLO, "flowkit"), EMAIL, "flowkit")
    assert unregister(unregister(text, EMAIL), HELLO) == BASE
    assert unregister(BASE, HELLO) == BASE


def test_patch_appends_the_snippet() -> None:
    diff = patch("server/service.py", "x = 1\n", HELLO, "flowkit")
    assert diff.startswith("--- a/server/service.py\n+++ b/server/service.py\n")
    assert "+from demo.agents.hello import Hello, hello_reply\n" in diff
    assert '+services.append(Service(task_queue="flowkit", agents=[Hello]' in diff


def test_unregister_drops_a_service_left_empty_but_keeps_the_last() -> None:
    text = register(BASE, EMAIL, "mail")
    assert unregister(text, EMAIL) == BASE
    only = register(BASE.replace('task_queue="flowkit"', 'task_queue="mail"'), EMAIL, "mail")
    assert "Service(" in unregister(only, EMAIL)


def test_the_first_service_stays_when_all_are_empty() -> None:
    plain = BASE.replace("  # the default queue", "")
    text = unregister(register(plain, EMAIL, "mail"), EMAIL)
    assert text == plain
