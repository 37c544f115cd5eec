"""A deliberately nondeterministic edit of a sample: ``TripSaga`` books the hotel before
the flight. Runs recorded on the sample cannot replay on it."""

from __future__ import annotations

from datetime import timedelta

from samples.trip_saga import Booking, Trip, book_car, book_flight, book_hotel, cancel_booking

from flowkit.steps import Saga
from flowkit.workflow import RetryPolicy, workflow


@workflow.defn(name="TripSaga")
class HotelFirst:
    @workflow.run
    async def run(self, trip: Trip) -> list[Booking]:
        bookings: list[Booking] = []
        async with Saga(retry_policy=RetryPolicy(maximum_attempts=5)) as saga:
            for book in (book_hotel, book_flight, book_car):
                booking: Booking = await workflow.step(
                    function=book, function_input=trip, start_to_close_timeout=timedelta(seconds=30)
                )
                bookings.append(booking)
                saga.add(cancel_booking, booking, name=f"cancel {booking.kind}")
        return bookings


WORKFLOWS = [HotelFirst]
