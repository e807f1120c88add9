"""Email alerts: sign-up with double opt-in, the job queue's tasks and the delivery backends."""
