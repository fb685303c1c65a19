from __future__ import annotations

from emulator.metrics import Metrics, QueueDepth


def test_requests_are_counted_by_service_operation_and_status() -> None:
    metrics = Metrics()
    metrics.request("sqs", "SendMessage", 200)
    metrics.request("sqs", "SendMessage", 200)
    metrics.request("sqs", "SendMessage", 400)
    text = metrics.render([])
    assert 'kyu_requests_total{service="sqs",operation="SendMessage",status="200"} 2' in text
    assert 'kyu_requests_total{service="sqs",operation="SendMessage",status="400"} 1' in text
    assert "# TYPE kyu_requests_total counter" in text


def test_message_counters_follow_results_per_queue() -> None:
    metrics = Metrics()
    url = "http://localhost:4566/000000000000/orders"
    metrics.sqs_result("SendMessage", {"QueueUrl": url}, {"MessageId": "m"})
    metrics.sqs_result("SendMessageBatch", {"QueueUrl": url},
                       {"Successful": [{}, {}, {}], "Failed": [{}]})
    metrics.sqs_result("ReceiveMessage", {"QueueUrl": url}, {"Messages": [{}, {}]})
    metrics.sqs_result("ReceiveMessage", {"QueueUrl": url}, {})
    metrics.sqs_result("DeleteMessageBatch", {"QueueUrl": url}, {"Successful": [{}]})
    metrics.sqs_result("GetQueueAttributes", {"QueueUrl": url}, {"Attributes": {}})
    text = metrics.render([])
    assert 'kyu_messages_sent_total{queue="000000000000/orders"} 4' in text
    assert 'kyu_messages_received_total{queue="000000000000/orders"} 2' in text
    assert 'kyu_messages_deleted_total{queue="000000000000/orders"} 1' in text


def test_aws_style_and_bare_queue_urls_get_readable_labels() -> None:
    metrics = Metrics()
    metrics.sqs_result("SendMessage",
                       {"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/123456789012/q"}, {})
    metrics.sqs_result("SendMessage", {"QueueUrl": "bare"}, {})
    text = metrics.render([])
    assert 'kyu_messages_sent_total{queue="123456789012/q"} 1' in text
    assert 'kyu_messages_sent_total{queue="bare"} 1' in text


def test_depth_gauges_and_label_escaping() -> None:
    text = Metrics().render([QueueDepth("000000000000", 'we"ird', 5, 2, 1)])
    assert 'kyu_queue_messages{queue="000000000000/we\\"ird",state="visible"} 5' in text
    assert 'kyu_queue_messages{queue="000000000000/we\\"ird",state="in_flight"} 2' in text
    assert 'kyu_queue_messages{queue="000000000000/we\\"ird",state="delayed"} 1' in text
    assert text.endswith("\n")
