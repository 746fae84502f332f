"""Exercises: the learner computes and predicts, nnviz checks against the trace (Qt-free).

* :func:`questions_for` turns a traced step (:func:`nnviz.lessons.record_step`) into
  :class:`Question` objects: z, a, the loss, ∂L/∂a, δ, ∂L/∂W, ∂L/∂b, W′ and b′ of the
  selected neuron and weight, each with its hidden expected value and filled-in formula;
* :func:`grade` checks a typed answer to the shown number of significant digits and, when it
  is wrong, names the mistake where it can tell (:mod:`nnviz.exercises.mistakes`);
* :class:`GateExercise` (AND, OR, NAND, and XOR that no line can do), the prediction helpers
  (:mod:`nnviz.exercises.predict`), the seeds' question sets (:mod:`nnviz.exercises.seeds`)
  and a :class:`ScoreBook` per lesson.

``nnviz exercise`` (:mod:`nnviz.exercises.cli`) asks and grades from the terminal.
Dependency direction: app → exercises → lessons → (data, core).
"""
from nnviz.exercises.gates import GateExercise, gate_exercises
from nnviz.exercises.grading import DEFAULT_DIGITS, Grade, grade, parse_answer
from nnviz.exercises.predict import Prediction, boundary_shape, largest_change, loss_goes_down, loss_went_down
from nnviz.exercises.questions import QUANTITIES, Question, questions_for
from nnviz.exercises.score import Score, ScoreBook

__all__ = ["DEFAULT_DIGITS", "GateExercise", "Grade", "Prediction", "QUANTITIES", "Question", "Score",
           "ScoreBook", "boundary_shape", "gate_exercises", "grade", "largest_change", "loss_goes_down",
           "loss_went_down", "parse_answer", "questions_for"]
