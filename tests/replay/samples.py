"""The samples' workflows, as ``flowkit replay --app tests.replay.samples:WORKFLOWS``
replays the histories in ``tests/replay/histories`` against them."""

from __future__ import annotations

from samples.content_draft import ContentDraft
from samples.hello.agents import HelloAgent
from samples.hello.functions import goodbye, welcome
from samples.hello.workflows import GreetWorkflow, HelloWorkflow
from samples.trip_saga import TripSaga, book_car, book_flight, book_hotel, cancel_booking

from flowkit.steps import ai_generate

WORKFLOWS = [HelloWorkflow, GreetWorkflow, HelloAgent, TripSaga, ContentDraft]
FUNCTIONS = [welcome, goodbye, book_flight, book_hotel, book_car, cancel_booking, ai_generate]
