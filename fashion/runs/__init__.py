"""Training runs in worker processes: the protocol, the worker, jobs and their queue."""
