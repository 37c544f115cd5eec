"""Two functions (Temporal activities). Restack code imported ``restack_ai.function``."""

from pydantic import BaseModel

from flowkit.function import NonRetryableError, function, log


class WelcomeInput(BaseModel):
    name: str


@function.defn()
async def welcome(input: WelcomeInput) -> str:
    if not input.name.strip():
        raise NonRetryableError("a name is required")
    log.info("welcoming", name=input.name)
    return f"Hello, {input.name}!"


class GoodbyeInput(BaseModel):
    name: str
    greetings: int


@function.defn()
async def goodbye(input: GoodbyeInput) -> str:
    log.info("saying goodbye", name=input.name)
    return f"Goodbye, {input.name}, after {input.greetings} greeting(s)."
