"""Running an audit's files on an existing Dask cluster (``--scheduler``): the workers lint,
the results come back to the coordinating process, which alone writes the database."""

from __future__ import annotations


def run_dask(tasks: list[str], scheduler: str, on_result, job) -> None:
    """Run ``job`` on every path on the cluster at ``scheduler``; ``on_result`` here for each
    outcome, a failed one when the worker died or the job raised."""
    from dask.distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = {client.submit(job, path, pure=False): path for path in tasks}
        for future in as_completed(futures):
            try:
                on_result(future.result())
            except Exception as exc:  # the worker died or the job raised
                on_result(
                    {
                        "path": futures[future],
                        "status": "failed",
                        "reason": f"Dask 任务失败：{type(exc).__name__}: {exc}",
                    }
                )
