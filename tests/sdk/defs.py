"""Agents, workflows and functions the SDK tests run on the time-skipping server.

They live in their own module because Temporal's sandbox re-imports a workflow's module
on every run.
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from flowkit.agent import agent, all_events_finished
from flowkit.function import NonRetryableError, RetryableError, function, heartbeat
from flowkit.workflow import RetryPolicy, log, workflow, workflow_info

# -- functions ---------------------------------------------------------------------------


class Echo(BaseModel):
    text: str


@function.defn()
async def echo(input: Echo) -> Echo:
    return Echo(text=input.text.upper())


@function.defn
async def flaky(failures: int) -> int:
    attempt = function.info().attempt
    if attempt <= failures:
        raise RetryableError(f"attempt {attempt} failed")
    return attempt


@function.defn(name="fatal")
async def fatal_function() -> None:
    raise NonRetryableError("card declined", {"code": 51})


@function.defn
async def stall(seconds: float) -> None:
    import asyncio

    heartbeat(1)
    await asyncio.sleep(seconds)


@function.defn
async def nap(seconds: float) -> str:
    """Never heartbeats itself: flowkit does."""
    import asyncio

    await asyncio.sleep(seconds)
    return "rested"


@function.defn
def sync_nap(seconds: float) -> str:
    import time

    time.sleep(seconds)
    return "rested"


@function.defn
async def resumable(seconds: float) -> list[object]:
    """Saves details on attempt 1, runs long without heartbeating on attempt 2, and
    returns on attempt 3 the details it finds."""
    import asyncio

    from flowkit.function import function_info

    info = function_info()
    if info.attempt == 1:
        heartbeat("saved")
        raise RetryableError("first")
    if info.attempt == 2:
        await asyncio.sleep(seconds)
        raise RetryableError("second")
    return list(info.heartbeat_details)


@function.defn
def sync_add(pair: list[int]) -> int:
    return pair[0] + pair[1]


# -- workflows ---------------------------------------------------------------------------


@workflow.defn()
class DefaultsWorkflow:
    """Calls one step with flowkit's defaults and one with explicit settings."""

    @workflow.run
    async def run(self) -> list[str]:
        first: Echo = await workflow.step(function=echo, function_input=Echo(text="a"))
        second: Echo = await workflow.step(
            function=echo,
            function_input=Echo(text="b"),
            retry_policy=RetryPolicy(maximum_attempts=2, initial_interval=timedelta(seconds=1)),
            start_to_close_timeout=timedelta(seconds=7),
            heartbeat_timeout=timedelta(seconds=3),
            summary="echo loudly",
        )
        return [first.text, second.text]


@workflow.defn()
class StepWorkflow:
    """Runs one named function with one input; the tests choose which."""

    @workflow.run
    async def run(self, call: dict[str, object]) -> object:
        return await workflow.step(
            function=str(call["function"]),
            function_input=call.get("input"),
            heartbeat_timeout=timedelta(seconds=float(str(call.get("heartbeat", 30)))),
            retry_policy=RetryPolicy(
                initial_interval=timedelta(seconds=5),
                maximum_attempts=int(str(call.get("attempts", 6))),
            ),
        )


class ChildIn(BaseModel):
    word: str


@workflow.defn()
class ChildWorkflow:
    @workflow.run
    async def run(self, input: ChildIn) -> str:
        return input.word * 2


@workflow.defn()
class ParentWorkflow:
    @workflow.run
    async def run(self) -> dict[str, str]:
        started = await workflow.child_start(
            workflow=ChildWorkflow, workflow_id="child-started", workflow_input=ChildIn(word="ab")
        )
        result = await workflow.child_execute(
            workflow=ChildWorkflow, workflow_input=ChildIn(word="xy")
        )
        return {"started_id": started.id, "executed": result}


@workflow.defn()
class TypedParentWorkflow:
    """Passes the child's run method, not its class: the call is type-checked."""

    @workflow.run
    async def run(self) -> str:
        doubled: str = await workflow.child_execute(
            workflow=ChildWorkflow.run, workflow_input=ChildIn(word="ok")
        )
        return doubled


@workflow.defn()
class SleepyWorkflow:
    @workflow.run
    async def run(self, days: int) -> float:
        before = workflow_info().start_time
        await workflow.sleep(timedelta(days=days).total_seconds())
        from temporalio import workflow as tw

        return (tw.now() - before).total_seconds()


@workflow.defn()
class LoggingWorkflow:
    @workflow.run
    async def run(self) -> None:
        log.info("first line", n=1)
        await workflow.sleep(1)
        log.info("second line", n=2)
        await workflow.step(function=echo, function_input=Echo(text="x"))
        log.info("third line", n=3)


# -- agents ------------------------------------------------------------------------------


class Greeting(BaseModel):
    name: str


@agent.defn(description="Greets people until told to stop")
class GreeterAgent:
    def __init__(self) -> None:
        self.names: list[str] = []
        self.ended = False

    @agent.event
    async def greet(self, greeting: Greeting) -> str:
        if not greeting.name:
            raise ValueError("a greeting needs a name")
        self.names.append(greeting.name)
        return f"hello {greeting.name}"

    @agent.event
    async def end(self) -> int:
        self.ended = True
        return len(self.names)

    @agent.state
    def greeted(self) -> list[str]:
        return self.names

    @agent.run
    async def run(self) -> list[str]:
        await agent.condition(lambda: self.ended)
        return self.names


class Tally(BaseModel):
    total: int = 0
    events: int = 0
    runs: int = 1


@agent.defn()
class CounterAgent:
    """Adds numbers sent as events; continues as new when its history grows."""

    @agent.init
    def __init__(self, tally: Tally) -> None:
        self.tally = tally.model_copy()
        self.ended = False

    @agent.event
    async def add(self, n: int) -> int:
        self.tally.total += n
        self.tally.events += 1
        return self.tally.total

    @agent.event
    async def end(self) -> int:
        self.ended = True
        return self.tally.total

    @agent.state
    def current(self) -> Tally:
        return self.tally

    @agent.run
    async def run(self, tally: Tally) -> Tally:
        await agent.condition(lambda: self.ended or agent.should_continue_as_new())
        if self.ended:
            await agent.condition(all_events_finished)
            return self.tally
        self.tally.runs += 1
        await agent.agent_continue_as_new(self.tally)
        raise AssertionError("unreachable: continue-as-new does not return")


@workflow.defn()
class StructlogWorkflow:
    """Uses structlog directly, which Temporal's default sandbox refuses."""

    @workflow.run
    async def run(self, name: str) -> Greeting:
        import structlog

        structlog.get_logger("user-code").info("inside a workflow", name=name)
        return Greeting(name=name)
