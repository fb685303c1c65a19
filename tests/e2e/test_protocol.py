"""Raw HTTP against the SQS endpoint: both wire protocols, where requests may arrive, how errors
look, and that no bad input ever produces a 500.

JSON 1.0: ``POST`` with ``X-Amz-Target: AmazonSQS.<Op>`` and ``application/x-amz-json-1.0``;
errors carry ``__type`` and ``message`` plus ``x-amzn-query-error: <legacy code>;Sender``.
Query: form parameters (``Action``, ``Version=2012-11-05``) in a POST body or a GET query string,
to ``/`` or to the queue URL path; XML in the ``http://queue.amazonaws.com/doc/2012-11-05/``
namespace; errors as ``ErrorResponse`` with ``Error/Type``, ``Error/Code``, ``Error/Message`` and
``RequestId``. A query request sent with ``Accept: application/json`` is answered in JSON that
mirrors the XML.
"""

from __future__ import annotations

import hashlib
import json
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import make_client
from tests.support.server import RunningServer

ACCOUNT = "000000000000"
NS = "http://queue.amazonaws.com/doc/2012-11-05/"
SNS_NS = "http://sns.amazonaws.com/doc/2010-03-31/"
JSON_TYPE = "application/x-amz-json-1.0"
FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
SIGNATURE = "0" * 64


def authorization(service: str, region: str = "us-east-1") -> str:
    return (
        f"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/{region}/{service}/aws4_request, "
        f"SignedHeaders=content-type;host;x-amz-date, Signature={SIGNATURE}"
    )


SQS_AUTH = {"Authorization": authorization("sqs"), "X-Amz-Date": "20260101T000000Z"}


@pytest.fixture(scope="module")
def http(server: RunningServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.endpoint, timeout=15) as client:
        yield client


@pytest.fixture(scope="module")
def client(server: RunningServer) -> Any:
    return make_client("sqs", server.endpoint, "json")


@pytest.fixture
def queue(client: Any) -> tuple[str, str]:
    name = f"proto-{uuid.uuid4().hex[:12]}"
    return name, str(client.create_queue(QueueName=name)["QueueUrl"])


def json_call(
    http: httpx.Client,
    operation: str,
    body: Any,
    *,
    path: str = "/",
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    content = body if isinstance(body, str | bytes) else json.dumps(body)
    sent = {"Content-Type": JSON_TYPE, "X-Amz-Target": f"AmazonSQS.{operation}", **SQS_AUTH}
    sent.update(headers or {})
    return http.post(path, content=content, headers=sent)


def query_call(
    http: httpx.Client,
    params: dict[str, str],
    *,
    path: str = "/",
    method: str = "POST",
    headers: dict[str, str] | None = None,
    auth: dict[str, str] | None = None,
) -> httpx.Response:
    sent = dict(SQS_AUTH if auth is None else auth)
    sent.update(headers or {})
    if method == "GET":
        return http.get(path, params=params, headers=sent)
    sent.setdefault("Content-Type", FORM_TYPE)
    return http.post(path, data=params, headers=sent)


def sqs_params(action: str, **params: str) -> dict[str, str]:
    return {"Action": action, "Version": "2012-11-05", **params}


def xml(reply: httpx.Response) -> ET.Element:
    return ET.fromstring(reply.content)


def q(path: str, ns: str = NS) -> str:
    """An ElementTree path with every step in the given namespace."""
    return "/".join(f"{{{ns}}}{step}" for step in path.split("/"))


def assert_xml_error(reply: httpx.Response, code: str, status: int = 400) -> ET.Element:
    assert reply.status_code == status, reply.text
    root = xml(reply)
    assert root.tag == f"{{{NS}}}ErrorResponse", reply.text
    assert root.findtext(q("Error/Type")) == "Sender"
    assert root.findtext(q("Error/Code")) == code, reply.text
    assert root.findtext(q("Error/Message"))
    assert root.findtext(q("RequestId"))
    return root


def assert_json_error(reply: httpx.Response, status: int = 400) -> dict[str, Any]:
    assert reply.status_code == status, reply.text
    body = reply.json()
    assert isinstance(body.get("__type"), str) and body["__type"], body
    return dict(body)


def type_name(body: dict[str, Any]) -> str:
    return str(body["__type"]).rsplit("#", 1)[-1]


def request_id(reply: httpx.Response) -> str | None:
    header = reply.headers.get("x-amzn-RequestId")
    if header:
        return header
    text = reply.text
    if reply.headers.get("content-type", "").startswith("application/json") or text.startswith("{"):
        try:
            body = reply.json()
        except ValueError:
            return None
        found = _find_key(body, "RequestId")
        return str(found) if found else None
    try:
        root = ET.fromstring(reply.content)
    except ET.ParseError:
        return None
    for element in root.iter():
        if element.tag.endswith("RequestId") and element.text:
            return element.text
    return None


def _find_key(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        if key in value:
            return value[key]
        for item in value.values():
            found = _find_key(item, key)
            if found:
                return found
    return None


# --- JSON 1.0 ----------------------------------------------------------------------------------


def test_json_success(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, url = queue
    reply = json_call(http, "GetQueueUrl", {"QueueName": name})
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith(JSON_TYPE)
    assert reply.json() == {"QueueUrl": url}
    assert reply.headers.get("x-amzn-RequestId")


def test_json_modeled_error(http: httpx.Client) -> None:
    reply = json_call(http, "GetQueueUrl", {"QueueName": f"missing-{uuid.uuid4().hex}"})
    body = assert_json_error(reply)
    assert type_name(body) == "QueueDoesNotExist"
    assert body["message"] == "The specified queue does not exist."
    assert reply.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender"
    assert reply.headers.get("x-amzn-RequestId")


def test_json_unknown_operation(http: httpx.Client) -> None:
    reply = json_call(http, "FlyToTheMoon", {})
    body = assert_json_error(reply)
    assert type_name(body).endswith("UnknownOperationException") or type_name(body) == (
        "InvalidAction"
    ), body
    query_error = reply.headers.get("x-amzn-query-error")
    if query_error is not None:
        assert query_error.endswith(";Sender")
    assert request_id(reply)


def test_json_empty_operation_name(http: httpx.Client) -> None:
    reply = json_call(http, "", {})
    assert reply.status_code == 400, reply.text
    assert request_id(reply)


@pytest.mark.parametrize("body", ["{not json", '{"QueueName": ', "\x00\x01", "{'a': 1}"])
def test_json_malformed_body(http: httpx.Client, body: str) -> None:
    reply = json_call(http, "GetQueueUrl", body)
    error = assert_json_error(reply)
    assert type_name(error) == "SerializationException", error
    assert request_id(reply)


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("CreateQueue", {"QueueName": 123}),
        ("CreateQueue", {"QueueName": "x", "Attributes": ["VisibilityTimeout"]}),
        ("CreateQueue", {"QueueName": ["a", "b"]}),
        ("ListQueues", {"MaxResults": "ten"}),
        ("ListQueues", {"QueueNamePrefix": {"nested": True}}),
        ("GetQueueUrl", {"QueueName": None, "QueueOwnerAWSAccountId": 7}),
    ],
)
def test_json_wrong_member_types(http: httpx.Client, operation: str, body: Any) -> None:
    reply = json_call(http, operation, body)
    error = assert_json_error(reply)
    assert type_name(error) in {
        "SerializationException",
        "ValidationException",
        "InvalidParameterValueException",
        "InvalidParameterValue",
        "MissingRequiredParameterException",
        "MissingParameter",
    }, error


def test_json_wrong_types_for_queue_members(http: httpx.Client, queue: tuple[str, str]) -> None:
    _, url = queue
    for operation, body in [
        ("SendMessage", {"QueueUrl": url, "MessageBody": {"a": 1}}),
        ("GetQueueAttributes", {"QueueUrl": url, "AttributeNames": "All"}),
        ("ReceiveMessage", {"QueueUrl": url, "MaxNumberOfMessages": "five"}),
        ("TagQueue", {"QueueUrl": url, "Tags": [["a", "b"]]}),
    ]:
        reply = json_call(http, operation, body)
        assert reply.status_code == 400, (operation, reply.text)
        assert reply.json().get("__type"), (operation, reply.text)


@pytest.mark.parametrize(
    ("operation", "body", "member"),
    [
        ("GetQueueUrl", {}, "QueueName"),
        ("CreateQueue", {"Attributes": {"DelaySeconds": "1"}}, "QueueName"),
        ("DeleteQueue", {}, "QueueUrl"),
    ],
)
def test_json_missing_required_member(
    http: httpx.Client, operation: str, body: dict[str, Any], member: str
) -> None:
    reply = json_call(http, operation, body)
    error = assert_json_error(reply)
    assert reply.headers["x-amzn-query-error"] == "MissingParameter;Sender"
    assert "Missing" in type_name(error), error
    assert member in error["message"], error


def test_json_missing_message_body(http: httpx.Client, queue: tuple[str, str]) -> None:
    _, url = queue
    reply = json_call(http, "SendMessage", {"QueueUrl": url})
    error = assert_json_error(reply)
    assert reply.headers["x-amzn-query-error"] == "MissingParameter;Sender"
    assert "MessageBody" in error["message"]


def test_json_posted_to_the_queue_url_path(
    http: httpx.Client, client: Any, queue: tuple[str, str]
) -> None:
    name, url = queue
    reply = json_call(
        http,
        "SendMessage",
        {"QueueUrl": url, "MessageBody": "via queue path"},
        path=f"/{ACCOUNT}/{name}",
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["MD5OfMessageBody"] == hashlib.md5(b"via queue path").hexdigest()
    assert body["MessageId"]
    received = client.receive_message(QueueUrl=url)["Messages"]
    assert [m["Body"] for m in received] == ["via queue path"]


def test_json_errors_through_boto3_carry_the_legacy_code(client: Any) -> None:
    with pytest.raises(client.exceptions.QueueDoesNotExist) as caught:
        client.get_queue_url(QueueName=f"missing-{uuid.uuid4().hex}")
    error = caught.value.response["Error"]
    assert error["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert error["Type"] == "Sender"
    assert error["QueryErrorCode"] == "QueueDoesNotExist"


# --- Query / XML -------------------------------------------------------------------------------


def test_query_success_xml(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, url = queue
    reply = query_call(http, sqs_params("GetQueueUrl", QueueName=name))
    assert reply.status_code == 200, reply.text
    assert "xml" in reply.headers["content-type"]
    root = xml(reply)
    assert root.tag == f"{{{NS}}}GetQueueUrlResponse"
    assert root.findtext(q("GetQueueUrlResult/QueueUrl")) == url
    assert root.findtext(q("ResponseMetadata/RequestId"))


def test_query_modeled_error(http: httpx.Client) -> None:
    reply = query_call(http, sqs_params("GetQueueUrl", QueueName=f"missing-{uuid.uuid4().hex}"))
    assert_xml_error(reply, "AWS.SimpleQueueService.NonExistentQueue")


def test_query_unknown_action(http: httpx.Client) -> None:
    reply = query_call(http, sqs_params("FlyToTheMoon"))
    root = assert_xml_error(reply, "InvalidAction")
    assert "FlyToTheMoon" in (root.findtext(q("Error/Message")) or "")


def test_query_missing_action(http: httpx.Client) -> None:
    reply = query_call(http, {"Version": "2012-11-05", "QueueName": "x"})
    assert reply.status_code == 400, reply.text
    root = xml(reply)
    assert root.tag == f"{{{NS}}}ErrorResponse"
    assert root.findtext(q("Error/Code")) in {"MissingAction", "InvalidAction"}
    assert root.findtext(q("RequestId"))


@pytest.mark.parametrize(
    ("action", "missing"),
    [("GetQueueUrl", "QueueName"), ("CreateQueue", "QueueName"), ("DeleteQueue", "QueueUrl")],
)
def test_query_missing_required_parameter(http: httpx.Client, action: str, missing: str) -> None:
    reply = query_call(http, sqs_params(action))
    root = assert_xml_error(reply, "MissingParameter")
    assert root.findtext(q("Error/Message")) == f"The request must contain the parameter {missing}."


def test_query_missing_message_body(http: httpx.Client, queue: tuple[str, str]) -> None:
    _, url = queue
    reply = query_call(http, sqs_params("SendMessage", QueueUrl=url))
    root = assert_xml_error(reply, "MissingParameter")
    assert (
        root.findtext(q("Error/Message")) == "The request must contain the parameter MessageBody."
    )


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("ListQueues", {"MaxResults": "ten"}),
        ("ReceiveMessage", {"MaxNumberOfMessages": "1.5"}),
        ("ReceiveMessage", {"WaitTimeSeconds": "soon"}),
        ("SendMessage", {"MessageBody": "x", "DelaySeconds": "0x10"}),
    ],
)
def test_query_non_integer_parameter(
    http: httpx.Client, queue: tuple[str, str], action: str, params: dict[str, str]
) -> None:
    _, url = queue
    extra = {} if action == "ListQueues" else {"QueueUrl": url}
    reply = query_call(http, sqs_params(action, **extra, **params))
    assert reply.status_code == 400, reply.text
    root = xml(reply)
    assert root.tag == f"{{{NS}}}ErrorResponse"
    assert root.findtext(q("Error/Code")) in {"InvalidParameterValue", "MalformedQueryString"}
    assert root.findtext(q("RequestId"))


def test_query_posted_to_the_queue_url_path(
    http: httpx.Client, client: Any, queue: tuple[str, str]
) -> None:
    name, url = queue
    reply = query_call(
        http,
        sqs_params("SendMessage", MessageBody="hello from the path"),
        path=f"/{ACCOUNT}/{name}",
    )
    assert reply.status_code == 200, reply.text
    root = xml(reply)
    assert root.tag == f"{{{NS}}}SendMessageResponse"
    assert root.findtext(q("SendMessageResult/MD5OfMessageBody")) == (
        hashlib.md5(b"hello from the path").hexdigest()
    )
    assert root.findtext(q("SendMessageResult/MessageId"))
    received = client.receive_message(QueueUrl=url)["Messages"]
    assert [m["Body"] for m in received] == ["hello from the path"]


def test_query_get_with_parameters_in_the_query_string(
    http: httpx.Client, queue: tuple[str, str]
) -> None:
    name, url = queue
    reply = query_call(http, sqs_params("GetQueueUrl", QueueName=name), method="GET")
    assert reply.status_code == 200, reply.text
    assert xml(reply).findtext(q("GetQueueUrlResult/QueueUrl")) == url


def test_query_get_to_the_queue_url_path(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, _ = queue
    reply = query_call(
        http,
        sqs_params("GetQueueAttributes", **{"AttributeName.1": "VisibilityTimeout"}),
        method="GET",
        path=f"/{ACCOUNT}/{name}",
    )
    assert reply.status_code == 200, reply.text
    root = xml(reply)
    attrs = {
        a.findtext(q("Name")): a.findtext(q("Value"))
        for a in root.iterfind(q("GetQueueAttributesResult/Attribute"))
    }
    assert attrs == {"VisibilityTimeout": "30"}


def test_query_get_with_signature_in_the_query_string(
    http: httpx.Client, queue: tuple[str, str]
) -> None:
    # Presigned-style: the SigV4 parameters travel in the query string, not in headers.
    name, url = queue
    params = {
        **sqs_params("GetQueueUrl", QueueName=name),
        "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
        "X-Amz-Credential": "AKIDEXAMPLE/20260101/us-east-1/sqs/aws4_request",
        "X-Amz-Date": "20260101T000000Z",
        "X-Amz-Expires": "300",
        "X-Amz-SignedHeaders": "host",
        "X-Amz-Signature": SIGNATURE,
    }
    reply = query_call(http, params, method="GET", auth={})
    assert reply.status_code == 200, reply.text
    assert xml(reply).findtext(q("GetQueueUrlResult/QueueUrl")) == url


def test_query_with_accept_json(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, url = queue
    reply = query_call(
        http, sqs_params("GetQueueUrl", QueueName=name), headers={"Accept": "application/json"}
    )
    assert reply.status_code == 200, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    assert body["GetQueueUrlResponse"]["GetQueueUrlResult"] == {"QueueUrl": url}
    assert body["GetQueueUrlResponse"]["ResponseMetadata"]["RequestId"]


def test_query_with_accept_json_error(http: httpx.Client) -> None:
    reply = query_call(
        http,
        sqs_params("GetQueueUrl", QueueName=f"missing-{uuid.uuid4().hex}"),
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 400, reply.text
    assert reply.headers["content-type"].startswith("application/json")
    body = reply.json()
    envelope = body.get("ErrorResponse", body)
    assert envelope["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert envelope["Error"]["Type"] == "Sender"
    assert envelope["Error"]["Message"]
    assert request_id(reply)


def test_query_list_attributes_with_accept_json(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, _ = queue
    reply = query_call(
        http,
        sqs_params("GetQueueAttributes", **{"AttributeName.1": "DelaySeconds"}),
        path=f"/{ACCOUNT}/{name}",
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 200, reply.text
    result = reply.json()["GetQueueAttributesResponse"]["GetQueueAttributesResult"]
    attrs = result["Attributes"] if "Attributes" in result else result["Attribute"]
    # The map may come as a JSON object or as the XML's list of Name/Value entries.
    if isinstance(attrs, dict) and set(attrs) == {"Name", "Value"}:
        attrs = [attrs]
    if isinstance(attrs, list):
        attrs = {a["Name"]: a["Value"] for a in attrs}
    assert attrs == {"DelaySeconds": "0"}


# --- Which service answers ---------------------------------------------------------------------


def test_credential_scope_selects_sqs_without_version(http: httpx.Client) -> None:
    reply = query_call(http, {"Action": "ListQueues", "QueueNamePrefix": "nothing-matches-this"})
    assert reply.status_code == 200, reply.text
    assert xml(reply).tag == f"{{{NS}}}ListQueuesResponse"


def test_credential_scope_wins_over_version(http: httpx.Client) -> None:
    reply = query_call(
        http,
        {"Action": "ListQueues", "Version": "2010-03-31", "QueueNamePrefix": "nothing-matches"},
    )
    assert reply.status_code == 200, reply.text
    assert xml(reply).tag == f"{{{NS}}}ListQueuesResponse"


def test_sns_credential_scope_is_not_answered_by_sqs(http: httpx.Client) -> None:
    auth = {"Authorization": authorization("sns"), "X-Amz-Date": "20260101T000000Z"}
    reply = query_call(http, sqs_params("ListQueues"), auth=auth)
    assert reply.status_code == 400, reply.text
    assert xml(reply).tag != f"{{{NS}}}ListQueuesResponse"


def test_add_permission_goes_to_sqs_by_credential_scope(
    http: httpx.Client, client: Any, queue: tuple[str, str]
) -> None:
    # AddPermission exists in SQS and in SNS; the credential scope says which one is meant.
    _, url = queue
    reply = query_call(
        http,
        {
            "Action": "AddPermission",
            "QueueUrl": url,
            "Label": "ScopeDecides",
            "AWSAccountId.1": ACCOUNT,
            "ActionName.1": "SendMessage",
        },
    )
    assert reply.status_code == 200, reply.text
    assert xml(reply).tag == f"{{{NS}}}AddPermissionResponse"
    policy = client.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])["Attributes"]
    assert json.loads(policy["Policy"])["Statement"][0]["Sid"] == "ScopeDecides"


def test_version_selects_sqs_without_credentials(http: httpx.Client) -> None:
    reply = query_call(http, sqs_params("ListQueues", QueueNamePrefix="nothing-matches"), auth={})
    assert reply.status_code == 200, reply.text
    assert xml(reply).tag == f"{{{NS}}}ListQueuesResponse"


def test_queue_path_selects_sqs_without_credentials_or_version(
    http: httpx.Client, queue: tuple[str, str]
) -> None:
    name, _ = queue
    reply = query_call(
        http,
        {"Action": "GetQueueAttributes", "AttributeName.1": "DelaySeconds"},
        path=f"/{ACCOUNT}/{name}",
        auth={},
    )
    assert reply.status_code == 200, reply.text
    assert xml(reply).tag == f"{{{NS}}}GetQueueAttributesResponse"


# --- Request ids -------------------------------------------------------------------------------


def test_every_response_has_a_request_id(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, url = queue
    replies = [
        json_call(http, "GetQueueUrl", {"QueueName": name}),
        json_call(http, "GetQueueUrl", {"QueueName": "missing-" + uuid.uuid4().hex}),
        json_call(http, "NoSuchOperation", {}),
        json_call(http, "GetQueueUrl", "{broken"),
        json_call(http, "GetQueueUrl", {}),
        query_call(http, sqs_params("GetQueueUrl", QueueName=name)),
        query_call(http, sqs_params("GetQueueUrl", QueueName="missing-" + uuid.uuid4().hex)),
        query_call(http, sqs_params("NoSuchAction")),
        query_call(http, sqs_params("GetQueueUrl")),
        query_call(http, sqs_params("SendMessage", MessageBody="x"), path=f"/{ACCOUNT}/{name}"),
        query_call(http, sqs_params("ListQueues"), method="GET"),
        query_call(http, sqs_params("PurgeQueue", QueueUrl=url)),
    ]
    ids = [request_id(reply) for reply in replies]
    assert all(ids), [
        (r.status_code, r.text[:200]) for r, i in zip(replies, ids, strict=True) if not i
    ]
    assert len(set(ids)) == len(ids)


# --- Never a 500 -------------------------------------------------------------------------------


def garbage_requests(name: str, url: str) -> list[tuple[str, str, dict[str, str], bytes]]:
    """(method, path, headers, body) of requests no client should send."""
    json_headers = {"Content-Type": JSON_TYPE, **SQS_AUTH}
    form_headers = {"Content-Type": FORM_TYPE, **SQS_AUTH}

    def target(op: str) -> dict[str, str]:
        return {**json_headers, "X-Amz-Target": f"AmazonSQS.{op}"}

    def form(text: str) -> bytes:
        return text.encode()

    queue_path = f"/{ACCOUNT}/{name}"
    deep = b"[" * 5000 + b"]" * 5000
    return [
        ("POST", "/", target("CreateQueue"), b"null"),
        ("POST", "/", target("CreateQueue"), b"[]"),
        ("POST", "/", target("CreateQueue"), b'"just a string"'),
        ("POST", "/", target("CreateQueue"), b""),
        ("POST", "/", target("CreateQueue"), deep),
        ("POST", "/", target("CreateQueue"), b'{"QueueName": "' + b"x" * 100_000 + b'"}'),
        ("POST", "/", target("CreateQueue"), b"\xff\xfe\xfd"),
        (
            "POST",
            "/",
            target("CreateQueue"),
            b'{"QueueName": "a", "Attributes": {"VisibilityTimeout": 5}}',
        ),
        ("POST", "/", target("CreateQueue"), b'{"QueueName": "a", "Attributes": {"": ""}}'),
        ("POST", "/", target("CreateQueue"), b'{"QueueName": "", "tags": {"a": 1}}'),
        ("POST", "/", {**target("GetQueueUrl"), "Content-Type": "text/plain"}, b"{}"),
        ("POST", "/", {**json_headers, "X-Amz-Target": "AmazonSQS."}, b"{}"),
        ("POST", "/", {**json_headers, "X-Amz-Target": "Garbage"}, b"{}"),
        ("POST", "/", {**json_headers, "X-Amz-Target": "AmazonSQS.GetQueueUrl.Extra"}, b"{}"),
        ("POST", "/", json_headers, b"{}"),
        (
            "POST",
            "/",
            target("SendMessage"),
            json.dumps({"QueueUrl": url, "MessageBody": "\ud800"}).encode(),
        ),
        (
            "POST",
            "/",
            target("SendMessage"),
            json.dumps({"QueueUrl": url, "MessageBody": "x", "DelaySeconds": 1e30}).encode(),
        ),
        (
            "POST",
            "/",
            target("SendMessage"),
            json.dumps(
                {"QueueUrl": url, "MessageBody": "x", "MessageAttributes": {"a": {}}}
            ).encode(),
        ),
        (
            "POST",
            "/",
            target("SendMessage"),
            json.dumps({"QueueUrl": "not a url", "MessageBody": "x"}).encode(),
        ),
        (
            "POST",
            "/",
            target("SendMessage"),
            json.dumps({"QueueUrl": "http://127.0.0.1:1/", "MessageBody": "x"}).encode(),
        ),
        (
            "POST",
            "/",
            target("ReceiveMessage"),
            json.dumps({"QueueUrl": url, "MaxNumberOfMessages": 10**30}).encode(),
        ),
        (
            "POST",
            "/",
            target("ReceiveMessage"),
            json.dumps({"QueueUrl": url, "WaitTimeSeconds": -5}).encode(),
        ),
        (
            "POST",
            "/",
            target("DeleteMessage"),
            json.dumps({"QueueUrl": url, "ReceiptHandle": "garbage"}).encode(),
        ),
        (
            "POST",
            "/",
            target("DeleteMessage"),
            json.dumps({"QueueUrl": url, "ReceiptHandle": ""}).encode(),
        ),
        (
            "POST",
            "/",
            target("ChangeMessageVisibility"),
            json.dumps(
                {"QueueUrl": url, "ReceiptHandle": "\u0000", "VisibilityTimeout": 5}
            ).encode(),
        ),
        (
            "POST",
            "/",
            target("SendMessageBatch"),
            json.dumps({"QueueUrl": url, "Entries": "nope"}).encode(),
        ),
        (
            "POST",
            "/",
            target("SendMessageBatch"),
            json.dumps({"QueueUrl": url, "Entries": [None, 1]}).encode(),
        ),
        (
            "POST",
            "/",
            target("SetQueueAttributes"),
            json.dumps({"QueueUrl": url, "Attributes": {"Policy": "{bad"}}).encode(),
        ),
        (
            "POST",
            "/",
            target("SetQueueAttributes"),
            json.dumps({"QueueUrl": url, "Attributes": {"RedrivePolicy": "[]"}}).encode(),
        ),
        (
            "POST",
            "/",
            target("SetQueueAttributes"),
            json.dumps(
                {"QueueUrl": url, "Attributes": {"RedrivePolicy": '{"maxReceiveCount": "x"}'}}
            ).encode(),
        ),
        (
            "POST",
            "/",
            target("SetQueueAttributes"),
            json.dumps({"QueueUrl": url, "Attributes": {"RedriveAllowPolicy": "null"}}).encode(),
        ),
        (
            "POST",
            "/",
            target("ListQueues"),
            json.dumps({"MaxResults": 5, "NextToken": "%%%"}).encode(),
        ),
        ("POST", "/", target("ListQueues"), json.dumps({"MaxResults": 1.5}).encode()),
        (
            "POST",
            "/",
            target("AddPermission"),
            json.dumps({"QueueUrl": url, "Label": "", "AWSAccountIds": [], "Actions": []}).encode(),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                "Action=CreateQueue&Version=2012-11-05&QueueName=a&Attribute.1.Name=VisibilityTimeout"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form("Action=CreateQueue&Version=2012-11-05&QueueName=a&Attribute.1.Value=5"),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                "Action=CreateQueue&Version=2012-11-05&QueueName=a&Attribute.x.Name=y&Attribute.x.Value=z"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                "Action=CreateQueue&Version=2012-11-05&QueueName=a&Attribute.0.Name=DelaySeconds&Attribute.0.Value=1"
            ),
        ),
        ("POST", "/", form_headers, form("Action=CreateQueue&Version=2012-11-05&QueueName=%zz")),
        (
            "POST",
            "/",
            form_headers,
            form("Action=CreateQueue&Action=ListQueues&Version=2012-11-05"),
        ),
        (
            "POST",
            "/",
            form_headers,
            form("Action=ListQueues&Version=2012-11-05&MaxResults=99999999999999999999999"),
        ),
        ("POST", "/", form_headers, form("Action=ListQueues&Version=1999-01-01")),
        ("POST", "/", form_headers, form("Action=ListQueues&Version=2012-11-05&NextToken=%00%01")),
        (
            "POST",
            "/",
            form_headers,
            form(
                f"Action=SendMessage&Version=2012-11-05&QueueUrl={url}&MessageBody=x&DelaySeconds=1e400"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                f"Action=SendMessage&Version=2012-11-05&QueueUrl={url}&MessageBody=x&MessageAttribute.1.Name=a"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(f"Action=SendMessage&Version=2012-11-05&QueueUrl={url}&MessageBody=%ED%A0%80"),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                f"Action=SendMessageBatch&Version=2012-11-05&QueueUrl={url}&SendMessageBatchRequestEntry.1.Id=a"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(f"Action=DeleteMessage&Version=2012-11-05&QueueUrl={url}&ReceiptHandle=%00%01"),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                f"Action=ChangeMessageVisibility&Version=2012-11-05&QueueUrl={url}&ReceiptHandle=zz&VisibilityTimeout=abc"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(f"Action=TagQueue&Version=2012-11-05&QueueUrl={url}&Tag.1.Key=a"),
        ),
        (
            "POST",
            "/",
            form_headers,
            form(
                f"Action=SetQueueAttributes&Version=2012-11-05&QueueUrl={url}&Attribute.1.Name=Policy&Attribute.1.Value=%7Bbad"
            ),
        ),
        (
            "POST",
            "/",
            form_headers,
            form("Action=SendMessage&Version=2012-11-05&QueueUrl=not-a-url&MessageBody=x"),
        ),
        ("POST", queue_path, form_headers, form("Action=SendMessage&Version=2012-11-05")),
        ("POST", queue_path, form_headers, b"\xff\xfe=\xfd"),
        ("POST", f"/{ACCOUNT}/", form_headers, form("Action=SendMessage&MessageBody=x")),
        ("POST", f"/{ACCOUNT}/a/b/c", form_headers, form("Action=SendMessage&MessageBody=x")),
        ("POST", "/not-an-account/queue", form_headers, form("Action=SendMessage&MessageBody=x")),
        ("POST", "/", {"Content-Type": "multipart/form-data; boundary=x"}, b"--x\r\n\r\n--x--"),
        ("POST", "/", {}, b""),
        ("GET", "/", {}, b""),
        ("GET", "/favicon.ico", {}, b""),
        ("GET", "/?Action=ListQueues&Version=2012-11-05&QueueNamePrefix=%ff", {}, b""),
        ("PUT", "/", form_headers, form("Action=ListQueues&Version=2012-11-05")),
        ("DELETE", queue_path, {}, b""),
        ("PATCH", "/", json_headers, b"{}"),
        (
            "POST",
            "/",
            {**form_headers, "Authorization": "AWS4-HMAC-SHA256 Credential=garbage"},
            form("Action=ListQueues"),
        ),
        ("POST", "/", {**form_headers, "Authorization": "Bearer token"}, form("Action=ListQueues")),
    ]


def test_no_bad_input_causes_a_500(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, url = queue
    failures = []
    for method, path, headers, body in garbage_requests(name, url):
        reply = http.request(method, path, headers=headers, content=body)
        if reply.status_code >= 500:
            failures.append((method, path, body[:120], reply.status_code, reply.text[:300]))
    assert not failures, failures


def test_server_still_healthy_after_garbage(http: httpx.Client, queue: tuple[str, str]) -> None:
    name, url = queue
    for method, path, headers, body in garbage_requests(name, url)[:20]:
        http.request(method, path, headers=headers, content=body)
    reply = json_call(http, "GetQueueUrl", {"QueueName": name})
    assert reply.status_code == 200
    assert reply.json() == {"QueueUrl": url}


def test_sns_namespace_is_not_used_for_sqs(http: httpx.Client) -> None:
    reply = query_call(http, sqs_params("ListQueues", QueueNamePrefix="none"))
    assert SNS_NS not in reply.text
