"""Delivering SNS messages to HTTP/S endpoints, with AWS's headers, retries and throttling.

What SNS does (developer guide: "HTTP/HTTPS headers", "Amazon SNS raw message delivery",
"Setting Amazon SNS delivery retry policies for HTTP/HTTPS endpoints"): it POSTs the body with
``x-amz-sns-message-type``, ``x-amz-sns-message-id`` (the same on every retry),
``x-amz-sns-topic-arn``, ``x-amz-sns-subscription-arn``, ``Content-Type: text/plain;
charset=UTF-8`` (or the policy's ``headerContentType``), ``User-Agent: Amazon Simple Notification
Service Agent`` and, for raw delivery, ``x-amz-sns-rawdelivery: true``. A 2xx answer delivers the
message. HTTP 100-101 and 500-599, a request that takes longer than 15 seconds, and any connection
error (refused, unreachable, bad certificate) are failures SNS retries; the next retry comes its
delay *after* the failed attempt ended. HTTP 400-499 is a permanent failure: no retry. Other
statuses are not failures. When retries run out, or on a permanent failure, SNS gives the message
to the subscription's dead-letter queue if it has one: ``on_exhausted`` is called once.

Why httpx: it is already a test dependency, gives one pooled ``AsyncClient`` with TLS, HTTP/1.1
keep-alive and redirects left alone, and a total per-attempt deadline is one ``asyncio.timeout``
around the request; raw asyncio streams would mean writing an HTTP client.

Certificates of https endpoints are verified by default, as SNS does (a bad certificate is a
retried failure). A local endpoint with a self-signed certificate needs ``verify_tls=False``.
Proxies from the environment are ignored: deliveries go straight to the endpoint.

Each delivery is its own task, so a slow endpoint holds only its own deliveries and never the
publisher. Waits between retries end at the emulator clock's due time: they sleep in real time but
wake early when the clock is advanced past it. ``throttlePolicy.maxReceivesPerSecond`` spaces the
attempts of one subscription in real time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx

from emulator.clock import Clock
from emulator.sns.delivery_policy import DEFAULT_CONTENT_TYPE, retry_delays

log = logging.getLogger("kyu.sns.http")

USER_AGENT = "Amazon Simple Notification Service Agent"
ATTEMPT_TIMEOUT_SECONDS = 15.0


@dataclass(frozen=True)
class HttpDelivery:
    endpoint: str
    message_type: str  # "SubscriptionConfirmation" | "Notification" | "UnsubscribeConfirmation"
    message_id: str
    topic_arn: str
    subscription_arn: str | None  # None for SubscriptionConfirmation: the header is then omitted
    body: str  # the exact POST body
    raw: bool  # RawMessageDelivery
    delivery_policy: dict[str, Any]  # from effective_delivery_policy


def delivery_headers(delivery: HttpDelivery) -> dict[str, str]:
    """The headers SNS sends with a delivery, in AWS's order."""
    headers = {
        "x-amz-sns-message-type": delivery.message_type,
        "x-amz-sns-message-id": delivery.message_id,
        "x-amz-sns-topic-arn": delivery.topic_arn,
    }
    if delivery.subscription_arn is not None:
        headers["x-amz-sns-subscription-arn"] = delivery.subscription_arn
    if delivery.raw:
        headers["x-amz-sns-rawdelivery"] = "true"
    request_policy = delivery.delivery_policy.get("requestPolicy") or {}
    headers["Content-Type"] = request_policy.get("headerContentType") or DEFAULT_CONTENT_TYPE
    headers["User-Agent"] = USER_AGENT
    return headers


def is_retryable_status(status: int) -> bool:
    return status in (100, 101) or 500 <= status <= 599


def is_permanent_failure(status: int) -> bool:
    return 400 <= status <= 499


class HttpDeliverer:
    """Runs deliveries in the background; ``submit`` never waits on an endpoint.

    ``attempt_timeout`` (seconds per attempt, AWS's 15 by default) can be set on the class, so
    that tests shorten it for every deliverer, or per instance.
    """

    attempt_timeout: float = ATTEMPT_TIMEOUT_SECONDS

    def __init__(
        self,
        clock: Clock,
        on_exhausted: Callable[[HttpDelivery], Awaitable[None]],
        *,
        attempt_timeout: float | None = None,
        verify_tls: bool = True,
    ) -> None:
        if attempt_timeout is not None:
            self.attempt_timeout = attempt_timeout
        self._clock = clock
        self._on_exhausted = on_exhausted
        self._verify_tls = verify_tls
        self._client: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._clock_waiters: set[asyncio.Future[None]] = set()
        self._next_slot: dict[str, float] = {}
        self._closed = False
        clock.on_advance(self._clock_advanced)

    @property
    def pending(self) -> int:
        """Deliveries not yet delivered, exhausted or cancelled."""
        return len(self._tasks)

    @property
    def waiting_retries(self) -> int:
        """Deliveries now waiting for their next retry to fall due."""
        return len(self._clock_waiters)

    def submit(self, delivery: HttpDelivery) -> None:
        if self._closed:
            # Shutting down: a publish that races the shutdown loses its http deliveries.
            log.info("not delivering %s to %s: shutting down", delivery.message_id,
                     delivery.endpoint)
            return
        self._loop = asyncio.get_running_loop()
        task = self._loop.create_task(self._deliver(delivery))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        """Cancel every pending delivery and release connections."""
        self._closed = True
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def wait_idle(self) -> None:
        """Wait until every submitted delivery has finished (for tests and orderly shutdowns)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _deliver(self, delivery: HttpDelivery) -> None:
        delays = retry_delays(delivery.delivery_policy)
        for attempt in range(len(delays) + 1):
            if attempt > 0:
                await self._wait_until(self._clock.now() + delays[attempt - 1])
            await self._throttle(delivery)
            outcome = await self._attempt(delivery)
            if outcome == "delivered":
                return
            if outcome == "permanent":
                break
        try:
            await self._on_exhausted(delivery)
        except Exception:
            log.exception("handling the undeliverable message %s failed", delivery.message_id)

    async def _attempt(self, delivery: HttpDelivery) -> str:
        """Send once: "delivered", "retry" or "permanent"."""
        try:
            async with asyncio.timeout(self.attempt_timeout):
                response = await self._http().post(
                    delivery.endpoint,
                    content=delivery.body.encode("utf-8"),
                    headers=delivery_headers(delivery),
                )
        except (httpx.HTTPError, httpx.InvalidURL, TimeoutError, OSError, ValueError) as error:
            # An endpoint httpx cannot even parse fails like an unreachable one.
            log.info("delivery of %s to %s failed: %r", delivery.message_id,
                     delivery.endpoint, error)
            return "retry"
        status = response.status_code
        if is_retryable_status(status):
            log.info("delivery of %s to %s answered %d", delivery.message_id,
                     delivery.endpoint, status)
            return "retry"
        if is_permanent_failure(status):
            log.info("delivery of %s to %s refused with %d", delivery.message_id,
                     delivery.endpoint, status)
            return "permanent"
        return "delivered"

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                verify=self._verify_tls,
                trust_env=False,
                follow_redirects=False,
                timeout=httpx.Timeout(self.attempt_timeout),
                # No pool cap: a hanging endpoint must not starve the others of connections.
                limits=httpx.Limits(max_connections=None, max_keepalive_connections=20),
            )
            # SNS sends no Accept headers; keep the request to the headers it does send.
            for name in ("accept", "accept-encoding"):
                del self._client.headers[name]
        return self._client

    async def _throttle(self, delivery: HttpDelivery) -> None:
        throttle = delivery.delivery_policy.get("throttlePolicy") or {}
        rate = throttle.get("maxReceivesPerSecond")
        if not rate:
            return
        key = delivery.subscription_arn or delivery.endpoint
        now = asyncio.get_running_loop().time()
        slot = max(now, self._next_slot.get(key, now))
        self._next_slot[key] = slot + 1.0 / rate
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _wait_until(self, due: float) -> None:
        """Sleep until the emulator clock reaches ``due``: real time passing, or an advance."""
        loop = asyncio.get_running_loop()
        while (remaining := due - self._clock.now()) > 0:
            woken: asyncio.Future[None] = loop.create_future()
            self._clock_waiters.add(woken)
            try:
                await asyncio.wait({woken}, timeout=remaining)
            finally:
                self._clock_waiters.discard(woken)
                woken.cancel()

    def _clock_advanced(self) -> None:
        # Advances may come from another thread (a test driving the clock): hop onto the loop.
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake_clock_waiters)

    def _wake_clock_waiters(self) -> None:
        for woken in list(self._clock_waiters):
            if not woken.done():
                woken.set_result(None)
