"""The whole app in a real Chromium: every page in both languages, and switching the
active model from the sidebar. Screenshots of every page go to test-artifacts/."""
import pytest
from conftest import ARTIFACTS, assert_no_exception, wait_for_app

from fashion.i18n import t

PAGES = {"": "app.title", "dataset": "nav.dataset", "evaluate": "nav.evaluate", "train": "train.title",
         "photo": "nav.photo", "explain": "nav.explain"}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_page_opens_in_both_languages(app_server, browser, lang):
    """The browser's locale picks the language; each page shows its title and no exception."""
    context = browser.new_context(locale="es-ES" if lang == "es" else "en-US", viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for path, title_key in PAGES.items():
            pg.goto(f"{app_server.url}/{path}")
            wait_for_app(pg, timeout=180_000)
            pg.locator("h1").filter(has_text=t(title_key, lang)).first.wait_for()
            # the sidebar navigation is translated too
            pg.locator('[data-testid="stSidebarNav"]').get_by_text(t("nav.evaluate", lang)).first.wait_for()
            assert_no_exception(pg)
            pg.screenshot(path=str(ARTIFACTS / f"page-{path or 'home'}-{lang}.png"), full_page=True)
    finally:
        context.close()


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
