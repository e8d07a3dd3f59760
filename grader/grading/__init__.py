"""The trusted grading side: the runner that starts one worker per exercise, the worker that runs an
exercise's checks under pytest, the plugin that turns each check's outcome into a result, and the
clean-up that leaves no process behind."""
