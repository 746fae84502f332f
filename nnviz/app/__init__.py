"""The Qt window. Widgets draw state; the core (on a worker thread) computes."""
