"""``flowkit dev`` and ``flowkit worker`` (alias ``flowkit run:server``)."""

from __future__ import annotations

from pathlib import Path

import typer

from flowkit.cli._options import ADDRESS, NAMESPACE
from flowkit.errors import UsageError

__all__ = ["register"]


def dev(
    port: int = typer.Option(7233, help="gRPC port clients and workers connect to."),
    ui_port: int = typer.Option(8233, "--ui-port", help="Port of the Temporal Web UI."),
    in_memory: bool = typer.Option(
        False, "--in-memory", help="Keep runs in memory instead of .flowkit/temporal.db."
    ),
    db_file: Path = typer.Option(
        Path(".flowkit") / "temporal.db", "--db-file", help="Where runs persist."
    ),
    stock: bool = typer.Option(
        False, "--stock", help="Temporal's own defaults instead of flowkit's latency tuning."
    ),
    codec: bool = typer.Option(
        False, "--codec", help="Start a codec server (the environment's keys) for the Web UI."
    ),
    codec_port: int = typer.Option(8081, "--codec-port", help="Port of the codec server."),
) -> None:
    """Start the Temporal dev server and its Web UI (Ctrl-C stops it)."""
    from flowkit.runtime import DevServer

    server = DevServer(
        port=port, ui_port=ui_port, db_file=None if in_memory else db_file, stock=stock
    )
    if codec:
        from flowkit.cli._codec import start_codec_server

        origins = [f"http://127.0.0.1:{ui_port}", f"http://localhost:{ui_port}"]
        codec_server = start_codec_server("127.0.0.1", codec_port, None, origins)
        server.codec_endpoint = codec_server.url
        typer.echo(f"codec server on {server.codec_endpoint} (the Web UI decrypts through it)")

    def ready(s: DevServer) -> None:
        stored = "in memory" if s.db_file is None else f"persisted to {s.db_file}"
        typer.echo(f"Temporal dev server on {s.address} ({stored})")
        typer.echo(f"Web UI: {s.ui_url}")
        typer.echo("Press Ctrl-C to stop.")

    code = server.run(ready)
    if code:
        raise typer.Exit(code)


def worker(
    app_spec: str = typer.Option(
        None,
        "--app",
        help="module:attribute of the services (default: worker.app setting, then server.service).",
    ),
    pipeline: Path = typer.Option(
        None,
        "--pipeline",
        help="Serve a pipeline file (.yaml, .flow) instead: it is "
        "compiled into .flowkit/build/ first.",
    ),
    address: str = ADDRESS,
    namespace: str = NAMESPACE,
) -> None:
    """Run the project's services until Ctrl-C or SIGTERM."""
    from flowkit import policy
    from flowkit.runtime import Client, load_app, serve_app

    settings = policy.current()
    if pipeline is not None:
        if app_spec:
            raise UsageError("give --app or --pipeline, not both")
        from flowkit.compiler import load_for_worker

        built = load_for_worker(pipeline)
        typer.echo(f"serving pipeline {built.workflow} from {pipeline}")
        app_spec = built.services
    app = load_app(app_spec or settings.worker.app)
    client = Client(address=address, namespace=namespace)
    typer.echo(f"flowkit worker connecting to {client.address} …")

    def ready(lines: list[str]) -> None:
        for line in lines:
            typer.echo(line)
        typer.echo("ready: polling for work (Ctrl-C stops gracefully)")

    serve_app(app, client, on_ready=ready)


def register(app: typer.Typer) -> None:
    """Add the commands to the main app."""
    app.command("dev")(dev)
    app.command("worker")(worker)
    app.command("run:server", help="Alias of `flowkit worker`.")(worker)
