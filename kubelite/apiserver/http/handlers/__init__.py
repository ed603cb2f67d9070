"""Handlers for each verb over a resolved `Target`; `routes.dispatch` picks one per request."""
