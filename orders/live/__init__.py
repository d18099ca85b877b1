"""The live path: group names, the messages on the channel layer, sequence numbers,
broadcast after commit, and the socket base class every consumer builds on.

Only `orders.actions` and `orders.intake` bump sequence numbers or broadcast
(`sequence.stations_touch`, `broadcast.on_commit_send`); the import contract in
`make lint` keeps it so.
"""
