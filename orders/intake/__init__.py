"""Orders in: the signature, the payload's schema, `order_ingest` and the webhook view."""
