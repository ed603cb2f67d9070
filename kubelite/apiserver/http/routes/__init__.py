"""URL routing of the Kubernetes API: `paths` resolves a resource path, `dispatch` picks the handler."""
