"""The hello sample end to end on the embedded dev server: ``python -m samples.hello.demo``.

Starts the Temporal dev server with its Web UI (from the ``temporal`` binary of the
``server`` extra), runs the sample's worker in this process, runs ``client.hello``, and
prints the Web UI address of each run. In a terminal it then keeps the server up for you
to look around until Ctrl-C; pass ``--no-keep`` to stop at once (CI does).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys

from flowkit import Client
from flowkit.runtime import DevServer, port_open, stop_process
from samples.hello import service
from samples.hello.client import hello


def _free_port(preferred: int) -> int:
    if not port_open("127.0.0.1", preferred):
        return preferred
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _run(server: DevServer) -> dict[str, object]:
    client = Client(address=server.address)
    async with client.service(
        agents=service.AGENTS, workflows=service.WORKFLOWS, functions=service.FUNCTIONS
    ):
        return await hello(client, suffix="demo")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--keep",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="keep the server up until Ctrl-C (default: when in a terminal)",
    )
    args = parser.parse_args(argv)
    keep = sys.stdin.isatty() if args.keep is None else args.keep

    server = DevServer(port=_free_port(7233), ui_port=_free_port(8233), db_file=None)
    process = server.start()
    try:
        print(f"Temporal dev server on {server.address}; Web UI at {server.ui_url}")
        result = asyncio.run(_run(server))
        for key, value in result.items():
            print(f"  {key}: {value}")
        base = f"{server.ui_url}/namespaces/default/workflows"
        workflow_url = f"{base}/{result['workflow_id']}/{result['run_id']}/history"
        agent_url = f"{base}/{result['agent_id']}/{result['agent_run_id']}/history"
        print(f"Workflow run in the Web UI: {workflow_url}")
        print(f"Agent run in the Web UI:    {agent_url}")
        if keep:
            print("Press Ctrl-C to stop the server.")
            process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop_process(process)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    # Skip interpreter teardown: Temporal's core runtime can crash there (sdk-python#300).
    os._exit(code)
