"""Many recordings into one store: the driver, its executors (local processes, Ray) and the
worker function they share.

See :mod:`talkover.batch.runner` for the flow and docs/batch.md for the command.
"""

from talkover.batch.executor import Executor, LocalExecutor
from talkover.batch.inputs import Request, find_requests, kind_of
from talkover.batch.jobs import (
    AnalysisOptions,
    Job,
    JobProgress,
    JobResult,
    JobRetried,
    JobStarted,
    Update,
)
from talkover.batch.runner import Action, Plan, Planned, Runner
from talkover.batch.worker import Models, run_job

__all__ = [
    "Runner",
    "Plan",
    "Planned",
    "Action",
    "Executor",
    "LocalExecutor",
    "RayExecutor",
    "Request",
    "find_requests",
    "kind_of",
    "AnalysisOptions",
    "Job",
    "JobStarted",
    "JobProgress",
    "JobRetried",
    "JobResult",
    "Update",
    "Models",
    "run_job",
]


def __getattr__(name: str):  # noqa: ANN202 - RayExecutor imports ray only when asked for
    if name == "RayExecutor":
        from talkover.batch.ray_executor import RayExecutor

        return RayExecutor
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
