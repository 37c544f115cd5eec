"""An agent whose input, step data, event and result all carry a secret."""

from __future__ import annotations

from pydantic import BaseModel

from flowkit.agent import agent
from flowkit.function import function
from flowkit.runtime import Sensitive
from flowkit.workflow import workflow


class Order(BaseModel):
    card: str
    note: str = ""


@function.defn()
async def charge(order: Order) -> str:
    return f"charged {order.card}"


@agent.defn()
class Vault:
    """Charges an order, then waits for an approval event carrying a note."""

    def __init__(self) -> None:
        self.note: str | None = None

    @agent.event
    async def approve(self, note: str) -> str:
        self.note = note
        return f"approved with {note}"

    @agent.run
    async def run(self, order: Order) -> list[str]:
        receipt: str = await workflow.step(function=charge, function_input=order)
        await agent.condition(lambda: self.note is not None)
        return [receipt, self.note or ""]


class Card(BaseModel):
    holder: str
    number: Sensitive[str]


@function.defn()
async def verify(card: Card) -> Card:
    return Card(holder=card.holder.upper(), number=card.number + "-ok")


@workflow.defn()
class CardWorkflow:
    @workflow.run
    async def run(self, card: Card) -> Card:
        checked: Card = await workflow.step(function=verify, function_input=card)
        return checked
