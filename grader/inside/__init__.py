"""What runs inside the learner's processes: probes that record each call, the registry of started
processes, the rendezvous, the whole-program harness and the grader's own tasks. Children import
these, so they import little."""
