"""Every SQS operation by its API name, mapped to the handler that implements it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.context import RequestContext
from emulator.sqs import batch_handlers, message_handlers, permissions, queue_handlers, tags
from emulator.sqs.backend import SqsBackend
from emulator.sqs.errors import unsupported_operation

Handler = Callable[..., Awaitable[dict[str, Any] | None]]


async def _not_yet_supported(sqs: SqsBackend, ctx: RequestContext, **_: Any) -> None:
    raise unsupported_operation("Message move tasks are not supported by this version of Kyu.")


HANDLERS: dict[str, Handler] = {
    "AddPermission": permissions.add_permission,
    "CancelMessageMoveTask": _not_yet_supported,
    "ChangeMessageVisibility": message_handlers.change_message_visibility,
    "ChangeMessageVisibilityBatch": batch_handlers.change_message_visibility_batch,
    "CreateQueue": queue_handlers.create_queue,
    "DeleteMessage": message_handlers.delete_message,
    "DeleteMessageBatch": batch_handlers.delete_message_batch,
    "DeleteQueue": queue_handlers.delete_queue,
    "GetQueueAttributes": queue_handlers.get_queue_attributes,
    "GetQueueUrl": queue_handlers.get_queue_url,
    "ListDeadLetterSourceQueues": queue_handlers.list_dead_letter_source_queues,
    "ListMessageMoveTasks": _not_yet_supported,
    "ListQueueTags": tags.list_queue_tags,
    "ListQueues": queue_handlers.list_queues,
    "PurgeQueue": queue_handlers.purge_queue,
    "ReceiveMessage": message_handlers.receive_message,
    "RemovePermission": permissions.remove_permission,
    "SendMessage": message_handlers.send_message,
    "SendMessageBatch": batch_handlers.send_message_batch,
    "SetQueueAttributes": queue_handlers.set_queue_attributes,
    "StartMessageMoveTask": _not_yet_supported,
    "TagQueue": tags.tag_queue,
    "UntagQueue": tags.untag_queue,
}
