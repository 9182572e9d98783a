"""Jobs are notebooks: the papermill runner, lease locks, manifests, verify, the scheduler,
health and alerts. Operating them: docs/RUNBOOK.md. Entry points: ``runner.run_job`` /
``runner.start_run``, ``verify.verify_run``, ``health.job_health``, ``queries``, ``services``,
``alerts``, ``scheduler.Scheduler``."""
