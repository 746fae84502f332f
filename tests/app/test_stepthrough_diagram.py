"""The network diagram's step-through display (stock items only), without the window."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app import theme
from nnviz.app.diagram import NetworkDiagram
from nnviz.app.diagram.stepdisplay import step_edges, step_neuron_ids
from nnviz.app.stepthrough import StepSession
from nnviz.lessons.catalog import get_lesson
from nnviz.lessons.demos import run_demo


@pytest.fixture
def stepped(qtbot):
    rec = run_demo(get_lesson("network-2-2-1"))["record"]
    session = StepSession()
    session.set_record(rec, select=(1, 0))
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(700, 500)
    d.show()
    qtbot.waitExposed(d)
    d.set_network([2, 2, 1], ["sigmoid", "sigmoid"])

    def show(k):
        session.set_index(k)
        state = session.display()
        state["W_before"] = [s.params["W"] for s in rec.layers]
        state["b_before"] = [s.params["b"] for s in rec.layers]
        d.show_step(state)
        return state
    return d, session, rec, show


def test_backward_colours_neurons_by_delta_and_edges_by_the_gradient(stepped):
    d, session, rec, show = stepped
    k = next(i for i, p in enumerate(session.steps) if p.phase == "backward" and p.layer == 1)
    state = show(k)
    ids = step_neuron_ids(d.network_layout, ["sigmoid", "sigmoid"], state)
    out = d.network_layout.spot_slices[1]
    delta = rec.rec("backward", 1)["delta"][0, 0]
    assert delta < 0 and ids[out][0] == theme.DIVERGING.index(np.array([-1.0]))[0]   # δ / max|δ|
    hidden = d.network_layout.spot_slices[0]
    assert np.all(ids[hidden] == theme.N_STEPS // 2)         # not reached by the backward pass yet
    W, _ = step_edges(state, [(s.params["W"], s.params["b"]) for s in rec.layers])[1]
    np.testing.assert_array_equal(W, rec.rec("backward", 1)["dW"])


def test_the_update_tooltip_says_old_and_new_and_a_click_selects(qtbot, stepped):
    d, session, rec, show = stepped
    show(len(session) - 1)
    tip = d.tooltip_at(d.view.mapToScene(d.edge_view_pos(1, 1, 0)))   # what hovering that edge says
    old, new = rec.layers[1].params["W"][1, 0], rec.rec("update", 1)["W"][1, 0]
    assert f"{float(old)!r} → {float(new)!r}" in tip
    with qtbot.waitSignal(d.stepSelectRequested) as blocker:
        qtbot.mouseClick(d.view.viewport(), Qt.LeftButton, pos=d.neuron_view_pos(0, 1))
    assert blocker.args == [0, 1]
    assert not d.editor.isVisible()
    d.show_step(None)
    assert not d.in_step()


def test_a_layer_nothing_has_reached_draws_no_edges(stepped):
    d, session, rec, show = stepped
    show(0)                                                  # forward, layer 0
    i, j = d.drawn_edges(1)
    assert i.size == 0 and d.drawn_edges(0)[0].size == 4
    k = next(i for i, p in enumerate(session.steps) if p.phase == "backward" and p.layer == 1)
    show(k)                                                  # δ has not reached layer 0 yet
    assert d.drawn_edges(0)[0].size == 0 and d.drawn_edges(1)[0].size == 2
