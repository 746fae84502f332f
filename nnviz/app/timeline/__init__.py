"""The window's side of the training timeline (issue 20): the run list, races, scrubbing,
branching and sharing. The Qt-free model is :mod:`nnviz.timeline`; the session's runs are
:class:`nnviz.app.runs.RunList` (``AppModel.runs``)."""
