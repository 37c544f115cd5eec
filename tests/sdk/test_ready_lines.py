"""What `flowkit worker` prints once connected (the dev-server test in
tests/samples/test_hello.py reads the same lines from a real worker)."""

from __future__ import annotations

from samples.hello.agents import HelloAgent
from samples.hello.functions import goodbye, welcome
from samples.hello.workflows import GreetWorkflow, HelloWorkflow

from flowkit import Service
from flowkit.runtime._app import ready_lines


def test_ready_lines_name_the_server_and_what_each_queue_serves() -> None:
    services = [
        Service(agents=[HelloAgent], workflows=[HelloWorkflow], functions=[welcome, goodbye]),
        Service(workflows=[GreetWorkflow], task_queue="greetings"),
        Service(task_queue="empty"),
    ]
    assert ready_lines(services, "localhost:7233", "default") == [
        "connected to localhost:7233, namespace default",
        "task queue flowkit: 1 agent (HelloAgent), 1 workflow (HelloWorkflow), "
        "2 functions (goodbye, welcome)",
        "task queue greetings: 1 workflow (GreetWorkflow)",
        "task queue empty: nothing registered",
    ]
