//! Browser scenarios for what a person's own answers show: the self-assessment form starting from
//! their own ratings and saving only changes, "None" apart from "Not rated", a returning person
//! offered their record, the radar drawing a skill not assessed apart from a zero, and the
//! checklist that stands in for the radar where a role's skills carry no levels.

use anyhow::{Context, ensure};
use fantoccini::Locator;
use serde_json::Value;

use super::harness::*;

/// The label of one option (by the start of its text) in the fieldset of one skill.
fn option_label(skill: &str, option: &str) -> String {
    format!(
        "//fieldset[.//span[@class='skill-name' and normalize-space(.)={}]]//label[starts-with(normalize-space(.), {})]",
        xpath_literal(skill),
        xpath_literal(option)
    )
}

async fn pick(b: &Browser, skill: &str, option: &str) -> anyhow::Result<()> {
    let label = b
        .find(
            &format!("the option {option:?} of {skill:?}"),
            Locator::XPath(&option_label(skill, option)),
        )
        .await?;
    label.click().await?;
    let id = label
        .attr("for")
        .await?
        .with_context(|| format!("the label {option:?} of {skill:?} has no `for`"))?;
    ensure!(
        b.client.find(Locator::Id(&id)).await?.is_selected().await?,
        "clicking {option:?} of {skill:?} did not check #{id}"
    );
    Ok(())
}

async fn submit(b: &Browser) -> anyhow::Result<()> {
    b.find(
        "the ratings form's submit button",
        Locator::XPath(
            "//form[@method='post']//button[starts-with(normalize-space(.), 'Save my ratings')]",
        ),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

/// How many assessments a person has, through the JSON API.
async fn history_len(b: &Browser, person: &str) -> anyhow::Result<u64> {
    let value = b
        .client
        .execute_async(
            r"const done = arguments[arguments.length - 1];
              fetch('/api/v1/people/' + arguments[0]).then(r => r.json())
                  .then(p => done(p.history.length), e => done(-1));",
            vec![Value::from(person)],
        )
        .await?;
    value
        .as_u64()
        .with_context(|| format!("the history of {person}: {value}"))
}

/// A newcomer rates two skills, answers "None" for a third and leaves two not rated: the radar
/// breaks its line at the two not assessed, draws them hollow and says so in the legend, while
/// "None" is a filled marker at the centre; the table says which is which.
#[test]
fn browser_radar_draws_unassessed_apart_and_none_as_a_real_answer() {
    browser_test("assess-none", |b| async move {
        b.goto("/assess?role=odp:team-leader&grade=HEO").await?;
        b.by_label("Or, if you are new, your name")
            .await?
            .send_keys("Nell None")
            .await?;
        pick(&b, "Connections and communication", "Working").await?;
        pick(&b, "Operational leadership and management", "Practitioner").await?;
        pick(&b, "Adaptability to change", "None").await?;
        pick(&b, "Data and insight (core skill)", "Not rated").await?;
        let texts = b
            .js(r"return [...document.querySelectorAll('.option-held-none label, .option-none label')]
                      .slice(0, 2).map(l => l.innerText.replace(/\s+/g, ' ').trim());")
            .await?;
        ensure!(
            texts[0]
                .as_str()
                .is_some_and(|t| t.contains("I do not have this skill"))
                && texts[1]
                    .as_str()
                    .is_some_and(|t| t.contains("it stays unassessed")),
            "None and Not rated are not told apart: {texts}"
        );
        b.screenshot("assess-none-and-not-rated").await?;
        submit(&b).await?;

        b.wait_js(
            "the gap report of Nell None",
            r"return location.pathname === '/people/nell-none/gap' ? location.href : null;",
        )
        .await?;
        let radar = b
            .wait_js(
                "the radar",
                r"const svg = document.querySelector('svg.radar');
                  if (!svg) return null;
                  return {
                      unassessed: svg.querySelectorAll('circle.marker.unassessed').length,
                      held: svg.querySelectorAll('circle.marker.held').length,
                      closed: svg.querySelectorAll('polygon.series.held').length,
                      line: svg.querySelectorAll('path.series.held').length,
                      legend: svg.querySelector('.legend').textContent,
                      notes: [...svg.querySelectorAll('tspan')].filter(t =>
                          t.textContent === '(not assessed)').length,
                  };",
            )
            .await?;
        // Two not assessed (plus the legend's sample); three held markers (W, P and none).
        ensure!(
            radar["unassessed"] == 3 && radar["held"] == 3 + 1,
            "markers: {radar}"
        );
        ensure!(
            radar["closed"] == 0 && radar["line"] == 1,
            "the assessed line must break at the skills not assessed: {radar}"
        );
        ensure!(
            radar["notes"] == 2
                && radar["legend"]
                    .as_str()
                    .is_some_and(|t| t.contains("Not assessed: hollow dashed circle")),
            "the radar does not say which skills are not assessed: {radar}"
        );
        let rows = b
            .js(
                r"return [...document.querySelectorAll('table.gap-table tbody tr')].map(r =>
                      [...r.cells].map(c => c.innerText.trim()).join(' | '));",
            )
            .await?;
        let rows: Vec<&str> = rows
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        ensure!(
            rows.iter().any(|r| r.contains("Adaptability to change")
                && r.contains("None (not held)")
                && r.contains("below")),
            "the table does not show None as a held answer below the bar: {rows:?}"
        );
        ensure!(
            rows.iter().filter(|r| r.contains("– not assessed")).count() == 2,
            "the table does not say \"not assessed\" for the two left out: {rows:?}"
        );
        b.screenshot("gap-unassessed-apart").await?;
        let svg = b
            .find("the radar", Locator::Css("figure.radar-figure"))
            .await?;
        let png = svg.screenshot().await?;
        b.save_png("gap-unassessed-apart-radar", &png)
    });
}

/// Liam Doyle rated himself Working in data and insight; his manager says Awareness. The form
/// starts from his own Working with the manager's view beside it; saving it untouched stores
/// nothing and says so.
#[test]
fn browser_self_assessment_starts_from_own_ratings_and_saves_only_changes() {
    // Liam rates himself, so his own ratings are his self-ratings.
    browser_test_as(
        "assess-own",
        Some("liam"),
        |_| {},
        |b| async move {
            b.goto("/assess?role=odp:team-leader&person=liam-doyle")
                .await?;
            let data = b
            .wait_js(
                "the fieldset of Data and insight",
                r"const f = [...document.querySelectorAll('fieldset.rating')].find(f =>
                      f.querySelector('.skill-name').textContent.trim() === 'Data and insight (core skill)');
                  if (!f) return null;
                  const checked = f.querySelector('input:checked');
                  return {checked: checked ? checked.value : null,
                          record: f.querySelector('.on-record')?.innerText ?? ''};",
            )
            .await?;
            ensure!(
                data["checked"] == "W",
                "the form is not pre-filled with Liam's own rating (W): {data}"
            );
            ensure!(
                data["record"]
                    .as_str()
                    .is_some_and(|t| t.contains("Your last self-rating: Working (W)")
                        && t.contains("Your manager’s rating: Awareness (A)")),
                "the manager's rating is not shown beside his own: {data}"
            );
            b.screenshot("assess-own-ratings").await?;
            let fieldset = b
            .find(
                "the fieldset of Data and insight",
                Locator::XPath("//fieldset[.//span[@class='skill-name' and normalize-space(.)='Data and insight (core skill)']]"),
            )
            .await?;
            b.save_png("assess-own-ratings-data", &fieldset.screenshot().await?)?;

            let before = history_len(&b, "liam-doyle").await?;
            submit(&b).await?;
            let notice = b
                .wait_js(
                    "the notice that nothing was saved",
                    r"const n = document.querySelector('[role=status]');
                  return n ? n.innerText : null;",
                )
                .await?;
            ensure!(
                notice
                    .as_str()
                    .is_some_and(|t| t.contains("Nothing was saved")
                        && t.contains("same as your last self-assessment")),
                "no notice that the unchanged form stored nothing: {notice}"
            );
            let after = history_len(&b, "liam-doyle").await?;
            ensure!(
                after == before,
                "an unchanged form stored {} assessment(s)",
                after - before
            );
            b.screenshot("assess-unchanged-notice").await?;
            let notice = b.find("the notice", Locator::Css("[role=status]")).await?;
            b.save_png("assess-unchanged-notice-box", &notice.screenshot().await?)
        },
    );
}

/// A person rated against an ESCO occupation (skills without levels) sees a checklist in ESCO's
/// groups, held, not held or not assessed, and no radar.
#[test]
fn browser_gap_to_a_role_without_levels_is_a_checklist() {
    browser_test("gap-checklist", |b| async move {
        b.goto("/assess?role=esco-extract:ict-operations-manager&person=liam-doyle")
            .await?;
        pick(&b, "digital systems", "Held").await?;
        pick(&b, "operations management", "Not held").await?;
        submit(&b).await?;
        b.wait_js(
            "the gap report of Liam Doyle against ICT operations manager",
            r"return location.pathname === '/people/liam-doyle/gap'
                  && document.querySelector('h1')?.innerText.includes('ICT operations manager')
                  ? location.href : null;",
        )
        .await?;
        let page = b
            .wait_js(
                "the checklist",
                r"const c = document.querySelector('section.checklist');
                  if (!c) return null;
                  const item = label => [...c.querySelectorAll('li')]
                      .find(li => li.querySelector('a')?.textContent.trim() === label)?.innerText;
                  return {
                      radar: document.querySelectorAll('svg.radar').length,
                      groups: [...c.querySelectorAll('h3')].map(h => h.innerText.trim()),
                      items: c.querySelectorAll('li').length,
                      digital: item('digital systems'),
                      operations: item('operations management'),
                      innovation: item('innovation processes'),
                  };",
            )
            .await?;
        ensure!(page["radar"] == 0, "a radar is still drawn: {page}");
        ensure!(
            page["groups"]
                == serde_json::json!([
                    "Essential knowledge (1 of 3 held)",
                    "Essential skills and competences (0 of 15 held)",
                    "Optional knowledge (0 of 12 held)",
                    "Optional skills and competences (0 of 11 held)"
                ]),
            "the checklist is not grouped as ESCO groups the occupation: {page}"
        );
        ensure!(
            page["items"] == 41
                && page["digital"]
                    .as_str()
                    .is_some_and(|t| t.contains(": Held"))
                && page["operations"]
                    .as_str()
                    .is_some_and(|t| t.contains(": Not held"))
                && page["innovation"]
                    .as_str()
                    .is_some_and(|t| t.contains(": Not assessed")),
            "held, not held and not assessed are not each said: {page}"
        );
        b.screenshot("gap-checklist").await?;
        let checklist = b
            .find("the checklist", Locator::Css("section.checklist"))
            .await?;
        b.save_png("gap-checklist-section", &checklist.screenshot().await?)
    });
}

/// Someone typing the name of a person already stored is offered that person's record; "This
/// is me" saves the ratings there, and nobody new is added.
#[test]
fn browser_a_returning_person_is_offered_their_record() {
    browser_test("assess-returning", |b| async move {
        b.goto("/assess?role=odp:team-leader&grade=HEO").await?;
        b.by_label("Or, if you are new, your name")
            .await?
            .send_keys("Liam Doyle")
            .await?;
        pick(&b, "Data and insight (core skill)", "Practitioner").await?;
        let before = history_len(&b, "liam-doyle").await?;
        submit(&b).await?;
        let offer = b
            .wait_js(
                "the offer of the person already stored",
                r"const n = document.querySelector('.namesakes');
                  return n ? n.innerText : null;",
            )
            .await?;
        ensure!(
            offer
                .as_str()
                .is_some_and(|t| t.contains("Liam Doyle (Team Leader, HEO)")
                    && t.contains("This is me")
                    && t.contains("I am a different person called Liam Doyle")),
            "the existing Liam Doyle is not offered: {offer}"
        );
        b.screenshot("assess-returning-offer").await?;
        let who = b
            .find("the person fieldset", Locator::Css("fieldset.who"))
            .await?;
        b.save_png("assess-returning-offer-box", &who.screenshot().await?)?;
        b.find(
            "the \"This is me\" button",
            Locator::XPath("//button[@name='use_person' and @value='liam-doyle']"),
        )
        .await?
        .click()
        .await?;
        b.wait_js(
            "Liam Doyle's gap report",
            r"return location.pathname === '/people/liam-doyle/gap' ? location.href : null;",
        )
        .await?;
        let after = history_len(&b, "liam-doyle").await?;
        ensure!(
            after == before + 1,
            "the rating did not go to Liam's record ({before} -> {after})"
        );
        let second = b
            .client
            .execute_async(
                r"const done = arguments[arguments.length - 1];
                  fetch('/api/v1/people').then(r => r.json())
                      .then(p => done(p.filter(x => x.name === 'Liam Doyle').length));",
                Vec::new(),
            )
            .await?;
        ensure!(second == 1, "a second Liam Doyle was added: {second}");
        Ok(())
    });
}

/// ESCO's ICT operations manager, 38 skills without levels.
const ESCO_ICT_OPERATIONS_MANAGER: &str =
    "esco:http://data.europa.eu/esco/occupation/f0ca39a8-1e30-487c-95f9-ef2d5e734adc";

/// Imports the ESCO release in `ROLEMAP_ESCO_DIR` into the scenario's database.
fn import_esco(esco: &std::path::Path, dir: &std::path::Path) {
    let mut zips: Vec<std::path::PathBuf> = std::fs::read_dir(esco)
        .expect("read ROLEMAP_ESCO_DIR")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "zip"))
        .collect();
    zips.sort();
    let db = dir.join("b.db");
    for args in [
        vec!["init".into(), "--demo".into()],
        [
            vec!["import".into(), "esco".into()],
            zips.iter().map(|p| p.display().to_string()).collect(),
            vec!["--skip-dangling".into()],
        ]
        .concat(),
    ] {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_rolemap"))
            .arg("--db")
            .arg(&db)
            .args(&args)
            .output()
            .expect("run rolemap");
        assert!(
            run.status.success(),
            "rolemap {args:?}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
    }
}

/// All of ESCO (when `ROLEMAP_ESCO_DIR` names the folder of its zips): a gap to a real ESCO
/// occupation of 38 skills is a checklist in its four groups, not a radar of 38 numbered spokes.
#[test]
fn browser_gap_to_a_full_esco_occupation_is_a_checklist() {
    let Some(esco) = std::env::var_os("ROLEMAP_ESCO_DIR") else {
        println!("skipped: ROLEMAP_ESCO_DIR not set");
        return;
    };
    let esco = std::path::PathBuf::from(esco);
    browser_test_on(
        "gap-checklist-esco",
        |dir| import_esco(&esco, dir),
        |b| async move {
            let target: String = ESCO_ICT_OPERATIONS_MANAGER
                .bytes()
                .map(|c| match c {
                    b':' | b'/' => format!("%{c:02X}"),
                    _ => char::from(c).to_string(),
                })
                .collect();
            b.goto(&format!("/people/liam-doyle/gap?target={target}"))
                .await?;
            let page = b
                .wait_js(
                    "the checklist",
                    r"const c = document.querySelector('section.checklist');
                      if (!c) return null;
                      return {
                          radar: document.querySelectorAll('svg.radar').length,
                          groups: [...c.querySelectorAll('h3')].map(h => h.innerText.trim()),
                          items: c.querySelectorAll('li').length,
                          unassessed: c.querySelectorAll('li.check-unassessed').length,
                      };",
                )
                .await?;
            ensure!(page["radar"] == 0, "a radar is still drawn: {page}");
            ensure!(
                page["items"] == 38 && page["unassessed"] == 38,
                "the checklist should list the 38 skills, none assessed: {page}"
            );
            ensure!(
                page["groups"].as_array().is_some_and(|g| g.len() == 4
                    && g[0]
                        .as_str()
                        .is_some_and(|t| t.starts_with("Essential knowledge"))),
                "not ESCO's four groups: {page}"
            );
            b.screenshot("gap-checklist-esco").await?;
            let checklist = b
                .find("the checklist", Locator::Css("section.checklist"))
                .await?;
            b.save_png("gap-checklist-esco-section", &checklist.screenshot().await?)
        },
    );
}
