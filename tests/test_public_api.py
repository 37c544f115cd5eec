"""The public names of the Restack-mirroring modules are pinned: a change here is a
change to what users' ported code can import."""

from __future__ import annotations

import flowkit
import flowkit.agent
import flowkit.client
import flowkit.function
import flowkit.workflow

# Every name Restack code imports from the matching restack_ai module (see
# shared/notes/restack-api.md), plus flowkit's additions.
AGENT = {
    "agent",
    "log",
    "import_functions",
    "agent_info",
    "condition",
    "uuid",
    "all_events_finished",
    "get_external_agent_handle",
    "NonRetryableError",
    "RetryableError",
    "StepError",
    "RetryPolicy",
    "Agent",
    "ApplicationError",
    "ChildStart",
    "ChildWorkflowCancellationType",
    "ParentClosePolicy",
    "Logger",
    "temporal_workflow",
}
WORKFLOW = {
    "workflow",
    "log",
    "import_functions",
    "name_of",
    "workflow_info",
    "continue_as_new",
    "uuid",
    "get_external_workflow_handle",
    "NonRetryableError",
    "RetryableError",
    "StepError",
    "RetryPolicy",
    "Workflow",
    "ApplicationError",
    "ChildStart",
    "ChildWorkflowCancellationType",
    "ParentClosePolicy",
    "Logger",
    "temporal_workflow",
    "set_current_details",
    "configure_logging",
}
FUNCTION = {
    "function",
    "log",
    "heartbeat",
    "function_info",
    "NonRetryableError",
    "RetryableError",
    "FunctionFailure",
    "current_workflow",
    "Function",
    "ApplicationError",
    "mcp_progress",
    "should_use_https",
    "stream_to_websocket",
}
AGENT_METHODS = {
    "defn",
    "run",
    "event",
    "state",
    "condition",
    "step",
    "child_start",
    "child_execute",
    "sleep",
    "should_continue_as_new",
    "agent_continue_as_new",
}
WORKFLOW_METHODS = {"defn", "run", "step", "child_start", "child_execute", "sleep"}


SECURITY = {
    "ENCRYPTED_MARKER_KEY",
    "SENSITIVE_MARKER_KEY",
    "DataConverter",
    "Payload",
    "PayloadCodec",
    "Payloads",
    "Sensitive",
    "SensitiveEncryption",
    "SensitiveFieldsCodec",
    "converter",
    "create_aes_gcm_encryption",
    "sensitive",
}


def test_restack_side_modules_are_pinned():
    import flowkit.event
    import flowkit.security
    import flowkit.utils

    assert set(flowkit.security.__all__) == SECURITY
    assert set(flowkit.event.__all__) == {"AgentEvent", "SendAgentEvent"}
    assert set(flowkit.utils.__all__) == {"rpm_to_second", "should_use_https"}


def test_module_exports_are_pinned():
    assert set(flowkit.agent.__all__) == AGENT
    assert set(flowkit.workflow.__all__) == WORKFLOW
    assert set(flowkit.function.__all__) == FUNCTION
    for module in (flowkit.agent, flowkit.workflow, flowkit.function):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_restack_method_names_exist():
    for name in AGENT_METHODS:
        assert callable(getattr(flowkit.agent.agent, name)), name
    for name in WORKFLOW_METHODS:
        assert callable(getattr(flowkit.workflow.workflow, name)), name
    assert callable(flowkit.function.function.defn)
    # function delegates everything else to temporalio.activity, as Restack's does
    assert flowkit.function.function.heartbeat is flowkit.function.heartbeat


def test_restack_aliases():
    assert flowkit.agent.WorkflowLogger is flowkit.agent.Logger
    assert flowkit.function.ActivityLogger is flowkit.function.Logger
    assert flowkit.client.Restack is flowkit.Client


def test_client_methods_have_restack_names():
    for name in (
        "connect",
        "create_client",
        "create_service",
        "start_service",
        "schedule_workflow",
        "schedule_agent",
        "get_workflow_handle",
        "get_workflow_result",
        "get_agent_handle",
        "get_agent_result",
        "get_agent_state",
        "send_agent_event",
        "get_connection_options",
        "start_workflow",
        "send_event",
        "service",
        "run_services",
    ):
        assert callable(getattr(flowkit.Client, name)), name


def test_top_level_exports():
    assert {"Client", "FlowkitError", "Service", "__version__"} <= set(flowkit.__all__)
