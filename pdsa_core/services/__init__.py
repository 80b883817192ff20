"""Service mixins that make up :class:`pdsa_core.workspace.Workspace`, one per area."""
