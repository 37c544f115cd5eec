"""The hello sample: an agent, a workflow with a child, two functions (see README.md)."""
