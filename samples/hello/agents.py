"""An agent with two events and a state query. Restack code imported ``restack_ai.agent``."""

from datetime import timedelta

from pydantic import BaseModel

from flowkit.agent import agent, import_functions, log

with import_functions():
    from samples.hello.functions import GoodbyeInput, WelcomeInput, goodbye, welcome


class GreetEvent(BaseModel):
    name: str


class EndEvent(BaseModel):
    name: str


@agent.defn()
class HelloAgent:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.end = False

    @agent.event
    async def greet(self, greet: GreetEvent) -> str:
        log.info("greet received", name=greet.name)
        message: str = await agent.step(
            function=welcome,
            function_input=WelcomeInput(name=greet.name),
            start_to_close_timeout=timedelta(seconds=30),
        )
        self.messages.append(message)
        return message

    @agent.event
    async def end(self, end: EndEvent) -> str:
        message: str = await agent.step(
            function=goodbye,
            function_input=GoodbyeInput(name=end.name, greetings=len(self.messages)),
        )
        self.messages.append(message)
        self.end = True
        return message

    @agent.state
    def history(self) -> list[str]:
        return self.messages

    @agent.run
    async def run(self) -> list[str]:
        await agent.condition(lambda: self.end)
        return self.messages
