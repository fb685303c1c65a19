"""SNS: topics, subscriptions, filter policies and delivery."""
