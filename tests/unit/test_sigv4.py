"""SigV4 verification: requests signed by botocore's own signer, then altered one way at a time."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator.errors import AwsError
from emulator.protocol.sigv4 import SigningKey, parse_credentials, verify

KEY = SigningKey("AKIDKYUTEST", "s3cr3t", "111111111111")
KEYS = {KEY.access_key_id: KEY}
HOST = "127.0.0.1:4566"
FORM = b"Action=ListQueues&Version=2012-11-05"


def _headers(request: AWSRequest) -> dict[str, str]:
    return {name.lower(): value for name, value in request.headers.items()}


def signed_post(body: bytes = FORM, path: str = "/", secret: str = KEY.secret_access_key,
                key_id: str = KEY.access_key_id, extra: dict[str, str] | None = None,
                ) -> tuple[dict[str, str], bytes, str]:
    request = AWSRequest(
        method="POST", url=f"http://{HOST}{path}", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                 **(extra or {})},
    )
    SigV4Auth(Credentials(key_id, secret), "sqs", "eu-west-1").add_auth(request)
    headers = {"host": HOST, **_headers(request)}
    return headers, body, path


def presigned(query: str = "Action=ListQueues&Version=2012-11-05", expires: int = 60,
              ) -> tuple[str, str]:
    request = AWSRequest(method="GET", url=f"http://{HOST}/?{query}")
    SigV4QueryAuth(Credentials(KEY.access_key_id, KEY.secret_access_key), "sqs", "us-east-1",
                   expires=expires).add_auth(request)
    parts = urlsplit(request.url)
    return parts.path, parts.query


def now() -> datetime:
    return datetime.now(UTC)


def check(method: str, path: str, query: str, headers: dict[str, str], body: bytes,
          at: datetime | None = None) -> SigningKey:
    return verify(method, path, query, headers, body, KEYS, now=at or now())


def rejected(method: str, path: str, query: str, headers: dict[str, str], body: bytes,
             at: datetime | None = None) -> AwsError:
    with pytest.raises(AwsError) as caught:
        check(method, path, query, headers, body, at)
    return caught.value


def test_a_correctly_signed_post_names_its_key() -> None:
    headers, body, path = signed_post()
    assert check("POST", path, "", headers, body) == KEY


def test_a_request_to_a_queue_path_with_a_unicode_body_verifies() -> None:
    body = b"Action=SendMessage&MessageBody=%E2%9C%93+caf%C3%A9"
    headers, body, path = signed_post(body, path="/111111111111/orders")
    assert check("POST", path, "", headers, body) == KEY


def test_a_changed_body_does_not_match() -> None:
    headers, _, path = signed_post()
    error = rejected("POST", path, "", headers, FORM + b"&MaxResults=1")
    assert (error.code, error.status) == ("SignatureDoesNotMatch", 403)
    assert error.message.startswith("The request signature we calculated does not match")
    assert "The Canonical String for this request should have been" in error.message


def test_a_wrong_secret_does_not_match() -> None:
    headers, body, path = signed_post(secret="not-the-secret")
    assert rejected("POST", path, "", headers, body).code == "SignatureDoesNotMatch"


def test_a_changed_signed_header_does_not_match() -> None:
    headers, body, path = signed_post()
    headers["host"] = "127.0.0.1:9999"
    assert rejected("POST", path, "", headers, body).code == "SignatureDoesNotMatch"


def test_an_unsigned_header_may_change() -> None:
    headers, body, path = signed_post()
    headers["user-agent"] = "something else"
    assert check("POST", path, "", headers, body) == KEY


def test_an_unknown_access_key_is_an_invalid_client_token() -> None:
    headers, body, path = signed_post(key_id="AKIDUNKNOWN")
    error = rejected("POST", path, "", headers, body)
    assert (error.code, error.status) == ("InvalidClientTokenId", 403)
    assert error.message == "The security token included in the request is invalid."


def test_no_signature_at_all_is_a_missing_authentication_token() -> None:
    error = rejected("POST", "/", "", {"host": HOST}, FORM)
    assert (error.code, error.status) == ("MissingAuthenticationToken", 403)
    assert error.message == "Request is missing Authentication Token"


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        ("AWS4-HMAC-SHA256 SignedHeaders=host;x-amz-date, Signature=abc",
         "Authorization header requires 'Credential' parameter."),
        ("AWS4-HMAC-SHA256 Credential=AKIDKYUTEST/20240101/us-east-1/sqs/aws4_request, "
         "SignedHeaders=host;x-amz-date", "Authorization header requires 'Signature' parameter."),
        ("AWS4-HMAC-SHA256 Credential=AKIDKYUTEST/20240101/us-east-1/sqs/aws4_request, "
         "Signature=abc", "Authorization header requires 'SignedHeaders' parameter."),
        ("AWS AKIDKYUTEST:c2lnbmF0dXJl", "Unsupported AWS 'algorithm': 'AWS'."),
        ("AWS4-HMAC-SHA256 Credential=AKIDKYUTEST/us-east-1/sqs/aws4_request, "
         "SignedHeaders=host;x-amz-date, Signature=abc",
         "Credential must have exactly 5 slash-delimited elements"),
        ("AWS4-HMAC-SHA256 Credential=AKIDKYUTEST/20240101/us-east-1/sqs/aws4_request, "
         "SignedHeaders=x-amz-date, Signature=abc", "'Host' or ':authority' must be a"),
    ],
)
def test_a_malformed_authorization_header_is_an_incomplete_signature(
    authorization: str, expected: str
) -> None:
    headers = {"host": HOST, "x-amz-date": now().strftime("%Y%m%dT%H%M%SZ"),
               "authorization": authorization}
    error = rejected("POST", "/", "", headers, FORM)
    assert (error.code, error.status) == ("IncompleteSignature", 400)
    assert expected in error.message


def test_a_header_signature_without_a_date_is_an_incomplete_signature() -> None:
    headers, body, path = signed_post()
    del headers["x-amz-date"]
    error = rejected("POST", path, "", headers, body)
    assert error.code == "IncompleteSignature"
    assert "requires existence of either a 'X-Amz-Date' or a 'Date' header" in error.message


def test_a_malformed_date_is_an_incomplete_signature() -> None:
    headers, body, path = signed_post()
    headers["x-amz-date"] = "yesterday"
    error = rejected("POST", path, "", headers, body)
    assert error.code == "IncompleteSignature"
    assert "Date must be in ISO-8601 'basic format'. Got 'yesterday'." in error.message


def test_a_signature_older_than_15_minutes_has_expired() -> None:
    headers, body, path = signed_post()
    later = now() + timedelta(minutes=16)
    error = rejected("POST", path, "", headers, body, at=later)
    assert (error.code, error.status) == ("SignatureDoesNotMatch", 403)
    assert error.message.startswith(f"Signature expired: {headers['x-amz-date']} is now earlier")
    assert error.message.endswith(f"({later.strftime('%Y%m%dT%H%M%SZ')} - 15 min.)")


def test_a_signature_within_15_minutes_is_still_valid() -> None:
    headers, body, path = signed_post()
    assert check("POST", path, "", headers, body, at=now() + timedelta(minutes=14)) == KEY


def test_a_signature_from_the_future_is_not_yet_current() -> None:
    headers, body, path = signed_post()
    error = rejected("POST", path, "", headers, body, at=now() - timedelta(minutes=16))
    assert error.code == "SignatureDoesNotMatch"
    assert error.message.startswith("Signature not yet current:")


def test_unsigned_payload_is_accepted_for_any_body() -> None:
    headers, _, path = signed_post(body=b"", extra={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    assert check("POST", path, "", headers, FORM) == KEY


def test_a_declared_payload_hash_must_match_the_body() -> None:
    declared = hashlib.sha256(FORM).hexdigest()
    headers, body, path = signed_post(extra={"X-Amz-Content-SHA256": declared})
    assert check("POST", path, "", headers, body) == KEY
    error = rejected("POST", path, "", headers, body + b"&x=1")
    assert error.code == "SignatureDoesNotMatch"
    assert "x-amz-content-sha256" in error.message


def test_a_presigned_get_verifies() -> None:
    path, query = presigned(
        "Action=SendMessage&MessageBody=caf%C3%A9%20%E2%9C%93%2B%2A&Version=2012-11-05"
    )
    assert check("GET", path, query, {"host": HOST}, b"") == KEY


def test_a_presigned_get_with_a_changed_parameter_does_not_match() -> None:
    path, query = presigned()
    error = rejected("GET", path, query.replace("ListQueues", "PurgeQueue"), {"host": HOST}, b"")
    assert error.code == "SignatureDoesNotMatch"


def test_a_presigned_get_past_its_expiry_has_expired() -> None:
    path, query = presigned(expires=60)
    error = rejected("GET", path, query, {"host": HOST}, b"", at=now() + timedelta(seconds=61))
    assert (error.code, error.status) == ("RequestExpired", 400)
    assert check("GET", path, query, {"host": HOST}, b"", at=now() + timedelta(seconds=50)) == KEY


def test_a_presigned_get_missing_a_part_is_an_incomplete_signature() -> None:
    path, query = presigned()
    trimmed = "&".join(p for p in query.split("&") if not p.startswith("X-Amz-Credential="))
    error = rejected("GET", path, trimmed, {"host": HOST}, b"")
    assert error.code == "IncompleteSignature"
    assert "must include 'X-Amz-Credential'" in error.message


def test_credentials_from_json() -> None:
    keys = parse_credentials(
        '{"AKIDA": {"secret_access_key": "a", "account_id": "111111111111"},'
        ' "AKIDB": {"secret_access_key": "b"}}'
    )
    assert keys == {
        "AKIDA": SigningKey("AKIDA", "a", "111111111111"),
        "AKIDB": SigningKey("AKIDB", "b", None),
    }


def test_credentials_from_ini_in_the_aws_credentials_layout() -> None:
    keys = parse_credentials(
        "[team-a]\naws_access_key_id = AKIDA\naws_secret_access_key = a%b\n"
        "account_id = 222222222222\n"
    )
    assert keys == {"AKIDA": SigningKey("AKIDA", "a%b", "222222222222")}


@pytest.mark.parametrize(
    "text",
    [
        '["AKIDA"]',
        '{"AKIDA": "secret"}',
        '{"AKIDA": {"account_id": "111111111111"}}',
        '{"AKIDA": {"secret_access_key": "a", "account_id": "12"}}',
        "[p]\naws_secret_access_key = a\n",
        "not a credentials file",
    ],
)
def test_malformed_credentials_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_credentials(text)
