"""The whole app in a real Chromium: switching the active model from the sidebar (every
page in both languages: tests/test_browser_offline.py)."""
from conftest import assert_no_exception, wait_for_app

from fashion.i18n import t


def test_switching_the_active_model_holds_across_pages(app_server, page):
    """A model trained by a user appears in the sidebar; choosing it changes every page."""
    from fashion.model import registry
    from fashion.model.architectures import seed_cnn
    model = seed_cnn()
    card = {"architecture": "seed_cnn", "test_metrics": {"accuracy": 0.1234, "loss": 2.3}, "params": model.count_params(),
            "config": {"architecture": "seed_cnn"}, "history": {}}
    registry.save_model(model, card, "untrained-demo", folder=app_server.home / "models")
    page.goto(app_server.url)
    wait_for_app(page)
    picker = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(has_text=t("sidebar.model", "en"))
    picker.click()
    page.get_by_role("option").filter(has_text="untrained-demo").click()
    wait_for_app(page)
    page.get_by_text("12.34 %").first.wait_for()          # home shows the chosen model's card
    page.locator('[data-testid="stSidebarNav"]').get_by_text(t("nav.evaluate", "en")).click()
    wait_for_app(page, timeout=180_000)
    page.get_by_text("untrained-demo").first.wait_for()   # and the Evaluate page judges that model
    assert_no_exception(page)
