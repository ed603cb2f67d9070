"""The Job controller (JOB-1..JOB-16); the job helper replaces this placeholder."""
