"""The reconcile contract, the controller runner and the built-in controllers.

Built in later issues; nothing here yet."""
