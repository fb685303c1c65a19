// The AWS SDK for JavaScript v3 against Kyu: send / receive / delete on SQS and, with --sns,
// publish through an SNS topic to a subscribed queue. Prints one JSON report on stdout.
// Usage: KYU_ENDPOINT=http://127.0.0.1:4566 node roundtrip.mjs <queue-name> [--sns]
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { CreateTopicCommand, PublishCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";

const options = {
  endpoint: process.env.KYU_ENDPOINT,
  region: "us-east-1",
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
  maxAttempts: 1,
};
const [name] = process.argv.slice(2);
const sqs = new SQSClient(options);
const report = {};

const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
report.queueUrl = QueueUrl;
const sent = await sqs.send(new SendMessageCommand({
  QueueUrl,
  MessageBody: "hello from JavaScript ✓",
  MessageAttributes: { kind: { DataType: "String", StringValue: "greeting" } },
}));
report.sent = {
  messageId: sent.MessageId,
  md5OfBody: sent.MD5OfMessageBody,
  md5OfAttributes: sent.MD5OfMessageAttributes,
};
// The SDK checks MD5OfBody of every received message itself and throws on a mismatch.
const received = await sqs.send(new ReceiveMessageCommand({
  QueueUrl,
  MaxNumberOfMessages: 10,
  WaitTimeSeconds: 1,
  MessageAttributeNames: ["All"],
  MessageSystemAttributeNames: ["All"],
}));
report.received = (received.Messages ?? []).map((m) => ({
  messageId: m.MessageId,
  body: m.Body,
  md5OfBody: m.MD5OfBody,
  receiveCount: m.Attributes?.ApproximateReceiveCount,
  kind: m.MessageAttributes?.kind?.StringValue,
}));
for (const message of received.Messages ?? []) {
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle }));
}
const counts = await sqs.send(new GetQueueAttributesCommand({
  QueueUrl,
  AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
}));
report.afterDelete = counts.Attributes;

if (process.argv.includes("--sns")) {
  const sns = new SNSClient(options);
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `${name}-topic` }));
  const { QueueUrl: target } = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-sub` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({
    QueueUrl: target, AttributeNames: ["QueueArn"],
  }));
  await sns.send(new SubscribeCommand({
    TopicArn, Protocol: "sqs", Endpoint: Attributes.QueueArn,
    Attributes: { RawMessageDelivery: "true" },
  }));
  const published = await sns.send(new PublishCommand({ TopicArn, Message: "published from JavaScript" }));
  const delivered = await sqs.send(new ReceiveMessageCommand({ QueueUrl: target, WaitTimeSeconds: 2 }));
  report.published = {
    messageId: published.MessageId,
    delivered: (delivered.Messages ?? []).map((m) => m.Body),
  };
}

console.log(JSON.stringify(report));
