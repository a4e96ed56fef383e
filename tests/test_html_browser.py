"""lab4.html and evidence.html as a reader sees them: headless Chromium, no network, scripts run,
then the rendered DOM is checked.

The committed notebook is exported the way `make html` does it (export/jupyter_nbconvert_config.py)
into a temporary folder. A copy gets a small probe script that waits for MathJax, clicks the
animation's Play button and writes what it measured into the page; Chromium dumps the DOM and the
test reads it back. A screenshot of the top of each page goes to screenshots/ (git-ignored), with
the numbers in
screenshots/<name>_browser_probe.json.

Skipped, with the reason, when Chromium is not installed (Debian: apt-get install chromium).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from html import unescape
from pathlib import Path

import pytest
from exporting import export_html

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "screenshots"
CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)),
    None,
)
# CI (.ci/run) installs Chromium and sets LAB4_REQUIRE_BROWSER=1, so there a missing browser fails
# instead of skipping.
REQUIRED = os.environ.get("LAB4_REQUIRE_BROWSER") == "1"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not REQUIRED,
    reason="Chromium not found: apt-get install chromium (Debian) to run the browser test",
)

OFFLINE = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    # the network is unreachable: every host name fails to resolve, and any request is sent to a
    # closed port
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://127.0.0.1:9",
    "--hide-scrollbars",
]
BUDGET_MS = "120000"  # virtual time for scripts (MathJax, the animation) before the DOM is read

PROBE = r"""
<script>
window.addEventListener('load', async () => {
  const out = {};
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  try {
    await MathJax.startup.promise;
    out.mathjax_version = MathJax.version;
  } catch (e) { out.mathjax_error = String(e); }
  out.math_elements = document.querySelectorAll('mjx-container').length;
  out.math_errors = document.querySelectorAll('mjx-merror, [data-mjx-error]').length;
  // raw TeX: in the whole visible text, and any \command left in rendered Markdown/LaTeX outside
  // code
  const text = document.body.innerText;
  out.raw_tex_page = (text.match(/\\begin\{|\$\\displaystyle/g) || []).length;
  let leftover = [];
  for (const el of document.querySelectorAll('.jp-RenderedMarkdown, .jp-RenderedLatex')) {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('code, pre, mjx-container, script, style').forEach(n => n.remove());
    leftover.push(...(copy.textContent.match(/\\[A-Za-z]+|\$\$?[^$\s][^$]*\$/g) || []));
  }
  out.raw_tex_rendered = leftover.length;
  out.raw_tex_examples = leftover.slice(0, 5);
  const logLine = new RegExp('^.*(E0000|W0000|I0000|absl::|cuInit|cuda_|oneDNN|'
    + 'This TensorFlow binary|NodeDef mentions).*$', 'gm');
  out.log_lines = (text.match(logLine) || []).length;
  out.stderr_outputs =
    document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').length;
  // every image decoded and described
  const imgs = [...document.images];
  out.images = imgs.length;
  out.images_decoded = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  out.images_without_alt = imgs.filter(i => !(i.getAttribute('alt') || '').trim()).length;
  out.images_default_alt =
    imgs.filter(i => i.alt === 'No description has been provided for this image').length;
  // output boxes that would show a vertical scroll bar (content taller than the box, overflow-y not
  // hidden); the test runs with --hide-scrollbars for clean screenshots, so they are counted here
  // instead
  const scrolling = [...document.querySelectorAll('.jp-OutputArea-output')].filter(el =>
    !['hidden', 'visible', 'clip'].includes(getComputedStyle(el).overflowY)
    && el.scrollHeight > el.clientHeight + 1);
  out.vertical_scrollbars = scrolling.length;
  out.vertical_scrollbar_examples =
    scrolling.slice(0, 3).map(el => el.className + ': ' + el.textContent.slice(0, 40));
  // the training animation: its controls, and whether Play advances the frame offline
  const anim = document.querySelector('.animation');
  out.animations = document.querySelectorAll('.animation').length;
  if (anim) {
    const slider = anim.querySelector('input[type=range]');
    out.animation_buttons = [...anim.querySelectorAll('button')].map(b => b.title);
    out.animation_frames = slider ? Number(slider.max) + 1 : 0;
    const img = anim.querySelector('img');
    const before = slider ? Number(slider.value) : -1;
    const play = [...anim.querySelectorAll('button')].find(b => b.title === 'Play');
    if (play) play.click();
    await sleep(1500);
    out.animation_frame_before = before;
    out.animation_frame_after_play = slider ? Number(slider.value) : -1;
    out.animation_image_decoded = !!img && img.naturalWidth > 0;
  }
  // nothing was fetched from the network (the page is one file)
  out.network_requests = performance.getEntriesByType('resource')
    .map(e => e.name)
    .filter(n => /^(https?|wss?):/.test(n));
  const pre = document.createElement('pre');
  pre.id = 'browser-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
// for the screenshot: the page from the cell before the animation on
if (location.hash === '#show-animation') {
  window.addEventListener('DOMContentLoaded', () => {
    const cell = document.querySelector('.animation')?.closest('.jp-Cell');
    const first = cell && cell.previousElementSibling ? cell.previousElementSibling : cell;
    for (let el = first && first.previousElementSibling; el; el = el.previousElementSibling) {
      el.style.display = 'none';
    }
  });
}
</script>
"""


def chromium(*args, timeout=240):
    assert CHROMIUM, "LAB4_REQUIRE_BROWSER=1 but no chromium on PATH (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as profile:
        run = subprocess.run(
            [CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", *args],
            check=False,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    return run


def measure(notebook, out):
    """Export ``notebook`` into ``out`` as `make html` does, load it offline in Chromium, return the
    probe's numbers (and write a screenshot of the top of the page)."""
    stem = Path(notebook).stem
    html = export_html(notebook, out, name=stem)
    probed = Path(out) / f"{stem}_probe.html"
    probed.write_text(
        html.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>", 1), encoding="utf-8"
    )
    dom = chromium(f"--virtual-time-budget={BUDGET_MS}", "--dump-dom", probed.as_uri()).stdout
    found = re.search(r'<pre id="browser-probe">(.*?)</pre>', dom, re.DOTALL)
    assert found, f"the probe did not report (Chromium wrote {len(dom)} characters of DOM)"
    numbers = json.loads(unescape(found.group(1)))
    numbers["html_bytes"] = html.stat().st_size
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / f"{stem}_browser_probe.json").write_text(
        json.dumps(numbers, indent=1) + "\n", encoding="utf-8"
    )
    chromium(
        f"--virtual-time-budget={BUDGET_MS}",
        "--window-size=1280,3000",
        f"--screenshot={SHOTS / f'{stem}_top.png'}",
        probed.as_uri(),
    )
    return numbers


# (notebook, at least this many figures, at least this many typeset formulas)
PAGES = {"lab4.ipynb": (12, 20), "evidence.ipynb": (5, 5)}


@pytest.fixture(scope="module", params=list(PAGES))
def probe(request, tmp_path_factory):
    numbers = measure(ROOT / request.param, tmp_path_factory.mktemp("html"))
    numbers["page"] = request.param
    print(f"\nbrowser probe of {request.param}:", json.dumps(numbers))
    return numbers


def test_math_is_rendered_offline(probe):
    assert probe.get("mathjax_version", "").startswith("3."), probe
    assert probe["raw_tex_page"] == 0 and probe["raw_tex_rendered"] == 0, probe["raw_tex_examples"]
    assert probe["math_elements"] >= PAGES[probe["page"]][1] and probe["math_errors"] == 0


def test_every_image_is_decoded_and_described(probe):
    assert probe["images"] >= PAGES[probe["page"]][0]
    assert probe["images_decoded"] == probe["images"]
    assert probe["images_without_alt"] == 0 and probe["images_default_alt"] == 0


def test_no_tensorflow_log_text(probe):
    assert probe["log_lines"] == 0 and probe["stderr_outputs"] == 0


def test_no_output_box_scrolls(probe):
    assert probe["vertical_scrollbars"] == 0, probe["vertical_scrollbar_examples"]


def test_page_is_one_file_that_needs_no_network(probe):
    assert probe["network_requests"] == []
    assert probe["html_bytes"] < 8 * 2**20
