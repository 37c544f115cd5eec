"""Registers the sample with a worker: ``flowkit worker --app samples.hello.service``.

As in a Restack project, ``main`` starts the service and blocks until Ctrl-C.
"""

import asyncio

from flowkit import Client, Service
from samples.hello.agents import HelloAgent
from samples.hello.functions import goodbye, welcome
from samples.hello.workflows import GreetWorkflow, HelloWorkflow

AGENTS = [HelloAgent]
WORKFLOWS = [HelloWorkflow, GreetWorkflow]
FUNCTIONS = [welcome, goodbye]

services = [Service(agents=AGENTS, workflows=WORKFLOWS, functions=FUNCTIONS)]


async def main() -> None:
    client = Client()
    await client.start_service(agents=AGENTS, workflows=WORKFLOWS, functions=FUNCTIONS)


def run_services() -> None:
    asyncio.run(main())


if __name__ == "__main__":
    run_services()
