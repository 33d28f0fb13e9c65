"""Training: a worked case as an exercise for junior experts, graded, with clues, sheets and a
class report."""
