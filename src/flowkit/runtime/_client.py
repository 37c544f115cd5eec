"""``flowkit.Client``: connect to Temporal, run services, start and talk to runs.

Its methods have Restack's names, signatures and return values (``Restack`` is an alias),
without Restack's engine-id prefixes: ids and task queues are used as given.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypedDict, Unpack

import temporalio.client
from temporalio.converter import DataConverter, PayloadCodec
from temporalio.worker import Worker

from flowkit import errors, policy
from flowkit.runtime._client_runs import RunCalls
from flowkit.runtime._connection import connect_config
from flowkit.runtime._keywords import ignore_unknown
from flowkit.runtime._options import (
    CloudConnectionOptions,
    ResourceOptions,
    Service,
    ServiceOptions,
)
from flowkit.runtime._plugin import data_converter as make_data_converter
from flowkit.runtime._plugin import plugin as make_plugin
from flowkit.runtime._service import build_worker, run_until_signal

__all__ = ["Client", "ServiceKwargs"]


class ServiceKwargs(TypedDict, total=False):
    """What :meth:`Client.start_service` and :meth:`Client.service` take (by keyword)."""

    workflows: Sequence[type] | None
    agents: Sequence[type] | None
    functions: Sequence[Callable[..., Any]] | None
    task_queue: str | None
    options: ServiceOptions | None
    resources: ResourceOptions | None


STARTING_SERVER_GRACE = 15.0  # seconds to wait for a server that is still starting


class Client(RunCalls):
    """A connection to a Temporal server (Restack's ``Restack`` class).

    It connects lazily, on the first call that needs the server. The address comes from,
    in order: ``address``, ``TEMPORAL_ADDRESS``, the ``temporal.address`` setting, the
    Temporal CLI profile, ``localhost:7233``; the namespace and API key likewise.
    Payloads use the pydantic data converter, plus ``payload_codec`` if given.

    Args:
        options: Restack's connection options (``address``, ``api_key``,
            ``temporal_namespace``, ``data_converter``, ``payload_codecs``).
        address: ``host:port`` of the Temporal frontend.
        namespace: the Temporal namespace.
        api_key: an API key (Temporal Cloud); turns TLS on unless ``tls=False``.
        tls: force TLS on or off.
        profile: a Temporal CLI profile name.
        payload_codec: encrypts or compresses payloads (see Temporal's ``PayloadCodec``).
        data_converter: a whole data converter, instead of the pydantic one.
        interceptors: Temporal client interceptors (they apply to workers too).
        passthrough: more modules to share with workflows' sandbox.
        tracing: ``True`` to trace starts, runs, steps and children with OpenTelemetry
            (the global tracer provider), or the ``opentelemetry.trace.Tracer`` to use.
    """

    def __init__(
        self,
        options: CloudConnectionOptions | None = None,
        *,
        address: str | None = None,
        namespace: str | None = None,
        api_key: str | None = None,
        tls: bool | None = None,
        profile: str | None = None,
        payload_codec: PayloadCodec | None = None,
        data_converter: DataConverter | None = None,
        interceptors: Sequence[temporalio.client.Interceptor] = (),
        passthrough: Sequence[str] = (),
        tracing: bool | Any = False,
    ) -> None:
        options = options or CloudConnectionOptions()
        self._address = address or options.address
        self._namespace = namespace or options.temporal_namespace
        self._api_key = api_key or options.api_key
        self._tls = tls
        self._profile = profile
        codecs = options.payload_codecs or []
        if payload_codec is None and len(codecs) > 1:
            raise errors.UsageError("give one payload codec; chain several in your own codec")
        self._codec = payload_codec or (codecs[0] if codecs else None)
        self._data_converter = data_converter or options.data_converter
        self._interceptors = list(interceptors)
        if tracing:
            from temporalio.contrib.opentelemetry import TracingInterceptor

            tracer = None if tracing is True else tracing
            self._interceptors.append(TracingInterceptor(tracer))
        self._passthrough = tuple(passthrough)
        self.client: temporalio.client.Client | None = None

    # -- connection -----------------------------------------------------------------

    @classmethod
    def from_temporal(cls, client: temporalio.client.Client) -> Client:
        """Wrap an already connected ``temporalio`` client (a test server's, say)."""
        wrapped = cls(address=client.service_client.config.target_host, namespace=client.namespace)
        wrapped.client = client
        return wrapped

    def get_connection_options(self) -> dict[str, Any]:
        """The keyword arguments this client passes to ``temporalio.client.Client.connect``."""
        config = connect_config(self._address, self._namespace, self._api_key, self._profile)
        if self._tls is not None:
            config["tls"] = self._tls
        config["data_converter"] = make_data_converter(self._codec, self._data_converter)
        config["plugins"] = [make_plugin(passthrough=self._passthrough)]
        config["interceptors"] = self._interceptors
        return config

    @property
    def address(self) -> str:
        """The address this client connects (or connected) to."""
        return str(connect_config(self._address, None, None, self._profile)["target_host"])

    async def create_client(
        self, connection_options: CloudConnectionOptions | None = None
    ) -> temporalio.client.Client:
        """Connect and return a new ``temporalio`` client.

        Args:
            connection_options: connect with these instead of the client's own options
                (interceptors and sandbox passthrough stay this client's).

        Raises:
            flowkit.errors.ConnectionError: the server cannot be reached.
        """
        if connection_options is not None:
            other = Client(
                connection_options,
                tls=self._tls,
                profile=self._profile,
                interceptors=self._interceptors,
                passthrough=self._passthrough,
            )
            return await other.create_client()
        config = self.get_connection_options()
        policy.current()  # load settings now, outside any workflow sandbox
        deadline = asyncio.get_running_loop().time() + STARTING_SERVER_GRACE
        while True:
            try:
                return await temporalio.client.Client.connect(**config)
            except RuntimeError as exc:
                # A server that is starting up answers "not healthy yet": wait for it. A
                # refused connection means no server: report it at once.
                starting = "not healthy" in str(exc) or "Unavailable" in str(exc)
                if not starting or asyncio.get_running_loop().time() > deadline:
                    raise errors.ConnectionError(config["target_host"], _short(exc)) from None
                await asyncio.sleep(0.2)

    async def connect(
        self, connection_options: CloudConnectionOptions | None = None
    ) -> temporalio.client.Client:
        """Connect once; later calls return the same ``temporalio`` client.

        Args:
            connection_options: as :meth:`create_client`'s, for the first connection.
        """
        if self.client is None:
            self.client = await self.create_client(connection_options)
        return self.client

    # -- services -------------------------------------------------------------------

    async def create_service(
        self,
        workflows: Sequence[type] | None = None,
        agents: Sequence[type] | None = None,
        functions: Sequence[Callable[..., Any]] | None = None,
        task_queue: str | None = None,
        options: ServiceOptions | None = None,
        resources: ResourceOptions | None = None,
    ) -> Worker:
        """A worker for these agents, workflows and functions, not yet running.

        Args:
            workflows: ``@workflow.defn`` classes.
            agents: ``@agent.defn`` classes.
            functions: ``@function.defn`` callables.
            task_queue: default the ``worker.task_queue`` setting.
            options: concurrency, rate limit and graceful-shutdown period.
            resources: size the worker's slots by CPU and memory use instead.
        """
        return build_worker(
            await self.connect(),
            agents=agents or (),
            workflows=workflows or (),
            functions=functions or (),
            task_queue=task_queue,
            options=options,
            resources=resources,
        )

    async def _service(self, call: str, arguments: ServiceKwargs) -> Worker:
        names = set(ServiceKwargs.__annotations__)
        ignore_unknown(call, {k: v for k, v in arguments.items() if k not in names}, names)
        known: dict[str, Any] = {k: v for k, v in arguments.items() if k in names}
        return await self.create_service(**known)

    async def start_service(self, **arguments: Unpack[ServiceKwargs]) -> None:
        """Run a service until SIGINT/SIGTERM (blocks, as in Restack).

        Takes :meth:`create_service`'s arguments, by keyword; others are ignored with an
        :class:`IgnoredKeywordWarning`, as Restack ignores them. On a signal, running
        steps get the graceful-shutdown period to finish. Several ``start_service`` calls
        run together (``asyncio.gather``) all stop on one Ctrl-C.
        """
        await run_until_signal([await self._service("start_service", arguments)])

    async def run_service(self, service: Worker, webhook_url: str | None = None) -> None:
        """Run a worker made by :meth:`create_service` until SIGINT/SIGTERM.

        Args:
            service: the worker.
            webhook_url: Restack's service webhooks; flowkit sends none (a warning says so).
        """
        if webhook_url is not None:
            ignore_unknown("run_service", {"webhook_url": webhook_url}, ["service"])
        await run_until_signal([service])

    async def run_services(self, services: Sequence[Service]) -> None:
        """Run several services, one worker per task queue, until SIGINT/SIGTERM.

        Raises:
            UsageError: two services share a task queue, or none is given.
        """
        if not services:
            raise errors.UsageError("no services to run")
        queues = [s.task_queue or policy.current().worker.task_queue for s in services]
        duplicates = sorted({q for q in queues if queues.count(q) > 1})
        if duplicates:
            raise errors.UsageError(
                f"more than one service on task queue {', '.join(duplicates)}: "
                "merge them, one service per task queue"
            )
        client = await self.connect()
        workers = [
            build_worker(
                client,
                agents=s.agents,
                workflows=s.workflows,
                functions=s.functions,
                task_queue=queue,
                options=s.options,
                resources=s.resources,
            )
            for s, queue in zip(services, queues, strict=True)
        ]
        await run_until_signal(workers)

    @asynccontextmanager
    async def service(self, **arguments: Unpack[ServiceKwargs]) -> AsyncIterator[Worker]:
        """Run a service in the background for the ``async with`` block (tests, embedding).

        Takes :meth:`create_service`'s arguments, by keyword.
        """
        async with await self._service("service", arguments) as worker:
            yield worker


def _short(exc: BaseException) -> str:
    text = str(exc)
    for marker in ("Connection refused", "dns error", "timed out", "No such host"):
        if marker.lower() in text.lower():
            return marker.lower()
    return text.splitlines()[0][:160] if text else type(exc).__name__
