"""Malformed and adversarial SQS requests, generated, over raw HTTP in both protocols.

Every request here is invalid by construction. Each must be answered with a well-formed AWS error
in its own protocol and a 4xx status (never a 500, never a hang), and the queues, their
attributes, tags and messages must be exactly as before. ``KYU_FUZZ_EXAMPLES`` sets the number of
examples per property (default 200; derandomized, so CI runs the same cases every time).
"""

from __future__ import annotations

import json
import os
import string
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from typing import Any

import botocore.session
import httpx
import pytest
from botocore.model import OperationModel
from botocore.serialize import create_serializer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.e2e.conftest import make_client
from tests.support.query_model import model_search_path
from tests.support.server import RunningServer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
EXAMPLES = int(os.environ.get("KYU_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)
TIMEOUT = httpx.Timeout(10.0)
SENT: Counter[str] = Counter()
SQS_NS = "{http://queue.amazonaws.com/doc/2012-11-05/}"
JSON_TYPE = "application/x-amz-json-1.0"
FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

# Operations that need at least one parameter, so that an empty or junk body cannot succeed.
OPERATIONS = [
    "AddPermission", "CancelMessageMoveTask", "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch", "CreateQueue", "DeleteMessage", "DeleteMessageBatch",
    "DeleteQueue", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues",
    "ListMessageMoveTasks", "ListQueueTags", "PurgeQueue", "ReceiveMessage", "RemovePermission",
    "SendMessage", "SendMessageBatch", "SetQueueAttributes", "StartMessageMoveTask", "TagQueue",
    "UntagQueue",
]
FORBIDDEN_CHARS = st.sampled_from(
    [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))] + ["\ufffe", "\uffff"]
)


class Target:
    def __init__(self) -> None:
        self.server = RunningServer()
        self.endpoint = self.server.endpoint
        self.http = httpx.Client(base_url=self.endpoint, timeout=TIMEOUT)
        self.sqs = make_client("sqs", self.endpoint)
        self.urls = self._populate()
        self.before = self.snapshot()

    def _populate(self) -> dict[str, str]:
        std = self.sqs.create_queue(QueueName="fuzz-standard", Attributes={"DelaySeconds": "0"},
                                    tags={"team": "fuzz"})["QueueUrl"]
        fifo = self.sqs.create_queue(
            QueueName="fuzz-orders.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
        )["QueueUrl"]
        for n in range(3):
            self.sqs.send_message(
                QueueUrl=std, MessageBody=f"message {n} \u2713",
                MessageAttributes={"n": {"DataType": "Number", "StringValue": str(n)}},
            )
        self.sqs.send_message(QueueUrl=fifo, MessageBody="order 1", MessageGroupId="g")
        return {"standard": std, "fifo": fifo}

    def snapshot(self) -> dict[str, Any]:
        urls = sorted(self.sqs.list_queues().get("QueueUrls", []))
        return {
            url: (self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"],
                  self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {}))
            for url in urls
        }

    def close(self) -> None:
        self.http.close()
        self.server.stop()


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    running = Target()
    yield running
    try:
        assert running.snapshot() == running.before
        messages = []
        for url in running.urls.values():
            reply = running.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"],
                MessageAttributeNames=["All"], WaitTimeSeconds=0,
            )
            messages += reply.get("Messages", [])
        assert sorted(m["Body"] for m in messages) == [
            "message 0 \u2713", "message 1 \u2713", "message 2 \u2713", "order 1",
        ]
        # Never delivered before: no fuzzed request received or changed a message.
        assert {m["Attributes"]["ApproximateReceiveCount"] for m in messages} == {"1"}
        print(f"\nfuzzed SQS requests: {sum(SENT.values())} {dict(SENT)}")
    finally:
        running.close()


# -- checking answers --------------------------------------------------------------------------


def assert_json_error(reply: httpx.Response) -> None:
    assert 400 <= reply.status_code < 500, (reply.status_code, reply.text[:300])
    assert reply.headers["content-type"].startswith(JSON_TYPE)
    document = json.loads(reply.content)
    assert isinstance(document["__type"], str) and document["__type"]
    assert isinstance(document["message"], str)
    code, _, fault = reply.headers["x-amzn-query-error"].partition(";")
    assert code and fault in ("Sender", "Receiver")


def assert_query_error(reply: httpx.Response) -> None:
    assert 400 <= reply.status_code < 500, (reply.status_code, reply.text[:300])
    root = ET.fromstring(reply.content)
    assert root.tag == f"{SQS_NS}ErrorResponse"
    assert root.findtext(f"{SQS_NS}Error/{SQS_NS}Code")
    assert root.find(f"{SQS_NS}Error/{SQS_NS}Message") is not None
    assert root.findtext(f"{SQS_NS}RequestId")


def send_json(target: Target, operation: str, body: bytes,
              content_type: str | None = JSON_TYPE, path: str = "/") -> None:
    headers = {"X-Amz-Target": f"AmazonSQS.{operation}".encode()}
    if content_type is not None:
        headers["Content-Type"] = content_type.encode()
    SENT["json"] += 1
    assert_json_error(target.http.post(path, content=body, headers=headers))


def send_query(target: Target, body: bytes, path: str = "/",
               content_type: str | None = FORM_TYPE) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    SENT["query"] += 1
    assert_query_error(target.http.post(path, content=body, headers=headers))


# -- serializing well-typed but invalid calls with botocore's own serializers -------------------

_JSON_MODEL = botocore.session.get_session().get_service_model("sqs")
_query_session = botocore.session.get_session()
_query_session.get_component("data_loader").search_paths.insert(0, str(model_search_path()))
_QUERY_MODEL = _query_session.get_service_model("sqs")


def _serialize(protocol: str, operation: str, params: dict[str, Any]) -> bytes:
    model = _JSON_MODEL if protocol == "json" else _QUERY_MODEL
    op: OperationModel = model.operation_model(operation)
    request = create_serializer(protocol, include_validation=False).serialize_to_request(
        params, op)
    body = request["body"]
    if isinstance(body, dict):
        return httpx.QueryParams(body).__str__().encode()
    return body if isinstance(body, bytes) else str(body).encode()


def send_call(target: Target, protocol: str, operation: str, params: dict[str, Any]) -> None:
    body = _serialize(protocol, operation, params)
    if protocol == "json":
        send_json(target, operation, body)
    else:
        send_query(target, body)


# -- strategies ----------------------------------------------------------------------------------

junk_text = st.text(min_size=1, max_size=60)
letters = st.text(alphabet=string.ascii_letters, min_size=1, max_size=12)
out_of_range = {
    "VisibilityTimeout": st.one_of(st.integers(max_value=-1), st.integers(min_value=43201)),
    "DelaySeconds": st.one_of(st.integers(max_value=-1), st.integers(min_value=901)),
    "WaitTimeSeconds": st.one_of(st.integers(max_value=-1), st.integers(min_value=21)),
    "MaxNumberOfMessages": st.one_of(st.integers(max_value=0), st.integers(min_value=11)),
}
queue_attribute_values = st.sampled_from(
    ["VisibilityTimeout", "DelaySeconds", "MessageRetentionPeriod", "MaximumMessageSize",
     "ReceiveMessageWaitTimeSeconds"]
).flatmap(lambda name: st.tuples(st.just(name), st.one_of(
    letters, st.integers(min_value=10**7).map(str), st.integers(max_value=-1).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda f: f"{f}x"),
)))
bad_bodies = st.builds(
    lambda head, bad, tail: head + bad + tail, st.text(max_size=20), FORBIDDEN_CHARS,
    st.text(max_size=20),
)


def invalid_calls(urls: dict[str, str]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    queue = st.sampled_from(sorted(urls.values()))
    numbers = st.sampled_from(sorted(out_of_range)).flatmap(
        lambda name: st.tuples(st.just(name), out_of_range[name]))

    def receive(url: str, pair: tuple[str, int]) -> tuple[str, dict[str, Any]]:
        name, value = pair
        if name in ("WaitTimeSeconds", "MaxNumberOfMessages", "VisibilityTimeout"):
            return "ReceiveMessage", {"QueueUrl": url, name: value}
        return "SendMessage", {"QueueUrl": url, "MessageBody": "x", name: value}

    too_many_attributes = st.integers(min_value=11, max_value=40).map(lambda n: {
        f"a{i}": {"DataType": "String", "StringValue": "v"} for i in range(n)
    })
    attribute_type = st.sampled_from(["String", "Number", "Binary"])
    return st.one_of(
        st.builds(receive, queue, numbers),
        st.builds(lambda url, r: ("DeleteMessage", {"QueueUrl": url, "ReceiptHandle": r}),
                  queue, junk_text),
        st.builds(lambda url, r, v: ("ChangeMessageVisibility",
                                     {"QueueUrl": url, "ReceiptHandle": r, "VisibilityTimeout": v}),
                  queue, junk_text, st.integers(min_value=0, max_value=43200)),
        st.builds(lambda url, b: ("SendMessage", {"QueueUrl": url, "MessageBody": b}),
                  queue, bad_bodies),
        st.builds(lambda url, attrs: ("SendMessage", {"QueueUrl": url, "MessageBody": "x",
                                                      "MessageAttributes": attrs}),
                  queue, too_many_attributes),
        st.builds(lambda url, t, v: ("SendMessage", {
            "QueueUrl": url, "MessageBody": "x",
            "MessageAttributes": {"a": {"DataType": t, "StringValue": v}}}),
            queue, attribute_type.filter(lambda t: t != "Binary"), bad_bodies),
        st.builds(lambda url, v: ("SendMessage", {
            "QueueUrl": url, "MessageBody": "x",
            "MessageAttributes": {"a": {"DataType": "Number", "StringValue": v}}}),
            queue, letters),
        st.builds(lambda url, pair: ("SetQueueAttributes",
                                     {"QueueUrl": url, "Attributes": {pair[0]: pair[1]}}),
                  queue, queue_attribute_values),
        st.builds(lambda url, name: ("SetQueueAttributes",
                                     {"QueueUrl": url, "Attributes": {f"Kyu{name}": "1"}}),
                  queue, letters),
        st.builds(lambda name: ("CreateQueue", {"QueueName": name}),
                  st.text(min_size=1, max_size=90).filter(
                      lambda n: not n.endswith(".fifo") and (len(n) > 80 or any(
                          c not in string.ascii_letters + "_-" + string.digits for c in n)))),
        st.builds(lambda url, entries: ("SendMessageBatch", {"QueueUrl": url, "Entries": entries}),
                  queue, st.lists(st.just({"Id": "same", "MessageBody": "x"}),
                                  min_size=2, max_size=12)),
        st.builds(lambda url, n: ("DeleteMessageBatch", {"QueueUrl": url, "Entries": [
            {"Id": f"e{i}", "ReceiptHandle": "x"} for i in range(n)]}),
            queue, st.integers(min_value=11, max_value=30)),
        st.builds(lambda url: ("GetQueueAttributes", {"QueueUrl": url + "-missing"}), queue),
        st.builds(lambda name: ("GetQueueUrl", {"QueueName": name}),
                  letters.map(lambda n: f"missing-{n}")),
    )


# -- properties ------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
@pytest.mark.parametrize("protocol", ["json", "query"])
def test_well_typed_but_invalid_calls_get_aws_errors(
    target: Target, protocol: str, data: st.DataObject
) -> None:
    operation, params = data.draw(invalid_calls(target.urls))
    send_call(target, protocol, operation, params)


@FUZZ
@given(operation=st.sampled_from(OPERATIONS), body=st.binary(max_size=300),
       content_type=st.sampled_from([JSON_TYPE, "application/json", "text/plain", None,
                                     FORM_TYPE, "application/x-amz-json-1.1"]))
def test_json_junk_bodies_get_json_errors(
    target: Target, operation: str, body: bytes, content_type: str | None
) -> None:
    send_json(target, operation, body, content_type)


def _json_values() -> st.SearchStrategy[Any]:
    scalars = st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False),
                        st.text(max_size=20))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
        max_leaves=8)


def _wrong_for(kind: str, value: Any) -> bool:
    """Whether ``value`` cannot be read as a member of type ``kind``."""
    if kind == "string":
        return not isinstance(value, str)
    if kind in ("integer", "long"):
        return (isinstance(value, bool) or not isinstance(value, int)
                or not -(2**31) <= value < 2**31)
    if kind == "boolean":
        return not isinstance(value, bool)
    if kind == "list":
        return not isinstance(value, list)
    return not isinstance(value, dict)


@FUZZ
@given(data=st.data())
def test_json_members_of_the_wrong_type_get_serialization_errors(
    target: Target, data: st.DataObject
) -> None:
    operation = data.draw(st.sampled_from(OPERATIONS))
    shape = _JSON_MODEL.operation_model(operation).input_shape
    name = data.draw(st.sampled_from(sorted(shape.members)))
    kind = shape.members[name].type_name
    value = data.draw(_json_values().filter(lambda v: _wrong_for(kind, v)))
    document = {"QueueUrl": data.draw(st.sampled_from(sorted(target.urls.values()))),
                name: value}
    send_json(target, operation, json.dumps(document).encode())


@FUZZ
@given(data=st.data())
def test_json_unknown_targets_and_members(target: Target, data: st.DataObject) -> None:
    header_text = st.text(st.characters(min_codepoint=0x20, blacklist_characters="\x7f",
                                        blacklist_categories=("Cs",)),
                          max_size=30)
    # A trailing space is not a legal header value: the client itself would refuse to send it.
    unknown = data.draw(header_text.filter(lambda t: t.strip() not in OPERATIONS
                                           and t.strip() != "ListQueues"
                                           and not t.endswith(" ")))
    send_json(target, unknown, b"{}")
    extra = data.draw(st.dictionaries(letters.map(lambda k: f"Kyu{k}"), _json_values(),
                                      min_size=1, max_size=5))
    send_json(target, "GetQueueUrl", json.dumps({**extra, "QueueName": "missing-q"}).encode())


form_names = st.sampled_from(
    ["Action", "Version", "QueueUrl", "MessageBody", "ReceiptHandle",
     "VisibilityTimeout", "MaxNumberOfMessages", "Attribute.1.Name", "Attribute.1.Value",
     "MessageAttribute.1.Name", "MessageAttribute.1.Value.DataType", "Entries.1.Id",
     "SendMessageBatchRequestEntry.1.Id", "Attribute.99999999999.Name", ""]
)
form_values = st.one_of(
    st.text(max_size=30), st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
    st.integers().map(str),
)


def _encode_pair(name: str, value: str, raw: bool) -> bytes:
    if raw:  # percent-escapes left as they are, including broken ones and invalid UTF-8
        return f"{name}={value}".encode("utf-8", "surrogatepass")
    return str(httpx.QueryParams({name: value})).encode()


@FUZZ
@given(action=st.one_of(st.sampled_from(OPERATIONS), st.text(max_size=20)),
       pairs=st.lists(st.tuples(form_names, form_values, st.booleans()), max_size=8),
       queue=st.booleans())
def test_query_junk_forms_get_xml_errors(
    target: Target, action: str, pairs: list[tuple[str, str, bool]], queue: bool
) -> None:
    # The real queue URLs are never named, so no combination can address a queue.
    parts = [_encode_pair("Action", action, raw=False)]
    parts += [_encode_pair(name, value, raw) for name, value, raw in pairs]
    path = "/000000000000/fuzz-missing" if queue else "/"
    send_query(target, b"&".join(parts), path=path)


@FUZZ
@given(body=st.binary(max_size=300),
       content_type=st.sampled_from([FORM_TYPE, "application/xml", "text/plain", None]))
def test_query_random_bytes_get_xml_errors(
    target: Target, body: bytes, content_type: str | None
) -> None:
    send_query(target, body, content_type=content_type)


@FUZZ
@given(escape=st.sampled_from([b"%", b"%Z", b"%4", b"%G0", b"%FF", b"%C3", b"%ED%A0%80",
                               b"%F4%90%80%80"]),
       where=st.sampled_from(["name", "value"]))
def test_query_broken_percent_encoding_and_invalid_utf8(
    target: Target, escape: bytes, where: str
) -> None:
    url = target.urls["standard"].encode()
    pair = (b"Message" + escape + b"Body=x") if where == "name" else (b"MessageBody=x" + escape)
    body = b"Action=SendMessage&QueueUrl=" + url + b"&" + pair
    if where == "name":
        body += b"&MessageBody=" + escape
    send_query(target, body)
