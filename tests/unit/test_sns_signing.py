"""Signatures verify with the certificate, per SignatureVersion, and nothing else verifies."""

from __future__ import annotations

import datetime

import pytest

from emulator.sns.signing import Signer, generate_key_pair, verify


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer(*generate_key_pair(datetime.datetime.now(datetime.UTC)))


@pytest.mark.parametrize("version", ["1", "2"])
def test_a_signature_verifies_with_the_certificate(signer: Signer, version: str) -> None:
    signature = signer.sign("Message\nhi\n", version)
    assert verify(signer.certificate_pem, "Message\nhi\n", signature, version)
    assert not verify(signer.certificate_pem, "Message\nho\n", signature, version)
    other = "2" if version == "1" else "1"
    assert not verify(signer.certificate_pem, "Message\nhi\n", signature, other)


def test_the_certificate_is_pem_and_named_after_its_digest(signer: Signer) -> None:
    assert signer.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")
    assert signer.certificate_name.startswith("SimpleNotificationService-")
    assert signer.certificate_url("http://h:1") == (
        f"http://h:1/_kyu/sns/{signer.certificate_name}")


def test_another_key_does_not_verify(signer: Signer) -> None:
    other = Signer(*generate_key_pair(datetime.datetime.now(datetime.UTC)))
    signature = other.sign("x", "1")
    assert not verify(signer.certificate_pem, "x", signature, "1")
