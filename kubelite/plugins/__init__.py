"""The plugin API: custom kinds and controllers, discovered through entry points.

Built in a later issue; nothing here yet."""
