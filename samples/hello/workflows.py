"""A workflow that runs a child workflow. Restack code imported ``restack_ai.workflow``."""

from pydantic import BaseModel

from flowkit.workflow import import_functions, log, workflow, workflow_info

with import_functions():
    from samples.hello.functions import GoodbyeInput, WelcomeInput, goodbye, welcome


class GreetInput(BaseModel):
    name: str


class HelloInput(BaseModel):
    names: list[str]


class HelloOutput(BaseModel):
    greetings: list[str]
    farewell: str


@workflow.defn()
class GreetWorkflow:
    @workflow.run
    async def run(self, input: GreetInput) -> str:
        result: str = await workflow.step(
            function=welcome, function_input=WelcomeInput(name=input.name)
        )
        return result


@workflow.defn()
class HelloWorkflow:
    @workflow.run
    async def run(self, input: HelloInput) -> HelloOutput:
        log.info("hello workflow started", names=len(input.names))
        greetings = []
        for index, name in enumerate(input.names):
            greeting: str = await workflow.child_execute(
                workflow=GreetWorkflow,
                workflow_id=f"{workflow_info().workflow_id}-greet-{index}",
                workflow_input=GreetInput(name=name),
            )
            greetings.append(greeting)
        farewell: str = await workflow.step(
            function=goodbye,
            function_input=GoodbyeInput(name=", ".join(input.names), greetings=len(greetings)),
        )
        return HelloOutput(greetings=greetings, farewell=farewell)
