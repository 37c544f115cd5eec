"""Implementation of the public SDK modules (flowkit.agent, flowkit.workflow, flowkit.function)."""
