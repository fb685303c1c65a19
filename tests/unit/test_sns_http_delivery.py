"""HTTP/S delivery against a real local HTTP receiver: headers, body, retries, timeouts, clock."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from emulator.clock import Clock
from emulator.sns.delivery_policy import effective_delivery_policy
from emulator.sns.http_delivery import HttpDeliverer, HttpDelivery
from tests.support.http_receiver import Receiver, running_receiver

TOPIC_ARN = "arn:aws:sns:us-east-1:000000000000:orders"
SUBSCRIPTION_ARN = f"{TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@dataclass
class Exhausted:
    deliveries: list[HttpDelivery] = field(default_factory=list)
    event: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, delivery: HttpDelivery) -> None:
        self.deliveries.append(delivery)
        self.event.set()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def exhausted() -> Exhausted:
    return Exhausted()


@pytest.fixture
async def deliverer(clock: Clock, exhausted: Exhausted) -> AsyncIterator[HttpDeliverer]:
    running = HttpDeliverer(clock, exhausted, attempt_timeout=2.0)
    yield running
    await running.close()


def policy(subscription_policy: str | None = None) -> dict[str, Any]:
    return effective_delivery_policy(None, subscription_policy)


def delivery(url: str, **changes: Any) -> HttpDelivery:
    values: dict[str, Any] = {
        "endpoint": url,
        "message_type": "Notification",
        "message_id": "165545c9-2a5c-472c-8df2-7ff2be2b3b1b",
        "topic_arn": TOPIC_ARN,
        "subscription_arn": SUBSCRIPTION_ARN,
        "body": '{"Type":"Notification","Message":"héllo ✓ 🎉"}',
        "raw": False,
        "delivery_policy": policy(),
    }
    values.update(changes)
    return HttpDelivery(**values)


async def until_waiting(deliverer: HttpDeliverer, count: int = 1) -> None:
    """Wait until ``count`` deliveries sleep before a retry (their due time is then fixed)."""
    async with asyncio.timeout(5):
        while deliverer.waiting_retries < count:
            await asyncio.sleep(0.01)


def immediate_retries(count: int) -> dict[str, Any]:
    return policy(f'{{"healthyRetryPolicy":{{"numRetries":{count},"numNoDelayRetries":{count}}}}}')


async def test_notification_headers_and_body_are_exactly_aws(
    receiver: Receiver, deliverer: HttpDeliverer
) -> None:
    sent = delivery(f"{receiver.url}/hook?x=1")
    deliverer.submit(sent)
    [got] = await receiver.wait_for("/hook?x=1", 1)
    sns_headers = [name.lower() for name, _ in got.headers if name.lower().startswith("x-amz")]
    assert sns_headers == [
        "x-amz-sns-message-type", "x-amz-sns-message-id",
        "x-amz-sns-topic-arn", "x-amz-sns-subscription-arn",
    ]
    assert got.header("x-amz-sns-message-type") == "Notification"
    assert got.header("x-amz-sns-message-id") == sent.message_id
    assert got.header("x-amz-sns-topic-arn") == TOPIC_ARN
    assert got.header("x-amz-sns-subscription-arn") == SUBSCRIPTION_ARN
    assert got.header("Content-Type") == "text/plain; charset=UTF-8"
    assert got.header("User-Agent") == "Amazon Simple Notification Service Agent"
    assert got.header("x-amz-sns-rawdelivery") is None
    assert got.header("Accept") is None and got.header("Accept-Encoding") is None
    assert got.body == sent.body.encode("utf-8")
    assert got.header("Content-Length") == str(len(got.body))
    await deliverer.wait_idle()


async def test_confirmation_has_no_subscription_header_and_raw_delivery_is_flagged(
    receiver: Receiver, deliverer: HttpDeliverer
) -> None:
    deliverer.submit(delivery(f"{receiver.url}/confirm", message_type="SubscriptionConfirmation",
                              subscription_arn=None))
    deliverer.submit(delivery(
        f"{receiver.url}/raw", raw=True, body="just the message",
        delivery_policy=policy('{"requestPolicy":{"headerContentType":"application/json"}}'),
    ))
    [confirmation] = await receiver.wait_for("/confirm", 1)
    assert confirmation.header("x-amz-sns-message-type") == "SubscriptionConfirmation"
    assert confirmation.header("x-amz-sns-subscription-arn") is None
    [raw] = await receiver.wait_for("/raw", 1)
    assert raw.header("x-amz-sns-rawdelivery") == "true"
    assert raw.header("Content-Type") == "application/json"
    assert raw.body == b"just the message"


async def test_server_errors_are_retried_until_success(
    receiver: Receiver, deliverer: HttpDeliverer, exhausted: Exhausted
) -> None:
    receiver.statuses["/flaky"] = [500, 503]
    deliverer.submit(delivery(f"{receiver.url}/flaky", delivery_policy=immediate_retries(3)))
    attempts = await receiver.wait_for("/flaky", 3)
    await deliverer.wait_idle()
    assert len(receiver.on("/flaky")) == 3
    assert {a.header("x-amz-sns-message-id") for a in attempts} == {delivery("").message_id}
    assert exhausted.deliveries == []


async def test_exhausted_retries_call_on_exhausted_once(
    receiver: Receiver, deliverer: HttpDeliverer, exhausted: Exhausted
) -> None:
    receiver.statuses["/down"] = [500] * 10
    sent = delivery(f"{receiver.url}/down", delivery_policy=immediate_retries(2))
    deliverer.submit(sent)
    await asyncio.wait_for(exhausted.event.wait(), 5)
    await deliverer.wait_idle()
    assert len(receiver.on("/down")) == 3  # the first attempt and two retries
    assert exhausted.deliveries == [sent]


async def test_client_errors_are_permanent(
    receiver: Receiver, deliverer: HttpDeliverer, exhausted: Exhausted
) -> None:
    receiver.statuses["/gone"] = [404]
    sent = delivery(f"{receiver.url}/gone", delivery_policy=immediate_retries(5))
    deliverer.submit(sent)
    await asyncio.wait_for(exhausted.event.wait(), 5)
    await deliverer.wait_idle()
    assert len(receiver.on("/gone")) == 1
    assert exhausted.deliveries == [sent]


async def test_redirects_are_not_failures(
    receiver: Receiver, deliverer: HttpDeliverer, exhausted: Exhausted
) -> None:
    receiver.statuses["/moved"] = [302]
    deliverer.submit(delivery(f"{receiver.url}/moved", delivery_policy=immediate_retries(3)))
    await receiver.wait_for("/moved", 1)
    await deliverer.wait_idle()
    assert len(receiver.on("/moved")) == 1
    assert exhausted.deliveries == []


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("broken", ["refused", "malformed"])
async def test_unreachable_endpoints_are_retried_then_exhausted(
    deliverer: HttpDeliverer, exhausted: Exhausted, broken: str
) -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}/" if broken == "refused" else "http://[::1/"
    deliverer.submit(delivery(endpoint, delivery_policy=immediate_retries(2)))
    await asyncio.wait_for(exhausted.event.wait(), 5)
    assert len(exhausted.deliveries) == 1


async def test_a_hanging_endpoint_times_out_without_holding_others(
    receiver: Receiver, clock: Clock, exhausted: Exhausted
) -> None:
    deliverer = HttpDeliverer(clock, exhausted, attempt_timeout=0.5)
    try:
        started = time.monotonic()
        deliverer.submit(delivery(f"{receiver.url}/hang", delivery_policy=immediate_retries(0)))
        await receiver.wait_for("/hang", 1)
        deliverer.submit(delivery(f"{receiver.url}/fast"))
        await receiver.wait_for("/fast", 1)
        assert time.monotonic() - started < 0.5
        await asyncio.wait_for(exhausted.event.wait(), 2)
        assert 0.5 <= time.monotonic() - started < 1.5
        assert [d.endpoint for d in exhausted.deliveries] == [f"{receiver.url}/hang"]
    finally:
        await deliverer.close()


async def test_advancing_the_clock_brings_a_retry_forward(
    receiver: Receiver, deliverer: HttpDeliverer, clock: Clock
) -> None:
    receiver.statuses["/later"] = [500]
    hour_policy = policy(
        '{"healthyRetryPolicy":{"numRetries":1,"minDelayTarget":600,"maxDelayTarget":600}}')
    deliverer.submit(delivery(f"{receiver.url}/later", delivery_policy=hour_policy))
    await receiver.wait_for("/later", 1)
    await until_waiting(deliverer)
    clock.advance(599)
    await asyncio.sleep(0.05)
    assert len(receiver.on("/later")) == 1  # not due yet
    started = time.monotonic()
    clock.advance(2)
    await receiver.wait_for("/later", 2)
    assert time.monotonic() - started < 0.5
    await deliverer.wait_idle()


async def test_an_advance_from_another_thread_also_wakes_the_wait(
    receiver: Receiver, deliverer: HttpDeliverer, clock: Clock
) -> None:
    receiver.statuses["/threaded"] = [500]
    deliverer.submit(delivery(f"{receiver.url}/threaded", delivery_policy=policy(
        '{"healthyRetryPolicy":{"numRetries":1,"minDelayTarget":300,"maxDelayTarget":300}}')))
    await receiver.wait_for("/threaded", 1)
    await until_waiting(deliverer)
    await asyncio.to_thread(clock.advance, 300)
    await receiver.wait_for("/threaded", 2, timeout=1)


async def test_retries_also_come_in_real_time(
    receiver: Receiver, deliverer: HttpDeliverer
) -> None:
    receiver.statuses["/second"] = [500]
    deliverer.submit(delivery(f"{receiver.url}/second", delivery_policy=policy(
        '{"healthyRetryPolicy":{"numRetries":1,"minDelayTarget":1,"maxDelayTarget":1}}')))
    first, second = await receiver.wait_for("/second", 2, timeout=3)
    assert 0.9 <= second.at - first.at < 2


async def test_throttle_spaces_deliveries_of_one_subscription(
    receiver: Receiver, deliverer: HttpDeliverer
) -> None:
    throttled = policy('{"throttlePolicy":{"maxReceivesPerSecond":5}}')
    for _ in range(3):
        deliverer.submit(delivery(f"{receiver.url}/slow", delivery_policy=throttled))
    deliverer.submit(delivery(f"{receiver.url}/other", subscription_arn=f"{TOPIC_ARN}:other",
                              delivery_policy=throttled))
    got = await receiver.wait_for("/slow", 3)
    first, _, third = sorted(r.at for r in got)
    # Attempts start 0.2 s apart (the third 0.4 s after the first); arrivals may lag their
    # starts on a loaded machine, so only the overall spread is checked.
    assert third - first >= 0.3
    [other] = await receiver.wait_for("/other", 1)
    # Another subscription is not queued behind this one's throttle.
    assert other.at < third - 0.15


async def test_close_is_quick_and_drops_pending_work(
    receiver: Receiver, clock: Clock, exhausted: Exhausted
) -> None:
    deliverer = HttpDeliverer(clock, exhausted)  # AWS's 15 s attempt timeout
    receiver.statuses["/retrying"] = [500]
    deliverer.submit(delivery(f"{receiver.url}/hang"))
    deliverer.submit(delivery(f"{receiver.url}/retrying"))
    await receiver.wait_for("/hang", 1)
    await receiver.wait_for("/retrying", 1)
    await until_waiting(deliverer)
    assert deliverer.pending == 2
    started = time.monotonic()
    await deliverer.close()
    assert time.monotonic() - started < 0.5
    assert deliverer.pending == 0
    assert exhausted.deliveries == []
    deliverer.submit(delivery(f"{receiver.url}/late"))  # dropped: shutting down
    assert deliverer.pending == 0


async def test_the_attempt_timeout_can_be_set_on_the_class(
    receiver: Receiver, clock: Clock, exhausted: Exhausted, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert HttpDeliverer.attempt_timeout == 15
    monkeypatch.setattr(HttpDeliverer, "attempt_timeout", 0.2)
    deliverer = HttpDeliverer(clock, exhausted)
    try:
        deliverer.submit(delivery(f"{receiver.url}/hang", delivery_policy=immediate_retries(0)))
        await asyncio.wait_for(exhausted.event.wait(), 1)
    finally:
        await deliverer.close()


async def test_a_failing_exhaustion_handler_does_not_break_the_deliverer(
    receiver: Receiver, clock: Clock
) -> None:
    async def broken(_: HttpDelivery) -> None:
        raise RuntimeError("the dead-letter queue is gone")

    deliverer = HttpDeliverer(clock, broken)
    try:
        receiver.statuses["/bad"] = [400]
        deliverer.submit(delivery(f"{receiver.url}/bad"))
        await receiver.wait_for("/bad", 1)
        await deliverer.wait_idle()
        deliverer.submit(delivery(f"{receiver.url}/fine"))
        await receiver.wait_for("/fine", 1)
    finally:
        await deliverer.close()
