"""The scheduler: filters, scores and binding through pods/binding.

Built in a later issue; nothing here yet."""
