"""What the job notebooks call: the logic of each job, tested without a kernel."""
