"""Workqueues with client-go semantics: de-duplicating, delaying and rate-limited queues.

Built in the informers/workqueue issue; nothing here yet."""
