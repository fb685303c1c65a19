"""The STS service as Kyu serves it: query protocol only, on the same endpoint as SQS and SNS."""

from __future__ import annotations

import functools

import botocore.loaders
from botocore.model import ServiceModel

from emulator.protocol.query_traits import QueryTraits
from emulator.service import Handler, Service
from emulator.sts import handlers
from emulator.sts.sessions import StsBackend

STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/"
# STS's lists and maps are all wrapped (``member`` / ``entry``), the query default.
STS_TRAITS = QueryTraits(lists={}, maps={})

HANDLERS: dict[str, Handler] = {
    "AssumeRole": handlers.assume_role,
    "GetCallerIdentity": handlers.get_caller_identity,
}


@functools.cache
def sts_model() -> ServiceModel:
    loader = botocore.loaders.create_loader()
    return ServiceModel(loader.load_service_model("sts", "service-2"), service_name="sts")


def sts_service(backend: StsBackend) -> Service:
    return Service("sts", sts_model(), HANDLERS, backend, STS_NAMESPACE, STS_TRAITS)
