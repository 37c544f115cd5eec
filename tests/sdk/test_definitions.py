"""Decorators work bare and called, attach one frozen Definition, and report every
problem of a definition in one DefinitionError."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from flowkit._sdk._definition import Definition, definition_of
from flowkit.agent import agent
from flowkit.errors import DefinitionError
from flowkit.function import function
from flowkit.workflow import workflow

# -- bare and called forms, side by side (module level: Temporal refuses local classes) --


@workflow.defn
class BareWorkflow:
    @workflow.run
    async def run(self, text: str) -> str:
        return text


@workflow.defn()
class CalledWorkflow:
    @workflow.run()
    async def run(self, text: str) -> str:
        return text


@agent.defn
class BareAgent:
    @agent.event
    async def add(self, n: int) -> int:
        return n

    @agent.state
    def total(self) -> int:
        return 0

    @agent.run
    async def run(self) -> None:
        return None


@agent.defn()
class CalledAgent:
    @agent.event()
    async def add(self, n: int) -> int:
        return n

    @agent.state()
    def total(self) -> int:
        return 0

    @agent.run()
    async def run(self) -> None:
        return None


@agent.defn("Named", "Adds numbers", mcp=True)
class NamedAgent:
    @agent.event(name="plus", description="Add n")
    def add(self, n: int) -> int:
        return n

    @agent.state(name="sum", description="The total so far")
    def total(self) -> int:
        return 0

    @agent.run
    async def run(self) -> None:
        return None


@function.defn
async def bare_function(n: int) -> int:
    return n


@function.defn()
async def called_function(n: int) -> int:
    return n


@function.defn(name="renamed")
def named_function(n: int) -> int:
    return n


def _without_name(definition: Definition | None) -> Definition:
    assert definition is not None
    return dataclasses.replace(definition, name="-")


def test_bare_and_called_forms_define_the_same_thing():
    assert definition_of(BareWorkflow) == Definition("workflow", "BareWorkflow")
    assert definition_of(CalledWorkflow) == Definition("workflow", "CalledWorkflow")
    assert definition_of(BareAgent) == Definition("agent", "BareAgent")
    assert _without_name(definition_of(BareAgent)) == _without_name(definition_of(CalledAgent))
    for member in ("run", "add", "total"):
        assert definition_of(getattr(BareAgent, member)) == definition_of(
            getattr(CalledAgent, member)
        )
    assert definition_of(BareWorkflow.run) == Definition("run", "run")
    assert definition_of(CalledWorkflow.run) == Definition("run", "run")
    assert definition_of(bare_function) == Definition("function", "bare_function")
    assert definition_of(called_function) == Definition("function", "called_function")
    # ... and Temporal sees them alike.
    for bare, called in ((BareWorkflow, CalledWorkflow), (BareAgent, CalledAgent)):
        ours = getattr(bare, "__temporal_workflow_definition")
        theirs = getattr(called, "__temporal_workflow_definition")
        assert (ours.sandboxed, sorted(ours.updates), sorted(ours.queries)) == (
            theirs.sandboxed,
            sorted(theirs.updates),
            sorted(theirs.queries),
        )


def test_names_descriptions_and_mcp_reach_the_definition_and_temporal():
    assert definition_of(NamedAgent) == Definition("agent", "Named", "Adds numbers", mcp=True)
    assert definition_of(NamedAgent.add) == Definition("event", "plus", "Add n")
    assert definition_of(NamedAgent.total) == Definition("state", "sum", "The total so far")
    assert definition_of(named_function) == Definition("function", "renamed")
    temporal = getattr(NamedAgent, "__temporal_workflow_definition")
    assert temporal.name == "Named"
    assert set(temporal.updates) == {"plus"}
    assert temporal.updates["plus"].description == "Add n"
    assert temporal.queries["sum"].description == "The total so far"
    assert getattr(named_function, "__temporal_activity_definition").name == "renamed"


def test_the_definition_is_frozen_and_restack_attributes_follow_it():
    definition = definition_of(NamedAgent)
    assert definition is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        definition.name = "other"
    assert NamedAgent.__restack_description__ == "Adds numbers"
    assert NamedAgent.__restack_mcp__ is True
    assert NamedAgent.__flowkit_description__ == "Adds numbers"
    assert BareAgent.__restack_mcp__ is False


@pytest.mark.asyncio
async def test_a_run_method_called_without_its_input_receives_none():
    assert await BareWorkflow().run() is None
    assert await CalledWorkflow().run("x") == "x"
    # Temporal still reads the method's own parameters (for the input's type).
    assert list(inspect.signature(BareWorkflow.run).parameters) == ["self", "text"]


# -- every problem, in one error ---------------------------------------------------------


def _problems(error: pytest.ExceptionInfo[DefinitionError]) -> list[str]:
    # Classes defined in a test function are local: drop that part of their names.
    return [p.split("<locals>.", 1)[-1] for p in error.value.problems]


def test_every_problem_of_a_class_and_its_methods_is_listed_at_once():
    with pytest.raises(DefinitionError) as caught:

        @agent.defn(name="", mcp="yes")
        class Broken:
            @agent.event
            async def add(self, a: int, b: int) -> int:  # two inputs
                return a + b

            @add.validator
            def check_add(self, a: int, b: int) -> None:
                pass

            @agent.state
            async def total(self) -> int:  # a query must be a plain def
                return 0

            @agent.run
            def run(self) -> None:  # not async
                pass

    assert _problems(caught) == [
        "Broken: name must be a non-empty string, got ''",
        "Broken: mcp must be True or False, got 'yes'",
        "Broken.add: an event takes self and at most one input argument, got (a, b)",
        "Broken.total: a state reader must be a plain `def`",
        "Broken.run: run must be `async def`",
        "Broken.run: a workflow class must be defined at module level",
    ]
    assert str(caught.value) == "\n".join(caught.value.problems)


def test_temporals_problems_join_flowkits_in_the_same_error():
    with pytest.raises(DefinitionError) as caught:

        @workflow.defn
        class Clash:
            @workflow.event(name="same")
            async def first(self) -> None:
                pass

            @workflow.event(name="same")
            async def second(self) -> None:
                pass

            @workflow.state
            async def peek(self) -> int:
                return 0

    problems = _problems(caught)
    assert problems[0] == "Clash.peek: a state reader must be a plain `def`"
    assert problems[1].startswith("Clash: Multiple update methods found for same")
    assert problems[2] == "Clash: Missing @workflow.run method"
    assert len(problems) == 3


def test_a_class_decorated_twice_or_a_function_given_to_defn_is_refused():
    with pytest.raises(DefinitionError, match="already contains workflow definition"):
        workflow.defn(BareWorkflow)
    for misuse in (workflow.defn, workflow.defn(), agent.defn, agent.defn()):
        with pytest.raises(DefinitionError, match="decorates a class"):
            misuse(bare_function)


def test_a_name_given_where_a_method_belongs_is_refused_at_once():
    for decorator in (agent.event, agent.state, agent.run):
        with pytest.raises(DefinitionError, match=r"decorates a method, got 'greet' \(a name"):
            decorator("greet")


def test_a_subclass_does_not_inherit_its_bases_definition():
    class Undecorated(BareWorkflow):
        pass

    assert definition_of(Undecorated) is None
    assert definition_of(BareWorkflow) == Definition("workflow", "BareWorkflow")


def test_every_problem_of_a_function_is_listed_at_once():
    async def keywords(*, a: int, b: int) -> int:
        return a + b

    with pytest.raises(DefinitionError) as caught:
        function.defn(name="")(keywords)
    assert _problems(caught) == [
        "keywords: name must be a non-empty string, got ''",
        "keywords: takes keyword-only arguments (a, b); a step passes its input positionally",
    ]
    with pytest.raises(DefinitionError, match="already a function"):
        function.defn(bare_function)
    with pytest.raises(DefinitionError, match="decorates a function"):
        function.defn()(42)


def test_a_misdefined_method_outside_a_flowkit_class_raises_when_called():
    class Plain:
        @agent.state
        async def total(self) -> int:
            return 0

    with pytest.raises(DefinitionError, match="plain `def`"):
        Plain().total()
