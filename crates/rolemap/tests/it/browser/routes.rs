//! Browser scenarios for routes and the progression map: the map page drawn in Chromium, with
//! every box, title and line measured as the browser lays them out (no line enters a box, no
//! text leaves its box or overlaps other text, heavier lines for cheaper routes), on the demo
//! framework and on ESCO's longest titles; and the routes page's explained steps.

use std::fs;
use std::path::Path;

use anyhow::{Context, ensure};
use fantoccini::Locator;
use serde_json::Value;

use super::harness::*;

/// Measures the progression map on the page and returns what is wrong with it (an empty list
/// when nothing is), with the number of boxes and lines measured.
const MEASURE: &str = r"
const svg = document.querySelector('svg.progression-map');
if (!svg) return null;
const problems = [];
const rects = [...svg.querySelectorAll('g.node')].map(g => {
  const r = g.querySelector('rect').getBBox();
  return { g, x: r.x, y: r.y, w: r.width, h: r.height,
           name: g.querySelector('title').textContent };
});
// Every text inside its box (the box's title and figures), or outside every box (bands, legend).
const texts = [...svg.querySelectorAll('text')].map(t => {
  const b = t.getBBox();
  return { t, x: b.x, y: b.y, w: b.width, h: b.height, text: t.textContent };
});
const width = svg.viewBox.baseVal.width, height = svg.viewBox.baseVal.height;
for (const t of texts) {
  if (t.x < 0 || t.y < 0 || t.x + t.w > width + 0.5 || t.y + t.h > height + 0.5)
    problems.push(`text cut off by the drawing: ${t.text}`);
  const home = rects.find(r => r.g.contains(t.t));
  if (home) {
    if (t.x < home.x + 1 || t.x + t.w > home.x + home.w - 1 || t.y < home.y || t.y + t.h > home.y + home.h)
      problems.push(`text leaves its box: ${t.text} in ${home.name}`);
  } else if (rects.some(r => t.x < r.x + r.w && r.x < t.x + t.w && t.y < r.y + r.h && r.y < t.y + t.h)) {
    problems.push(`text over a box: ${t.text}`);
  }
  if (t.text.includes('\u2026')) problems.push(`text cut with an ellipsis: ${t.text}`);
}
for (let i = 0; i < texts.length; i++)
  for (let j = i + 1; j < texts.length; j++) {
    const a = texts[i], b = texts[j];
    if (a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5)
      problems.push(`texts overlap: ${a.text} / ${b.text}`);
  }
// No segment of any line enters a box (its edges may touch the two boxes it joins).
const enters = (p, q, r) => {
  const x0 = r.x + 0.5, y0 = r.y + 0.5, x1 = r.x + r.w - 0.5, y1 = r.y + r.h - 0.5;
  const dx = q.x - p.x, dy = q.y - p.y;
  let t0 = 0, t1 = 1;
  for (const [a, b] of [[-dx, p.x - x0], [dx, x1 - p.x], [-dy, p.y - y0], [dy, y1 - p.y]]) {
    if (a === 0) { if (b < 0) return false; }
    else if (a < 0) t0 = Math.max(t0, b / a); else t1 = Math.min(t1, b / a);
  }
  return t0 < t1;
};
const lines = [...svg.querySelectorAll('polyline')].map(l => ({
  points: [...l.points].map(p => ({ x: p.x, y: p.y })),
  weight: parseFloat(l.getAttribute('stroke-width')),
  name: l.querySelector('title').textContent,
}));
for (const l of lines)
  for (let k = 1; k < l.points.length; k++)
    for (const r of rects)
      if (enters(l.points[k - 1], l.points[k], r))
        problems.push(`line ${l.name} crosses box ${r.name}`);
return { problems, boxes: rects.length, lines: lines.length,
         weights: Object.fromEntries(lines.map(l => [l.name.split(':')[0], l.weight])) };
";

/// The progression map page of the demo's Operations Manager, reached from the role page: every
/// line off the boxes, every title whole, and the step up to Operations Director heavier than the
/// similar step down to Team Leader.
#[test]
fn browser_progression_map_is_laid_out_cleanly() {
    browser_test("progression-map", |b| async move {
        b.goto("/roles/odp:operations-manager").await?;
        b.find(
            "the role page's link \"Progression map\"",
            Locator::LinkText("Progression map"),
        )
        .await?
        .click()
        .await?;
        let measured = b
            .wait_js("the progression map drawn on its page", MEASURE)
            .await?;
        check(&measured, 16)?;
        let weights = &measured["weights"];
        let weight = |to: &str| {
            weights[format!("Operations Manager to {to}")]
                .as_f64()
                .with_context(|| format!("no line to {to}: {weights}"))
        };
        ensure!(
            weight("Operations Director")? > weight("Team Leader")? + 1.0,
            "the step up to Operations Director should weigh more than the step down to Team \
             Leader: {weights}"
        );
        let table = b
            .js("return document.querySelector('main table').innerText;")
            .await?;
        ensure!(
            table
                .as_str()
                .is_some_and(|t| t.contains("Operations Director") && t.contains("in 1 step")),
            "the table beside the map lacks the route to Operations Director:\n{table}"
        );
        b.screenshot("progression-map").await
    });
}

/// ESCO's longest titles: wrapped whole into their boxes, rows as tall as they need.
#[test]
fn browser_progression_map_keeps_long_titles_whole() {
    browser_test_on(
        "progression-map-long-titles",
        import_long_titles,
        |b| async move {
            b.goto("/roles/long:r0/progression").await?;
            let measured = b
                .wait_js("the progression map drawn on its page", MEASURE)
                .await?;
            check(&measured, LONG_TITLES.len())?;
            let titles = b
            .js("return [...document.querySelectorAll('svg.progression-map g.node')]
                   .map(g => [...g.querySelectorAll('text.title')].map(t => t.textContent).join(' '));")
            .await?;
            for title in LONG_TITLES {
                ensure!(
                    titles
                        .as_array()
                        .is_some_and(|all| all.iter().any(|t| t.as_str() == Some(title))),
                    "the map does not show \"{title}\" whole: {titles}"
                );
            }
            b.screenshot("progression-map-long-titles").await
        },
    );
}

/// The routes page for a person: the Operations Director step says it shares no skills with the
/// Operations Manager, and lists the capability "Data and insight" apart from the skills to gain.
#[test]
fn browser_routes_page_explains_steps_in_their_numbers() {
    browser_test("routes-page", |b| async move {
        b.goto("/routes?person=aisha-rahman&to=odp%3Aoperations-director")
            .await?;
        let text = b
            .wait_js(
                "the routes page with its first route",
                r"const r = document.querySelector('section.route');
                  return r ? r.innerText : null;",
            )
            .await?;
        let text = text.as_str().unwrap_or_default().to_owned();
        ensure!(
            text.contains("no skills in common"),
            "the Operations Director step should say it shares no skills:\n{text}"
        );
        ensure!(
            text.contains("Same name, another skill (1): Data and insight (the capability"),
            "the capability \"Data and insight\" should be listed apart:\n{text}"
        );
        ensure!(
            !text.contains("To gain (7)"),
            "\"Data and insight\" is still among the skills to gain:\n{text}"
        );
        b.screenshot("routes-person").await
    });
}

fn check(measured: &Value, boxes: usize) -> anyhow::Result<()> {
    let problems = measured["problems"].as_array().cloned().unwrap_or_default();
    ensure!(
        problems.is_empty(),
        "the progression map has {} problems:\n{}",
        problems.len(),
        problems
            .iter()
            .map(|p| p.as_str().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    );
    ensure!(
        measured["boxes"].as_u64() == Some(boxes as u64)
            && measured["lines"].as_u64() == Some(boxes as u64 - 1),
        "expected {boxes} boxes and {} lines: {measured}",
        boxes - 1
    );
    Ok(())
}

/// ESCO v1.1.1 occupations: six of its longest preferred labels (78-80 characters) and four more.
const LONG_TITLES: [&str; 10] = [
    "import export specialist in textiles and textile semi-finished and raw materials",
    "heating, ventilation, air conditioning and refrigeration engineering technician",
    "import export specialist in machinery, industrial equipment, ships and aircraft",
    "import export manager in computers, computer peripheral equipment and software",
    "rental service representative in other machinery, equipment and tangible goods",
    "import export specialist in agricultural raw materials, seeds and animal feeds",
    "import export manager in machinery, industrial equipment, ships and aircraft",
    "wholesale merchant in hides, skins and leather products",
    "chief executive officer",
    "ICT operations manager",
];

/// A framework of the long titles, all requiring the same skills, at three levels, imported
/// into the test's database before the server starts.
fn import_long_titles(dir: &Path) {
    let mut toml = String::from(
        "[framework]\nkey = \"long\"\nname = \"Long titles\"\nversion = \"1\"\n\
         source = \"ESCO v1.1.1 titles, for the tests\"\nlicence = \"Test licence\"\n\
         attribution = \"Titles from ESCO v1.1.1\"\n\n\
         [[skills]]\nkey = \"trade\"\nlabel = \"International trade\"\ndescription = \"Trade.\"\nkind = \"skill\"\n\n\
         [[skills]]\nkey = \"lead\"\nlabel = \"Lead teams\"\ndescription = \"Leading.\"\nkind = \"skill\"\n\n",
    );
    for (i, title) in LONG_TITLES.iter().enumerate() {
        toml.push_str(&format!(
            "[[roles]]\nkey = \"r{i}\"\ntitle = \"{title}\"\nlevel = {}\n\n\
             [[roles.requirements]]\nskill = \"trade\"\nimportance = \"essential\"\n\n\
             [[roles.requirements]]\nskill = \"lead\"\nimportance = \"{}\"\n\n",
            [5, 7, 3][i % 3],
            if i % 2 == 0 { "essential" } else { "optional" }
        ));
    }
    let file = dir.join("long.toml");
    fs::write(&file, toml).expect("write the long-titles framework");
    let file = file.to_str().expect("a UTF-8 path");
    crate::ok(&dir.join("b.db"), &["import", "framework", file]);
}
