"""Every write other than intake: what cooks, expo, runners and managers do.

Plain functions `<entity>_<verb>` with keyword-only arguments. Each runs in one
transaction, locks the order first (`locking.order_lock`), appends to the order's
event log with the screen or user who acted, bumps the sequence numbers of the
stations whose boards change (`orders.live.sequence.stations_touch`) and
broadcasts after commit. A refusal is `errors.ActionRefused`.
"""
