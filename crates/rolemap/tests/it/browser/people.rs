//! Browser scenarios for keeping people (the demo administrator Grace): adding a manager and then
//! someone reporting to them on the people page's "Add person" form, with a refused grade shown
//! at its field first; and importing 50 people from a CSV file chosen on the import page, then
//! the same file with 3 people changed: the page says 3 updated and 47 unchanged, and nobody is
//! listed twice.

use anyhow::{Context, ensure};
use fantoccini::Locator;

use super::harness::*;

/// Opens the "Add person" form on the people page and fills it in.
async fn fill_add_form(
    b: &Browser,
    name: &str,
    role: &str,
    grade: &str,
    manager: &str,
) -> anyhow::Result<()> {
    b.goto("/people").await?;
    b.find(
        "the \"Add someone to rolemap\" summary",
        Locator::XPath("//summary[normalize-space(.)='Add someone to rolemap']"),
    )
    .await?
    .click()
    .await?;
    b.find("the name field", Locator::Id("name"))
        .await?
        .send_keys(name)
        .await?;
    b.find("the role picker", Locator::Id("role"))
        .await?
        .select_by_value(role)
        .await?;
    b.find("the grade picker", Locator::Id("grade"))
        .await?
        .select_by_value(grade)
        .await?;
    b.find("the manager picker", Locator::Id("manager"))
        .await?
        .select_by_value(manager)
        .await?;
    Ok(())
}

async fn submit_add_form(b: &Browser) -> anyhow::Result<()> {
    b.find(
        "the \"Add person\" button",
        Locator::XPath("//form[@action='/people']//button[normalize-space(.)='Add person']"),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

/// Adds Nina Boss (a Team Leader under Grace), then Omar Report under Nina; a grade Nina's
/// role does not have is refused first, at the grade field.
#[test]
fn browser_add_a_person_and_their_manager_on_pages() {
    browser_test("people-add", |b| async move {
        // Operational Support's grades are not a Team Leader's: refused at the field.
        fill_add_form(&b, "Nina Boss", "odp:team-leader", "AO", "grace-okafor").await?;
        submit_add_form(&b).await?;
        let error = b
            .wait_js(
                "the grade field's error on the refused form",
                r"const e = document.getElementById('grade-error');
                  return e ? e.textContent.trim() : null;",
            )
            .await?;
        ensure!(
            error.as_str().is_some_and(|t| t.contains("no grade 'AO'")),
            "the grade error says what is wrong: {error}"
        );
        b.screenshot("people-add-refused").await?;

        // The form keeps what was typed; choose a grade the role has.
        b.find("the grade picker", Locator::Id("grade"))
            .await?
            .select_by_value("HEO")
            .await?;
        submit_add_form(&b).await?;
        b.wait_js(
            "Nina Boss's page",
            r"const h1 = document.querySelector('h1');
              return location.pathname === '/people/nina-boss' && h1
                  && h1.textContent.includes('Nina Boss') ? true : null;",
        )
        .await?;

        fill_add_form(
            &b,
            "Omar Report",
            "odp:front-line-help-and-advice",
            "EO",
            "nina-boss",
        )
        .await?;
        submit_add_form(&b).await?;
        let facts = b
            .wait_js(
                "Omar Report's page naming Nina Boss as his manager",
                r"const facts = document.querySelector('ul.facts');
                  return location.pathname === '/people/omar-report' && facts
                      ? facts.innerText : null;",
            )
            .await?;
        ensure!(
            facts.as_str().is_some_and(|t| t.contains("Nina Boss")),
            "Omar's manager: {facts}"
        );
        b.screenshot("people-add-report").await?;

        // Nina's team page lists Omar.
        b.goto("/teams/nina-boss").await?;
        let team = b
            .wait_js(
                "Nina Boss's team page",
                r"const main = document.querySelector('main');
                  return main && main.innerText.includes('Omar Report') ? main.innerText : null;",
            )
            .await?;
        ensure!(team.is_string(), "{team}");
        b.screenshot("people-add-team").await
    });
}

/// 50 people under Grace in the Billing team; the first `changed` at another grade.
fn fifty(changed: usize) -> String {
    let mut csv = String::from("key,name,email,role,grade,manager,team\n");
    for i in 0..50 {
        let grade = if i < changed { "SEO" } else { "EO" };
        csv.push_str(&format!(
            "import-{i:02},Imported {i:02},imported{i}@example.org,odp:team-leader,{grade},grace-okafor,Billing\n"
        ));
    }
    csv
}

/// Chooses `file` on the import page, waits for the page to read it, and imports it.
async fn import_file(b: &Browser, file: &std::path::Path) -> anyhow::Result<String> {
    b.goto("/people/import").await?;
    let path = file.to_str().context("a UTF-8 path")?;
    b.find("the CSV file input", Locator::Id("csv-file"))
        .await?
        .send_keys(path)
        .await?;
    b.wait_js(
        "the chosen file read into the text area",
        r"const t = document.getElementById('csv');
          return t && t.value.split('\n').length > 50 ? true : null;",
    )
    .await?;
    b.find(
        "the Import button",
        Locator::XPath("//form[@action='/people/import']//button"),
    )
    .await?
    .click()
    .await?;
    let outcome = b
        .wait_js(
            "the import's outcome",
            r"const o = document.getElementById('import-outcome');
              return o ? o.textContent.trim().replace(/\s+/g, ' ') : null;",
        )
        .await?;
    Ok(outcome.as_str().unwrap_or_default().to_owned())
}

/// Imports 50 people from a CSV file on the import page, then the file again with 3 changed.
#[test]
fn browser_import_fifty_people_then_three_changed() {
    browser_test("people-import", |b| async move {
        let dir = tempfile::tempdir()?;
        let first = dir.path().join("team.csv");
        std::fs::write(&first, fifty(0))?;
        let outcome = import_file(&b, &first).await?;
        ensure!(
            outcome.contains("50 created, 0 updated, 0 unchanged"),
            "first import: {outcome}"
        );
        b.screenshot("people-import-first").await?;

        let second = dir.path().join("team-changed.csv");
        std::fs::write(&second, fifty(3))?;
        let outcome = import_file(&b, &second).await?;
        ensure!(
            outcome.contains("0 created, 3 updated, 47 unchanged"),
            "second import: {outcome}"
        );
        let updated = b
            .js(
                r"const s = document.querySelector('section[aria-label=Updated]');
                  return s ? s.innerText : '';",
            )
            .await?;
        ensure!(
            ["Imported 00", "Imported 01", "Imported 02"]
                .iter()
                .all(|n| updated.as_str().is_some_and(|t| t.contains(n))),
            "the updated list names the three changed: {updated}"
        );
        b.screenshot("people-import-second").await?;

        // Everyone once on the people page.
        b.goto("/people").await?;
        let listed = b
            .wait_js(
                "the people table",
                r"const rows = [...document.querySelectorAll('main table tbody th')]
                      .map(th => th.textContent.trim());
                  return rows.length ? rows : null;",
            )
            .await?;
        let names: Vec<&str> = listed
            .as_array()
            .map(|l| l.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let imported: Vec<&&str> = names.iter().filter(|n| n.starts_with("Imported")).collect();
        ensure!(
            imported.len() == 50,
            "50 imported people listed once each: {names:?}"
        );
        let mut unique = imported.clone();
        unique.dedup();
        ensure!(unique.len() == 50, "no one listed twice: {imported:?}");
        b.screenshot("people-import-list").await
    });
}
