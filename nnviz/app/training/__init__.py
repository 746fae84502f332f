"""The training thread: the worker that owns the experiment and trains, its controller and commands,
the snapshots it sends the window, and the thread that loads data."""
