"""The kitchen tells the world: events written in the transaction of the change they
report (`events.outbox_emit`, called only from orders/actions and orders/intake), and
delivered afterwards by the scheduler (`deliver.outbox_deliver_due`): Standard Webhooks
to the endpoints managers configure, and the status write-backs vendors document.
"""
