//! Browser scenarios for what comparisons and readiness tell people: the step between roles one
//! grade apart (and the grades chosen for it), the levels to raise among similar roles, a role
//! without skill requirements, and one readiness figure on the routes and gap pages.

use anyhow::{Context, ensure};
use fantoccini::Locator;

use super::harness::*;

/// The text of the page's main element, spaces collapsed.
const MAIN_TEXT: &str = "return document.querySelector('main').innerText.replace(/\\s+/g, ' ');";

/// Team Leader (EO-SEO) against Operations Manager (G7-G6): the page compares SEO with G7 and says
/// which skills to raise; choosing other grades in the form compares those.
#[test]
fn browser_compare_shows_the_step_between_roles_one_grade_apart() {
    browser_test("compare-step", |b| async move {
        b.goto("/compare?a=odp:team-leader&b=odp:operations-manager")
            .await?;
        let summary = b
            .wait_js(
                "the step's summary on the compare page",
                r"const p = document.querySelector('.step-summary');
                  return p ? p.innerText.replace(/\s+/g, ' ') : null;",
            )
            .await?;
        let summary = summary.as_str().unwrap_or_default().to_owned();
        ensure!(
            summary.contains(
                "Team Leader at SEO (its top grade) against Operations Manager at G7 (its entry grade)"
            ) && summary.contains("3 of 5 shared skills need raising, 3 levels in all."),
            "the step's summary: {summary}"
        );
        let data = b
            .js(
                r"const row = [...document.querySelectorAll('table.shared tbody tr')]
                      .find(r => r.querySelector('th').innerText.includes('Data and insight'));
                  return row ? row.querySelector('td.step').innerText.trim() : null;",
            )
            .await?;
        ensure!(
            data == "P → E: raise 1 level",
            "the step cell for Data and insight: {data}"
        );
        let main = b.js(MAIN_TEXT).await?;
        ensure!(
            !main
                .as_str()
                .is_some_and(|t| t.contains("no grade in common")),
            "the page still says \"no grade in common\": {main}"
        );
        b.screenshot("compare-step-default").await?;

        b.by_label("Grade of A")
            .await?
            .select_by_label("HEO")
            .await?;
        b.by_label("Grade of B")
            .await?
            .select_by_label("G6")
            .await?;
        b.find(
            "the button \"Compare at these grades\"",
            Locator::XPath("//button[normalize-space(.)='Compare at these grades']"),
        )
        .await?
        .click()
        .await?;
        let summary = b
            .wait_js(
                "the comparison again, at HEO against G6",
                r"const p = new URLSearchParams(location.search);
                  const s = document.querySelector('.step-summary');
                  return p.get('grade_a') === 'HEO' && p.get('grade_b') === 'G6' && s
                      ? s.innerText.replace(/\s+/g, ' ') : null;",
            )
            .await?;
        ensure!(
            summary.as_str().is_some_and(|s| s
                .contains("Team Leader at HEO against Operations Manager at G6")
                && s.contains("5 of 5 shared skills need raising, 10 levels in all.")),
            "the step at the chosen grades: {summary}"
        );
        b.screenshot("compare-step-chosen").await?;

        // Roles like Team Leader: Operations Manager has nothing to gain but levels to raise.
        b.goto("/roles/odp:team-leader/similar").await?;
        let row = b
            .wait_js(
                "the Operations Manager row of the similar roles table",
                r"const row = [...document.querySelectorAll('main table tbody tr')]
                      .find(r => r.querySelector('th').innerText.trim() === 'Operations Manager');
                  return row ? [...row.cells].map(c => c.innerText.replace(/\s+/g, ' ').trim()) : null;",
            )
            .await?;
        let cells: Vec<&str> = row
            .as_array()
            .context("the row's cells")?
            .iter()
            .filter_map(|c| c.as_str())
            .collect();
        ensure!(
            cells
                .last()
                .is_some_and(|c| c.starts_with("3:") && c.contains("Data and insight P → E")),
            "the levels to raise for Operations Manager: {cells:?}"
        );
        b.screenshot("similar-levels-to-raise").await
    });
}

/// A role without skill requirements: the gap page says so and gives no percentage, and its role
/// choice offers only roles that list skills.
#[test]
fn browser_gap_to_a_role_without_requirements_gives_no_percentage() {
    browser_test("gap-no-requirements", |b| async move {
        b.goto("/people/aisha-rahman/gap?target=ops-compared:operations-manager")
            .await?;
        let main = b
            .wait_js(
                "the gap page's heading",
                r"const h = document.querySelector('h1');
                  return h ? document.querySelector('main').innerText.replace(/\s+/g, ' ') : null;",
            )
            .await?;
        let text = main.as_str().unwrap_or_default();
        ensure!(
            text.contains("Operations Manager lists no skill requirements")
                && !text.contains('%')
                && !text.contains("every requirement is met"),
            "the gap page for a role without requirements: {text}"
        );
        let offered = b
            .js(r"const s = document.getElementById('gap-target');
                  return s ? [...s.options].map(o => o.value) : null;")
            .await?;
        let offered: Vec<&str> = offered
            .as_array()
            .context("the role select's options")?
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        // Of the roles without requirements, only the one shown, marked.
        let shown = "ops-compared:operations-manager";
        ensure!(
            offered.contains(&"odp:operations-manager")
                && offered.contains(&shown)
                && !offered.iter().any(|v| *v != shown
                    && (v.starts_with("ops-compared:") || v.starts_with("standards:"))),
            "the gap page offers: {offered:?}"
        );
        let label = b
            .js(r"const s = document.getElementById('gap-target');
                  return s.options[s.selectedIndex].text;")
            .await?;
        ensure!(
            label == "Operations Manager (no skill requirements)",
            "the role field shows {label}"
        );
        b.screenshot("gap-no-requirements").await
    });
}

/// One readiness figure: the routes page and the gap page give Aisha Rahman the same readiness
/// for Operations Manager.
#[test]
fn browser_routes_and_gap_pages_give_one_readiness() {
    browser_test("one-readiness", |b| async move {
        b.goto("/routes?person=aisha-rahman&to=odp:operations-director")
            .await?;
        let on_routes = b
            .wait_js(
                "Operations Manager's readiness on the routes page",
                r"const t = document.querySelector('main').innerText;
                  const m = t.match(/Operations Manager[^\n]*?readiness ([0-9.]+%)/);
                  return m ? m[1] : null;",
            )
            .await?;
        b.screenshot("routes-readiness").await?;
        b.goto("/people/aisha-rahman/gap?target=odp:operations-manager")
            .await?;
        let on_gap = b
            .wait_js(
                "the readiness on the gap page",
                r"const v = document.querySelector('.readiness-value');
                  return v ? v.innerText.trim() : null;",
            )
            .await?;
        ensure!(
            on_routes == on_gap && on_gap == "93.3%",
            "routes page {on_routes}, gap page {on_gap}"
        );
        b.screenshot("gap-readiness").await
    });
}
