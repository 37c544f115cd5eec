"""Built-in steps for workflows: people, models, HTTP, conditions, sagas, DAGs and timers.

Inside a workflow:

- :func:`form` / :func:`approval` wait for people (the workflow inherits
  :class:`HumanSteps`, which adds the ``submit``, ``approve`` and ``reject`` updates);
- :func:`when` / :func:`evaluate` decide on the run's data with a safe expression;
- :class:`Saga` runs compensations in reverse order when a later step fails;
- :func:`run_dag` runs steps with ``needs:`` concurrently, up to ``max_parallel``;
- :func:`sleep` / :func:`wait_until` are durable timers.

Outside workflows, :func:`describe_run` and :func:`step_events` read a run's status and
its step-level history (what ``flowkit status`` and ``flowkit history`` print), and
:func:`diagnose` says why an open run makes no progress (a failing workflow task, or no
worker on its task queue).

As functions (activities) a worker registers: :func:`ai_generate` (a model call whose
output is checked against a JSON Schema) and :func:`api_call` (HTTP through httpx).
"""

from flowkit.steps._ai import GenerateRequest, GenerateResult, MockOptions, Usage, ai_generate
from flowkit.steps._dag import DagError, DagResult, DagStep, StepStatus, check_dag, run_dag
from flowkit.steps._expr import (
    Expression,
    ExpressionError,
    UnsafeExpressionError,
    evaluate,
    when,
)
from flowkit.steps._fields import FieldType, Form, FormField, validate_submission
from flowkit.steps._http import ApiRequest, ApiResponse, api_call
from flowkit.steps._people import (
    ApprovalResult,
    Decision,
    HumanSteps,
    Submission,
    Waiting,
    approval,
    form,
)
from flowkit.steps._progress import TaskFailure, Unserved, diagnose
from flowkit.steps._runs import RunStatus, StepEvent, describe_run, step_events
from flowkit.steps._saga import CompensationReport, Saga, SagaFailed, describe_error
from flowkit.steps._sleep import sleep, wait_until
from flowkit.steps._template import TemplateProblem
from flowkit.steps._watch import follow_run, wait_for_result

__all__ = [
    "ApiRequest",
    "ApiResponse",
    "ApprovalResult",
    "CompensationReport",
    "DagError",
    "DagResult",
    "DagStep",
    "Decision",
    "Expression",
    "ExpressionError",
    "FieldType",
    "Form",
    "FormField",
    "GenerateRequest",
    "GenerateResult",
    "HumanSteps",
    "MockOptions",
    "RunStatus",
    "Saga",
    "SagaFailed",
    "StepEvent",
    "StepStatus",
    "Submission",
    "TaskFailure",
    "TemplateProblem",
    "UnsafeExpressionError",
    "Unserved",
    "Usage",
    "Waiting",
    "ai_generate",
    "api_call",
    "approval",
    "check_dag",
    "describe_error",
    "describe_run",
    "diagnose",
    "evaluate",
    "follow_run",
    "form",
    "run_dag",
    "sleep",
    "step_events",
    "validate_submission",
    "wait_for_result",
    "wait_until",
    "when",
]
