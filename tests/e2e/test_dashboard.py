"""The dashboard at /_kyu/ in a real headless Chromium: it shows what boto3 did, and what it
does (send, purge, redrive, advance the clock) boto3 sees."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from tests.support.admin_api import AdminApi
from tests.support.server import RunningServer

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None,
    reason="needs Chromium and its driver (Debian: apt-get install chromium chromium-driver)",
)
webdriver = pytest.importorskip("selenium.webdriver", reason="needs selenium (the test extras)")
from selenium.common.exceptions import (  # noqa: E402
    NoSuchElementException,
    StaleElementReferenceException,
)
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.wait import WebDriverWait  # noqa: E402

ACCOUNT = "000000000000"
REGION = "us-east-1"
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1400,1100",
)


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    """A server of this module alone: the page lists every queue, and purges some."""
    running = RunningServer()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(CHROMEDRIVER))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def sqs(server: RunningServer) -> Any:
    return boto3.client("sqs", endpoint_url=server.endpoint, region_name=REGION,
                        aws_access_key_id="test", aws_secret_access_key="secret")


def unique(prefix: str = "page") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


# The page redraws its tables every few seconds, so an element found a moment ago may be gone:
# reads go through one script call each, and waits and clicks retry a replaced element.
def wait_for(browser: Any, condition: Callable[[], Any], timeout: float = 15) -> Any:
    ignored = (NoSuchElementException, StaleElementReferenceException)
    return WebDriverWait(browser, timeout, ignored_exceptions=ignored).until(
        lambda _: condition())


def css(browser: Any, selector: str) -> Any:
    return browser.find_element(By.CSS_SELECTOR, selector)


def click(browser: Any, selector: str) -> None:
    wait_for(browser, lambda: css(browser, selector).click() is None)


def text(browser: Any, selector: str) -> str | None:
    return browser.execute_script(
        "const found = document.querySelector(arguments[0]);"
        "return found === null ? null : found.innerText;", selector)


def count(browser: Any, selector: str) -> int:
    return int(browser.execute_script(
        "return document.querySelectorAll(arguments[0]).length;", selector))


def row_text(browser: Any, name: str) -> str:
    return text(browser, f'#queues tr[data-queue="{name}"]') or ""


def open_dashboard(browser: Any, server: RunningServer) -> None:
    browser.get(f"{server.endpoint}/_kyu/")
    wait_for(browser, lambda: (text(browser, "#refreshed") or "").startswith("Updated"))


def open_queue(browser: Any, server: RunningServer, name: str) -> None:
    open_dashboard(browser, server)
    click(browser, f'#queues tr[data-queue="{name}"] button')
    wait_for(browser, lambda: text(browser, "#detail-title") == name)


def refresh_now(browser: Any) -> None:
    css(browser, "#refresh-now").click()


def notice(browser: Any) -> str:
    return text(browser, "#notice-text") or ""


def queue_arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"])


def counts_of(sqs: Any, url: str) -> tuple[int, int]:
    attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
        "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
    return (int(attributes["ApproximateNumberOfMessages"]),
            int(attributes["ApproximateNumberOfMessagesNotVisible"]))


def test_the_page_lists_a_queue_with_its_live_counts(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="one")
    sqs.send_message(QueueUrl=url, MessageBody="two")
    open_dashboard(browser, server)
    assert text(browser, "h1") == "Kyu"

    visible = f'#queues tr[data-queue="{name}"] [data-count="visible"]'
    assert text(browser, visible) == "2"
    group = browser.execute_script(
        "return document.querySelector(arguments[0]).closest('tbody').rows[0].innerText;",
        f'#queues tr[data-queue="{name}"]')
    assert group == f"{ACCOUNT} · {REGION}"

    sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=1)
    # No click: the page refreshes by itself every few seconds.
    in_flight = f'#queues tr[data-queue="{name}"] [data-count="inFlight"]'
    wait_for(browser, lambda: text(browser, in_flight) == "1")
    assert text(browser, visible) == "1"


def test_a_message_sent_through_the_form_reaches_boto3(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    open_queue(browser, server, name)
    assert not css(browser, "#send-group").is_displayed()  # no group ids on a standard queue
    css(browser, "#send-body").send_keys('{"customer": 42}')
    css(browser, "#send-submit").click()
    wait_for(browser, lambda: notice(browser).startswith("Sent message"))

    received = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1)["Messages"]
    assert [m["Body"] for m in received] == ['{"customer": 42}']
    assert received[0]["MessageId"] in notice(browser)


def test_a_fifo_message_from_the_form_carries_its_group_and_dedup_id(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique() + ".fifo"
    url = sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})["QueueUrl"]
    open_queue(browser, server, name)
    css(browser, "#send-body").send_keys("quantity=3")
    css(browser, "#send-group").send_keys("order-7")
    css(browser, "#send-dedup").send_keys("update-1")
    css(browser, "#send-submit").click()
    wait_for(browser, lambda: notice(browser).startswith("Sent message"))

    message = sqs.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"][0]
    assert message["Body"] == "quantity=3"
    assert message["Attributes"]["MessageGroupId"] == "order-7"
    assert message["Attributes"]["MessageDeduplicationId"] == "update-1"


def test_a_refused_send_is_reported_on_the_page(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique() + ".fifo"
    sqs.create_queue(QueueName=name, Attributes={"FifoQueue": "true"})
    open_queue(browser, server, name)
    css(browser, "#send-body").send_keys("no group id")
    css(browser, "#send-submit").click()
    wait_for(browser, lambda: notice(browser).startswith(f"Could not send to {name}"))
    assert "MessageGroupId" in notice(browser)


def test_peek_shows_a_message_sent_through_boto3_as_text(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    body = '<img src=x onerror="document.title=\'owned\'"><b>bold?</b>'
    sent = sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes={
        "kind": {"DataType": "String.<i>html</i>", "StringValue": "<script>x()</script>"}})
    open_queue(browser, server, name)

    row = f'#messages tr[data-message-id="{sent["MessageId"]}"]'
    assert text(browser, f"{row} td.body") == body
    shown = text(browser, row) or ""
    assert "<script>x()</script>" in shown and "String.<i>html</i>" in shown
    assert row_state(browser, sent["MessageId"]) == ("Visible", "0")
    assert count(browser, "#messages img, #messages b, #messages i, #messages script") == 0
    assert browser.title == "Kyu dashboard"
    assert "receipt" not in browser.page_source.lower()

    # Looking received nothing: the message is still there for boto3, never received before.
    message = sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])
    assert message["Messages"][0]["Attributes"]["ApproximateReceiveCount"] == "1"
    refresh_now(browser)
    wait_for(browser, lambda: row_state(browser, sent["MessageId"]) == ("In flight", "1"))


def row_state(browser: Any, message_id: str) -> tuple[str | None, str | None]:
    row = f'#messages tr[data-message-id="{message_id}"]'
    return text(browser, f"{row} .state"), text(browser, f"{row} [data-receives]")


def test_purge_asks_first_then_empties_the_queue(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    for index in range(3):
        sqs.send_message(QueueUrl=url, MessageBody=f"message {index}")
    open_queue(browser, server, name)

    css(browser, "#purge-button").click()
    assert css(browser, "#confirm-dialog").is_displayed()
    assert name in (text(browser, "#confirm-text") or "")
    css(browser, "#confirm-cancel").click()
    assert not css(browser, "#confirm-dialog").is_displayed()
    assert counts_of(sqs, url) == (3, 0)

    css(browser, "#purge-button").click()
    css(browser, "#confirm-ok").click()
    wait_for(browser, lambda: notice(browser) == f"Purged {name}.")
    assert counts_of(sqs, url) == (0, 0)
    assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []
    wait_for(browser, lambda: css(browser, "#messages-empty").is_displayed())


def test_redrive_moves_a_dead_letter_queue_back_to_its_source(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    dlq_name, source_name = unique("dlq"), unique("work")
    dlq = sqs.create_queue(QueueName=dlq_name)["QueueUrl"]
    policy = json.dumps({"deadLetterTargetArn": queue_arn(sqs, dlq), "maxReceiveCount": "1"})
    source = sqs.create_queue(QueueName=source_name, Attributes={"RedrivePolicy": policy})[
        "QueueUrl"]
    sqs.send_message(QueueUrl=source, MessageBody="failed once")
    sqs.receive_message(QueueUrl=source, VisibilityTimeout=0)
    assert sqs.receive_message(QueueUrl=source).get("Messages", []) == []  # now in the DLQ

    open_dashboard(browser, server)
    assert f"DLQ of {source_name}" in row_text(browser, dlq_name)
    assert f"→ {dlq_name} after 1 receive" in row_text(browser, source_name)
    open_queue(browser, server, dlq_name)
    click(browser, "#redrive-button")
    wait_for(browser, lambda: notice(browser).startswith("Started moving"))
    wait_for(browser, lambda: css(browser, "#move-tasks").is_displayed())
    assert text(browser, "#move-tasks .state") in {"RUNNING", "COMPLETED"}

    moved = sqs.receive_message(QueueUrl=source, WaitTimeSeconds=5)["Messages"]
    assert [m["Body"] for m in moved] == ["failed once"]
    refresh_now(browser)
    wait_for(browser, lambda: text(browser, "#move-tasks .state") == "COMPLETED")


def test_the_clock_moves_forward_from_the_page(browser: Any, server: RunningServer) -> None:
    admin = AdminApi(server.endpoint)
    before = admin.get("/_kyu/clock")["offsetSeconds"]
    open_dashboard(browser, server)
    seconds = css(browser, "#advance-seconds")
    seconds.clear()
    seconds.send_keys("600")
    css(browser, "#advance-form button").click()
    wait_for(browser, lambda: "ahead of real time" in (text(browser, "#clock-offset") or ""))
    assert admin.get("/_kyu/clock")["offsetSeconds"] == pytest.approx(before + 600, abs=1)


def test_a_page_of_another_origin_cannot_purge(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    name = unique()
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="keep me")
    # localhost and 127.0.0.1 are different origins to the browser, though the same server;
    # the health document has no content security policy to stop the page's fetch.
    browser.get(f"http://localhost:{server.port}/_kyu/health")
    status = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0], {method: 'POST', mode: 'no-cors', body: '{}'})"
        ".then(reply => done(reply.type), error => done(String(error)));",
        f"{server.endpoint}/_kyu/queues/{ACCOUNT}/{name}/purge",
    )
    assert status == "opaque"  # sent, and answered; the answer was the refusal
    assert counts_of(sqs, url) == (1, 0)


def fetch(url: str) -> tuple[int, bytes]:
    status, body, _ = fetch_with_headers(url)
    return status, body


def fetch_with_headers(url: str) -> tuple[int, bytes, Any]:
    try:
        with urllib.request.urlopen(url, timeout=10) as reply:
            return reply.status, reply.read(), reply.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def test_topics_are_listed_with_their_filter_policies(
    browser: Any, server: RunningServer, sqs: Any
) -> None:
    sns = boto3.client("sns", endpoint_url=server.endpoint, region_name=REGION,
                       aws_access_key_id="test", aws_secret_access_key="secret")
    topic_name, queue_name = unique("events"), unique("cards")
    topic_arn = sns.create_topic(Name=topic_name)["TopicArn"]
    queue_url = sqs.create_queue(QueueName=queue_name)["QueueUrl"]
    policy = {"event": ["card-imported", "card-updated"]}
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn(sqs, queue_url),
                  Attributes={"FilterPolicy": json.dumps(policy), "RawMessageDelivery": "true"})

    open_dashboard(browser, server)
    topic = f'#topics article[data-topic="{topic_name}"]'
    wait_for(browser, lambda: text(browser, topic) is not None)
    assert topic_arn in (text(browser, topic) or "")
    subscription = text(browser, f"{topic} tbody tr") or ""
    assert queue_arn(sqs, queue_url) in subscription
    assert "raw" in subscription
    assert json.loads(text(browser, f"{topic} pre.policy") or "") == policy


def test_without_sns_the_page_says_so(browser: Any, server: RunningServer) -> None:
    """A Kyu without SNS answers GET /_kyu/topics with 404; the page stands in for one here."""
    stand_in = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": """
        const fetchFromKyu = window.fetch;
        window.fetch = (path, options) => String(path).startsWith("/_kyu/topics")
            ? Promise.resolve(new Response('{"error": "Not Found"}', {status: 404}))
            : fetchFromKyu(path, options);
    """})
    try:
        open_dashboard(browser, server)
        available = '#topics[data-available="false"]'
        wait_for(browser, lambda: count(browser, available) == 1)
        assert "SNS not available" in (text(browser, "#topics") or "")
        assert text(browser, "#queues-heading") == "Queues"
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", stand_in)


def test_the_page_runs_without_script_errors(browser: Any, server: RunningServer) -> None:
    open_dashboard(browser, server)
    # Refused requests (a send without a group id, a topic listing without SNS) are logged
    # as network errors, which the page shows as notices; script errors are the bugs.
    problems = [entry for entry in browser.get_log("browser")
                if entry["level"] == "SEVERE" and entry["source"] != "network"]
    assert problems == []


def test_the_page_and_its_files_are_served(server: RunningServer) -> None:
    static = Path(__file__).resolve().parents[2] / "emulator" / "admin" / "static"
    # pyproject's package-data glob "admin/static/*" ships files, not folders, in the wheel.
    assert all(path.is_file() for path in static.iterdir())
    pages = [(f"/_kyu/static/{path.name}", path) for path in sorted(static.iterdir())]
    for address, path in [("/_kyu/", static / "index.html"), *pages]:
        status, raw, headers = fetch_with_headers(server.endpoint + address)
        assert (status, raw) == (200, path.read_bytes()), address
        # No stale scripts after an upgrade, and no framing by another site (clickjacking).
        assert headers["Cache-Control"] == "no-cache", address
        assert headers["X-Frame-Options"] == "DENY", address
        assert headers["Content-Security-Policy"] == "frame-ancestors 'none'", address
