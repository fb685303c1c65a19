"""Topics and subscriptions in SQLite: the mirror matches the rows after a reload; deleting a
topic takes its subscriptions; SubscriptionsDeleted counts."""

from __future__ import annotations

from storage.database import Database
from storage.subscriptions import NewSubscription, SubscriptionStore
from storage.topics import TopicStore


def new_subscription(topic_id: int, arn: str, *, confirmed: bool = True) -> NewSubscription:
    return NewSubscription(arn=arn, topic_id=topic_id, protocol="sqs",
                           endpoint="arn:aws:sqs:us-east-1:000000000000:q", owner="000000000000",
                           attributes={"RawMessageDelivery": "true"}, confirmed=confirmed,
                           token=None if confirmed else "tok", created_at=5)


async def test_topics_and_subscriptions_reload_as_stored(db: Database) -> None:
    topics, subscriptions = TopicStore(db), SubscriptionStore(db)
    topic = await topics.create("us-east-1", "000000000000", "t", fifo=False,
                                attributes={"DisplayName": "D"}, tags={"k": "v"}, now=1)
    topic = await topics.set_attributes(topic, {"DisplayName": "", "SignatureVersion": "2"})
    assert topic.attributes == {"SignatureVersion": "2"}
    first = await subscriptions.create(new_subscription(topic.id, "arn:s1"))
    pending = await subscriptions.create(new_subscription(topic.id, "arn:s2", confirmed=False))
    pending = await subscriptions.confirm(pending, authenticated=True)
    await subscriptions.set_attributes(first, {"FilterPolicy": "{}"})

    topics_again, subscriptions_again = TopicStore(db), SubscriptionStore(db)
    await topics_again.load()
    await subscriptions_again.load()
    assert topics_again.by_arn(topic.arn) == topic
    assert [s.arn for s in subscriptions_again.of_topic(topic.id)] == ["arn:s1", "arn:s2"]
    reloaded = subscriptions_again.by_arn("arn:s2")
    assert reloaded is not None and reloaded.confirmed and reloaded.authenticated
    assert reloaded.token == "tok"
    assert subscriptions_again.by_arn("arn:s1").attributes == {  # type: ignore[union-attr]
        "RawMessageDelivery": "true", "FilterPolicy": "{}"}


async def test_deleting_subscriptions_and_topics(db: Database) -> None:
    topics, subscriptions = TopicStore(db), SubscriptionStore(db)
    topic = await topics.create("us-east-1", "000000000000", "t", fifo=False, attributes={},
                                tags={}, now=1)
    one = await subscriptions.create(new_subscription(topic.id, "arn:s1"))
    await subscriptions.create(new_subscription(topic.id, "arn:s2"))
    await subscriptions.delete(one)
    topics.note_subscription_deleted(topic.id)
    assert topics.by_arn(topic.arn).subscriptions_deleted == 1  # type: ignore[union-attr]
    await topics.delete([topic])
    subscriptions.forget_topics([topic.id])
    assert topics.by_arn(topic.arn) is None and subscriptions.all() == []
    row = await db.fetch_one("SELECT count(*) FROM subscriptions")
    assert row is not None and row[0] == 0
    reloaded = TopicStore(db)
    await reloaded.load()
    assert reloaded.all() == []
