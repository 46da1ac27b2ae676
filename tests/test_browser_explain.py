"""Real browser: on the "Inside the CNN" page, click a point of the embedding map and see
that test image, its prediction and its probabilities, with the point highlighted."""
from __future__ import annotations

import keras
from conftest import assert_no_exception, wait_for_app

from fashion.model import architectures as models
from fashion.model import registry

# The map's Plotly figure: the screen position of the most isolated class point inside the
# viewport (so the click cannot land on a neighbour), with its test index and hover text.
FIND_POINT = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.data && g.data.length >= 10);
  if (!gd) return null;
  const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
  const pts = [];
  gd.data.slice(0, 10).forEach(t => t.x.forEach((x, i) => pts.push({
    x: box.left + xa._offset + xa.l2p(x), y: box.top + ya._offset + ya.l2p(t.y[i]),
    index: t.customdata[i], text: t.text[i]})));
  const visible = pts.filter(p => p.y > 40 && p.y < window.innerHeight - 40 && p.x > 0 && p.x < window.innerWidth);
  let best = null, gap = -1;
  for (const p of visible) {
    let d = Infinity;
    for (const q of pts) if (q !== p) d = Math.min(d, Math.hypot(p.x - q.x, p.y - q.y));
    if (d > gap) { gap = d; best = p; }
  }
  return best && {...best, gap};
}"""

STAR_INDEX = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.data && g.data.length >= 10);
  const star = gd && gd.data.find(t => t.marker && t.marker.symbol === 'star');
  return star ? star.customdata[0] : null;
}"""


def test_clicking_a_point_on_the_embedding_map_shows_that_image(app_server, page):
    if not registry.DEFAULT_MODEL.exists():     # a model to look at, if none is shipped
        keras.utils.set_random_seed(0)
        registry.save_model(models.build("custom", conv_blocks=2, filters=8, dense_units=16),
                            {"test_metrics": {}}, "browser-tiny", app_server.home / "models")

    page.goto(app_server.url + "/explain")
    wait_for_app(page, timeout=180_000)
    page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                           ".some(g => g.data && g.data.length >= 10 && g._fullLayout && g._fullLayout.xaxis)",
                           timeout=180_000)
    assert_no_exception(page)
    page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot')]
                      .find(g => g.data.length >= 10).scrollIntoView({block: 'center', behavior: 'instant'})""")

    point = page.evaluate(FIND_POINT)
    assert point and point["gap"] > 6, point    # a point with room around it
    index = int(point["index"])
    predicted = point["text"].split("predicted: ")[1]
    page.mouse.click(point["x"], point["y"])

    # The click picks that test image for the whole page: the number box, both image
    # cards (top and beside the map) and the highlighted star all follow it.
    page.wait_for_function(
        f"() => [...document.querySelectorAll('[data-testid=\"stNumberInput\"] input')].some(i => i.value === '{index}')",
        timeout=120_000)
    page.wait_for_function(f"() => ({STAR_INDEX})() === {index}", timeout=120_000)
    wait_for_app(page, timeout=120_000)
    assert_no_exception(page)

    captions = page.get_by_text(f"Test image #{index} · true class:")
    assert captions.count() == 2
    assert page.get_by_text(f"Prediction: {predicted} (").count() == 2
    detail = page.locator('[data-testid="stColumn"]').filter(has=page.get_by_text("Chosen image", exact=True)).last
    assert detail.locator('[data-testid="stImage"] img').count() == 1          # the image itself
    assert detail.locator(".js-plotly-plot .bars path").count() >= 10          # its 10 probabilities
