"""The botocore service models that drive Kyu's codecs.

SQS is described by the JSON model that botocore ships; its query-protocol names live in
``query_traits``.
"""

from __future__ import annotations

import functools

import botocore.loaders
from botocore.model import OperationModel, OperationNotFoundError, ServiceModel


@functools.cache
def sqs_model() -> ServiceModel:
    """The current botocore JSON model of SQS (loaded once)."""
    loader = botocore.loaders.create_loader()
    return ServiceModel(loader.load_service_model("sqs", "service-2"), service_name="sqs")


@functools.lru_cache(maxsize=512)
def operation(model: ServiceModel, name: str) -> OperationModel | None:
    """The operation called ``name`` (exact spelling), or None when the model has none."""
    if name not in model.operation_names:
        return None
    try:
        return model.operation_model(name)
    except OperationNotFoundError:
        return None
