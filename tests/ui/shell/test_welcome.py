"""The welcome page: the Open button and the recent files, each opening through one signal."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from policyreader.ui.shell.welcome import RECENT_SHOWN, WelcomePage


def test_recent_files_are_buttons_that_ask_to_open_them(qtbot: QtBot) -> None:
    page = WelcomePage()
    qtbot.addWidget(page)
    page.show()
    paths = [f"/policies/p{n}.md" for n in range(RECENT_SHOWN + 2)]
    page.set_recent(paths)
    buttons = page.recent_buttons
    assert [b.text() for b in buttons] == [f"p{n}.md" for n in range(RECENT_SHOWN)]
    assert page.recent_label.isVisible()
    with qtbot.waitSignal(page.open_requested) as opening:
        buttons[1].click()
    assert opening.args == [["/policies/p1.md"]]
    with qtbot.waitSignal(page.choose_requested):
        page.open_button.click()
    page.set_recent([])
    assert page.recent_buttons == [] and not page.recent_label.isVisible()
