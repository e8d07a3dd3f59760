"""The teacher's side: the gradebook of a whole class, and the Gradescope autograder."""
