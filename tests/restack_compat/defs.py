"""Workflows for the client and security tests, written as Restack code would be."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from flowkit.agent import agent
from flowkit.security import Sensitive
from flowkit.workflow import workflow


@workflow.defn()
class EchoWorkflow:
    @workflow.run
    async def run(self, workflow_input: dict[str, Any] | None = None) -> dict[str, Any] | None:
        return workflow_input


@agent.defn()
class QuickAgent:
    @agent.run
    async def run(self, agent_input: dict[str, Any] | None = None) -> str:
        return f"done with {agent_input}"


class Signup(BaseModel):
    email: str
    password: Sensitive[str]


@workflow.defn()
class SignupWorkflow:
    @workflow.run
    async def run(self, signup: Signup) -> str:
        return f"{signup.email}:{len(signup.password.unwrap())}"
