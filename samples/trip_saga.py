"""A trip booked as a saga, written by hand with :class:`flowkit.steps.Saga`.

Book a flight, then a hotel, then a car. The car fails, so the hotel and then the flight
are cancelled — newest first — and the run ends failed with a report of what was undone.

Run it against ``flowkit dev``::

    flowkit worker --app samples.trip_saga:services
    flowkit run TripSaga --input '{"traveller": "Ada", "city": "Lisbon"}' --wait
"""

from __future__ import annotations

from datetime import timedelta

from pydantic import BaseModel

from flowkit import Service
from flowkit.function import NonRetryableError, function, log
from flowkit.steps import Saga
from flowkit.workflow import RetryPolicy, workflow


class Trip(BaseModel):
    traveller: str
    city: str
    car_available: bool = False  # the sample's car rental has no cars by default


class Booking(BaseModel):
    kind: str
    reference: str


@function.defn
async def book_flight(trip: Trip) -> Booking:
    return Booking(kind="flight", reference=f"FL-{trip.city[:3].upper()}-001")


@function.defn
async def book_hotel(trip: Trip) -> Booking:
    return Booking(kind="hotel", reference=f"HO-{trip.city[:3].upper()}-002")


@function.defn
async def book_car(trip: Trip) -> Booking:
    if not trip.car_available:
        raise NonRetryableError(f"no car available in {trip.city}", type="NoCarAvailable")
    return Booking(kind="car", reference=f"CA-{trip.city[:3].upper()}-003")


@function.defn
async def cancel_booking(booking: Booking) -> str:
    log.info("cancelled", kind=booking.kind, reference=booking.reference)
    return f"cancelled {booking.reference}"


@workflow.defn()
class TripSaga:
    """Flight, hotel, car; on failure the completed bookings are cancelled in reverse."""

    @workflow.run
    async def run(self, trip: Trip) -> list[Booking]:
        bookings: list[Booking] = []
        async with Saga(retry_policy=RetryPolicy(maximum_attempts=5)) as saga:
            for book in (book_flight, book_hotel, book_car):
                booking: Booking = await workflow.step(
                    function=book,
                    function_input=trip,
                    start_to_close_timeout=timedelta(seconds=30),
                )
                bookings.append(booking)
                saga.add(cancel_booking, booking, name=f"cancel {booking.kind}")
        return bookings


services = [
    Service(
        workflows=[TripSaga],
        functions=[book_flight, book_hotel, book_car, cancel_booking],
    )
]
