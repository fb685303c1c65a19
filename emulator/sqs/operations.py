"""Every SQS operation by its API name, mapped to the handler that implements it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.sqs import (
    access,
    batch_handlers,
    message_handlers,
    move_tasks,
    permissions,
    queue_handlers,
    tags,
)

Handler = Callable[..., Awaitable[dict[str, Any] | None]]


HANDLERS: dict[str, Handler] = {
    "AddPermission": permissions.add_permission,
    "CancelMessageMoveTask": move_tasks.cancel_message_move_task,
    "ChangeMessageVisibility": message_handlers.change_message_visibility,
    "ChangeMessageVisibilityBatch": batch_handlers.change_message_visibility_batch,
    "CreateQueue": queue_handlers.create_queue,
    "DeleteMessage": message_handlers.delete_message,
    "DeleteMessageBatch": batch_handlers.delete_message_batch,
    "DeleteQueue": queue_handlers.delete_queue,
    "GetQueueAttributes": queue_handlers.get_queue_attributes,
    "GetQueueUrl": queue_handlers.get_queue_url,
    "ListDeadLetterSourceQueues": queue_handlers.list_dead_letter_source_queues,
    "ListMessageMoveTasks": move_tasks.list_message_move_tasks,
    "ListQueueTags": tags.list_queue_tags,
    "ListQueues": queue_handlers.list_queues,
    "PurgeQueue": queue_handlers.purge_queue,
    "ReceiveMessage": message_handlers.receive_message,
    "RemovePermission": permissions.remove_permission,
    "SendMessage": message_handlers.send_message,
    "SendMessageBatch": batch_handlers.send_message_batch,
    "SetQueueAttributes": queue_handlers.set_queue_attributes,
    "StartMessageMoveTask": move_tasks.start_message_move_task,
    "TagQueue": tags.tag_queue,
    "UntagQueue": tags.untag_queue,
}

# Each handler first checks that the caller's account may use the queue it names.
HANDLERS = {name: access.guarded(name, handler) for name, handler in HANDLERS.items()}
