//! Browser scenarios for the pages of what was command-line only: a pasted CV with its skills
//! marked and its gap to a role, a job title coded, two crosswalk suggestions accepted and then
//! counted by similar roles across frameworks, the progression map clicked through and
//! filtered, a manager's rating form reached from a report's page, and ESCO's trees.

use std::path::Path;

use anyhow::{Context, ensure};
use fantoccini::Locator;
use serde_json::json;

use super::harness::*;

const CV: &str = "Operations lead, 2019 to date.\n\
    I manage budgets of four million pounds, manage staff across two sites and perform project \
    management for our digital systems. I track key performance indicators every week.\n\
    No experience of outsourcing strategy.";

/// Clicks the button with this text inside the form posting or getting to `action`.
async fn press(b: &Browser, action: &str, text: &str) -> anyhow::Result<()> {
    b.find(
        &format!("the button {text:?}"),
        Locator::XPath(&format!(
            "//form[@action='{action}']//button[normalize-space(.)={}]",
            xpath_literal(text)
        )),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

#[test]
fn browser_a_pasted_cv_shows_its_skills_marked_and_its_gap() {
    browser_test("text-cv", |b| async move {
        b.goto("/").await?;
        b.find(
            "the header's link \"Text and titles\"",
            Locator::LinkText("Text and titles"),
        )
        .await?
        .click()
        .await?;
        b.wait_js(
            "the text page",
            "return location.pathname === '/text' && document.getElementById('text') ? true : null;",
        )
        .await?;
        // Pasted: the whole text at once, as a paste puts it.
        b.client
            .execute(
                "document.getElementById('text').value = arguments[0];
                 document.getElementById('text-role').value = arguments[1];",
                vec![json!(CV), json!("esco-extract:ict-operations-manager")],
            )
            .await?;
        press(&b, "/text", "Find skills").await?;
        let found = b
            .wait_js(
                "the text with its skills marked",
                r"const marks = [...document.querySelectorAll('.marked-text mark')];
                  if (!marks.length) return null;
                  return {marks: marks.map(m => [m.textContent, m.title, m.className]),
                          evidenced: document.querySelectorAll('.text-gap tr.evidenced').length,
                          missing: document.querySelectorAll('.text-gap tr.missing').length,
                          counts: document.querySelector('.text-gap .counts')?.innerText ?? '',
                          skills: document.querySelector('table caption')?.innerText ?? ''};",
            )
            .await?;
        let marks = found["marks"].as_array().context("marks")?;
        let marked = |words: &str| {
            marks
                .iter()
                .any(|m| m[0].as_str().is_some_and(|t| t.contains(words)))
        };
        ensure!(
            marked("manage budgets") && marked("manage staff"),
            "the CV's skills are not marked where it names them: {found}"
        );
        ensure!(
            marks
                .iter()
                .all(|m| m[1].as_str().is_some_and(|t| t.contains("confidence"))),
            "a mark does not say its skill and confidence: {found}"
        );
        ensure!(
            found["evidenced"].as_u64() > Some(0) && found["missing"].as_u64() > Some(0),
            "the gap to ICT operations manager lists no requirement shown or none missing: {found}"
        );
        ensure!(
            found["counts"]
                .as_str()
                .is_some_and(|t| t.contains("Essential skills shown")),
            "no count of essential skills shown: {found}"
        );
        b.screenshot("text-cv-gap").await?;

        b.by_label("Job title").await?.send_keys("ops mgr").await?;
        press(&b, "/text", "Find roles").await?;
        let best = b
            .wait_js(
                "the roles for the title",
                "const r = document.querySelector('tr.best'); return r ? r.innerText : null;",
            )
            .await?;
        ensure!(
            best.as_str()
                .is_some_and(|t| t.contains("best match") && t.contains("title")),
            "the best role for \"ops mgr\" shows no matched title: {best}"
        );
        b.screenshot("text-title-coding").await
    });
}

#[test]
fn browser_accepted_crosswalk_suggestions_count_in_similar_roles_across_frameworks() {
    browser_test("crosswalk", |b| async move {
        b.goto("/crosswalk").await?;
        b.by_label("Skills of")
            .await?
            .select_by_value("odp")
            .await?;
        b.by_label("Mapped to skills of")
            .await?
            .select_by_value("esco-extract")
            .await?;
        press(&b, "/crosswalk", "Suggest mappings").await?;
        // Tick the first two suggestions, each to be stored as close (so that similarity
        // counts the two skills as one, whatever type was suggested).
        let ticked = b
            .wait_js(
                "two suggestions ticked",
                r"const rows = [...document.querySelectorAll('table.crosswalk tbody tr')];
                  if (rows.length < 2) return null;
                  return rows.slice(0, 2).map(r => {
                      const box = r.querySelector('input[name=pick]');
                      box.click();
                      r.cells[3].querySelector('select').value = 'close';
                      return {value: box.value, to: r.cells[2].textContent.trim()};
                  });",
            )
            .await?;
        press(&b, "/crosswalk", "Accept ticked").await?;
        let notice = b
            .wait_js(
                "the notice of what was stored",
                "const n = document.querySelector('.notice'); return n ? n.innerText : null;",
            )
            .await?;
        ensure!(
            notice
                .as_str()
                .is_some_and(|t| t.contains("Accepted 2 suggestions")),
            "the page does not say both were stored: {notice}"
        );
        let accepted = b
            .js("return document.querySelectorAll('tr.review-accepted').length;")
            .await?;
        ensure!(accepted == 2, "{accepted} rows shown accepted, not 2");
        b.screenshot("crosswalk-review").await?;

        // An ODP role requiring the first accepted skill, found through the API.
        let first = &ticked[0];
        let from_key = first["value"]
            .as_str()
            .and_then(|v| v.split('|').next())
            .context("the ticked value")?
            .to_owned();
        let role = b
            .client
            .execute_async(
                r"const [key, done] = [arguments[0], arguments[arguments.length - 1]];
                  (async () => {
                    const roles = await (await fetch('/api/v1/roles?framework=odp')).json();
                    for (const r of roles) {
                      const role = await (await fetch('/api/v1/roles/' + r.id)).json();
                      if (role.requirements.some(q => q.skill_key === key)) return done(r.id);
                    }
                    done(null);
                  })();",
                vec![json!(from_key)],
            )
            .await?;
        ensure!(role.is_number(), "no ODP role requires {from_key}");
        b.goto(&format!("/roles/{role}")).await?;
        b.find(
            "the role page's link \"Like this in other frameworks\"",
            Locator::LinkText("Like this in other frameworks"),
        )
        .await?
        .click()
        .await?;
        let row = b
            .wait_js_with(
                "a role of the ESCO extract sharing the mapped skill",
                r"const to = arguments[0];
                  const rows = [...document.querySelectorAll('main table tbody tr')]
                      .filter(r => r.cells[0].innerText.includes('(esco-extract)'));
                  const row = rows.find(r => r.innerText.includes(to));
                  return row ? row.innerText : null;",
                vec![first["to"].clone()],
            )
            .await?;
        ensure!(
            row.as_str().is_some_and(|t| t.contains("or mapped")),
            "the role across frameworks does not say mapped skills brought it: {row}"
        );
        b.screenshot("similar-across").await
    });
}

#[test]
fn browser_progression_map_clicks_through_to_a_role_and_filters_by_level() {
    browser_test("progression-click", |b| async move {
        b.goto("/roles/odp:operations-manager/progression").await?;
        let href = b
            .wait_js(
                "the map's box for Operations Director",
                r"const g = [...document.querySelectorAll('svg.progression-map g.node')]
                      .find(g => g.querySelector('title').textContent.startsWith('Operations Director:'));
                  const a = g && g.querySelector('a');
                  return a ? a.getAttribute('href') : null;",
            )
            .await?;
        let href = href.as_str().context("the box's address")?.to_owned();
        b.client
            .find(Locator::Css(&format!(
                "svg.progression-map a[href='{href}'] rect"
            )))
            .await?
            .click()
            .await?;
        let heading = b
            .wait_js_with(
                "Operations Director's progression map",
                r"return location.pathname === arguments[0] && document.querySelector('svg.progression-map')
                      ? document.querySelector('h1').innerText : null;",
                vec![json!(href)],
            )
            .await?;
        ensure!(
            heading == "Progression map for Operations Director",
            "the box led to {heading}"
        );
        b.screenshot("progression-click-through").await?;

        b.by_label("Level").await?.select_by_value("below").await?;
        press(
            &b,
            &format!("/roles/{}/progression", href_id(&href)?),
            "Show",
        )
        .await?;
        let bands = b
            .wait_js(
                "the map filtered to the roles below",
                r"if (new URLSearchParams(location.search).get('level') !== 'below') return null;
                  return [...document.querySelectorAll('main table tbody tr td:first-child')]
                      .map(td => td.innerText);",
            )
            .await?;
        ensure!(
            bands
                .as_array()
                .is_some_and(|b| !b.is_empty() && b.iter().all(|t| t == "Below")),
            "the filtered map lists roles of other bands: {bands}"
        );
        b.screenshot("progression-filtered").await
    });
}

/// The role id in `/roles/{id}/progression`.
fn href_id(href: &str) -> anyhow::Result<&str> {
    href.strip_prefix("/roles/")
        .and_then(|rest| rest.strip_suffix("/progression"))
        .with_context(|| format!("not a progression address: {href}"))
}

#[test]
fn browser_a_manager_rates_a_report_from_their_page() {
    browser_test("manager-rating", |b| async move {
        b.goto("/people/liam-doyle").await?;
        b.find(
            "the person page's link to rate Liam as his manager",
            Locator::XPath("//a[contains(., 'as their manager')]"),
        )
        .await?
        .click()
        .await?;
        let heading = b
            .wait_js(
                "the manager's rating form",
                "return location.pathname === '/assess' && document.querySelector('form input[type=radio]')
                     ? document.querySelector('h1').innerText : null;",
            )
            .await?;
        ensure!(
            heading
                .as_str()
                .is_some_and(|h| h.starts_with("Rate Liam Doyle as their manager")),
            "the form is not a manager's: {heading}"
        );
        b.screenshot("manager-rating-form").await
    });
}

/// The ESCO-format fixture, imported before the server starts.
fn import_esco_fixture(dir: &Path) {
    let fixtures =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../rolemap-formats/tests/fixtures/esco");
    let classification = fixtures.join("esco-v1.1.1-classification");
    let relations = fixtures.join("esco-v1.1.1-relations");
    crate::ok(
        &dir.join("b.db"),
        &[
            "import",
            "esco",
            classification.to_str().expect("a UTF-8 path"),
            relations.to_str().expect("a UTF-8 path"),
        ],
    );
}

#[test]
fn browser_esco_trees_open_a_level_at_a_time() {
    browser_test_on("esco-browse", import_esco_fixture, |b| async move {
        b.goto("/esco").await?;
        b.find(
            "the link \"Occupations by ISCO group\"",
            Locator::LinkText("Occupations by ISCO group"),
        )
        .await?
        .click()
        .await?;
        // Open the first major group: the groups under it show inside.
        b.find(
            "the first group's summary",
            Locator::Css("ul.esco-tree details summary"),
        )
        .await?
        .click()
        .await?;
        let inside = b
            .wait_js(
                "the first group opened",
                r"const d = document.querySelector('ul.esco-tree details');
                  return d && d.open ? d.innerText : null;",
            )
            .await?;
        ensure!(
            inside
                .as_str()
                .is_some_and(|t| t.contains("Production and specialised services managers")),
            "the opened group does not show the group under it: {inside}"
        );
        b.screenshot("esco-occupations-tree").await?;
        b.goto("/esco/skills?group=http:%2F%2Fdata.europa.eu%2Fesco%2Fskill%2FK06")
            .await?;
        b.wait_js(
            "the ICT skill group's skills",
            "return document.querySelector('ul.esco-tree') ? document.body.innerText.includes('Python') : null;",
        )
        .await?;
        b.screenshot("esco-skill-group").await?;
        b.goto("/esco/collections/digital").await?;
        b.wait_js(
            "the digital collection",
            "return document.querySelector('ul.columns li') ? true : null;",
        )
        .await?;
        b.screenshot("esco-collection").await
    });
}
