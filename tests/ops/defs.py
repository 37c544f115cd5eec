"""Workflows the ops tests run: the samples, re-exported from one importable module.

Temporal's sandbox re-imports a workflow's module on every run, so the tests register
the sample classes from their own modules; this module only gathers them.
"""

from __future__ import annotations

from samples.content_draft import ContentDraft
from samples.trip_saga import TripSaga, book_car, book_flight, book_hotel, cancel_booking

from flowkit.steps import ai_generate

CONTENT = {"workflows": [ContentDraft], "functions": [ai_generate]}
TRIP = {"workflows": [TripSaga], "functions": [book_flight, book_hotel, book_car, cancel_booking]}

GOOD_INPUT = {
    "topic": "durable timers",
    "audience": "devs",
    "words": "300",
    "contact": "ed@example.com",
}
