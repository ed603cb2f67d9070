"""The node agent: registers a Node, renews its Lease, runs bound pods through CRI.

Built in a later issue; nothing here yet."""
