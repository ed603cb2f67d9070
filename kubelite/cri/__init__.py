"""CRI-shaped container runtime protocols and their fake and Docker backends.

Built in a later issue; nothing here yet."""
