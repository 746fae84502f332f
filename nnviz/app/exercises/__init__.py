"""The window's exercises (issue 21): the learner computes and predicts, nnviz checks.

The questions, their answers and the grading are :mod:`nnviz.exercises` (Qt-free); this package
asks them: :class:`~nnviz.app.exercises.questionbox.QuestionBox` (one question at a time, a
number field, Check, Show answer), Your turn in the step dock, the predictions before Apply
update and Play, the gate exercise, the seeds' exercises, and the scores per lesson.
"""
