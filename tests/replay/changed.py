"""Edits of ``defs.Article`` (same workflow name) that old runs cannot replay on."""

from __future__ import annotations

from flowkit.workflow import workflow
from tests.replay.defs import draft, publish, review


@workflow.defn(name="Article")
class ArticleSwapped:
    """Reviews, then drafts: the steps in another order."""

    @workflow.run
    async def run(self, topic: str) -> str:
        text: str = await workflow.step(function=review, function_input=topic)
        return str(await workflow.step(function=draft, function_input=text))


@workflow.defn(name="Article")
class ArticleExtraStep:
    """Publishes first: a step inserted before the recorded ones."""

    @workflow.run
    async def run(self, topic: str) -> str:
        await workflow.step(function=publish, function_input=topic)
        text: str = await workflow.step(function=draft, function_input=topic)
        return str(await workflow.step(function=review, function_input=text))


SWAPPED = [ArticleSwapped]
EXTRA_STEP = [ArticleExtraStep]


@workflow.defn(name="Renamed")
class Renamed:
    """Article under another name: its old runs find no workflow to replay on."""

    @workflow.run
    async def run(self, topic: str) -> str:
        return topic


RENAMED = [Renamed]


async def main() -> None:
    """An app given as a main function: its workflows cannot be seen from outside."""


@workflow.defn(name="Article")
class ArticleShort:
    """Drafts only: the recorded review is no longer scheduled (the code returns first)."""

    @workflow.run
    async def run(self, topic: str) -> str:
        return str(await workflow.step(function=draft, function_input=topic))


@workflow.defn(name="Article")
class ArticleLonger:
    """Publishes after the review: a step appended where the history completed."""

    @workflow.run
    async def run(self, topic: str) -> str:
        text: str = await workflow.step(function=draft, function_input=topic)
        text = await workflow.step(function=review, function_input=text)
        return str(await workflow.step(function=publish, function_input=text))


SHORT = [ArticleShort]
LONGER = [ArticleLonger]
