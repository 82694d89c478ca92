//! Browser scenarios for the framework owner's import page and the admin's retention purge: an
//! XLSX framework previewed (with what it changes in the stored version) and then imported, a
//! bad XLSX showing every problem at its sheet and cell with nothing stored, old assessments
//! counted and then purged; and the crosswalk table fitting a 1280 px window.

use std::path::{Path, PathBuf};

use anyhow::{Context, ensure};
use fantoccini::Locator;
use rolemap_core::bundle::FrameworkBundle;
use rolemap_formats::{framework_sheets, sheets};

use super::harness::*;

/// The built-in ODP framework as stored by `serve --demo`.
fn odp() -> FrameworkBundle {
    rolemap_formats::builtin::frameworks()
        .expect("the built-in frameworks read")
        .into_iter()
        .find(|b| b.framework.key == "odp")
        .expect("the ODP framework is built in")
}

/// Writes `bundle` as rolemap's framework spreadsheet at `dir/name`, after `edit` changed its
/// sheets' cells.
fn write_xlsx(
    dir: &Path,
    name: &str,
    bundle: &FrameworkBundle,
    edit: impl FnOnce(&mut sheets::Workbook),
) -> PathBuf {
    let mut workbook = framework_sheets::to_sheets(bundle);
    edit(&mut workbook);
    let bytes = sheets::write_xlsx(&workbook).expect("write the XLSX");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("save the XLSX");
    path
}

/// Opens the import page from the drafts page, chooses `file` and asks for the preview.
async fn upload(b: &Browser, file: &Path) -> anyhow::Result<()> {
    b.goto("/drafts").await?;
    b.find(
        "the drafts page's link to the import page",
        Locator::LinkText("Import a framework file"),
    )
    .await?
    .click()
    .await?;
    b.by_label("Framework file (up to about 700 KB)")
        .await?
        .send_keys(&file.display().to_string())
        .await?;
    b.find(
        "the preview button",
        Locator::XPath("//form[@action='/frameworks/import']//button"),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

/// A new version of ODP as an XLSX: previewed with its counts and its one change against the
/// stored version, nothing stored until confirmed; then imported, and the framework page
/// shows the new version.
#[test]
fn browser_an_xlsx_framework_is_previewed_then_imported() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut bundle = odp();
    bundle.framework.version = "2025-page".to_owned();
    let renamed = "Innovation, risk and resilience";
    bundle.skills[0].label = renamed.to_owned();
    let skills = bundle.skills.len();
    let file = write_xlsx(dir.path(), "odp-2025.xlsx", &bundle, |_| {});
    browser_test("import-xlsx", move |b| async move {
        upload(&b, &file).await?;
        let facts = b
            .wait_js(
                "the preview of what the file holds",
                "const d = document.getElementById('import-preview'); return d ? d.innerText : null;",
            )
            .await?;
        let facts = facts.as_str().unwrap_or_default().to_owned();
        ensure!(
            facts.contains("2025-page") && facts.contains(&format!("{skills} skills")),
            "the preview does not give the version and the {skills} skills: {facts}"
        );
        let changes = b
            .js("return [...document.querySelectorAll('table.diff tbody tr')].map(r => r.innerText);")
            .await?;
        let changes = changes.as_array().cloned().unwrap_or_default();
        ensure!(
            changes.len() == 1 && changes[0].as_str().is_some_and(|c| c.contains(renamed)),
            "the diff against the stored version is not the one renamed skill: {changes:?}"
        );
        // Nothing is stored by the preview.
        let stored = b
            .client
            .execute_async(
                r"const done = arguments[arguments.length - 1];
                  fetch('/api/v1/frameworks').then(r => r.json())
                    .then(list => done(list.filter(f => f.version === '2025-page').length));",
                Vec::new(),
            )
            .await?;
        ensure!(stored == 0, "the preview stored the framework: {stored}");
        b.screenshot("import-xlsx-preview").await?;

        b.find(
            "the confirm button",
            Locator::XPath("//form[@action='/frameworks/import/confirm']//button"),
        )
        .await?
        .click()
        .await?;
        let outcome = b
            .wait_js(
                "the outcome of the import",
                "const n = document.getElementById('import-outcome'); return n ? n.innerText : null;",
            )
            .await?;
        ensure!(
            outcome
                .as_str()
                .is_some_and(|t| t.contains(&format!("{skills} skills"))),
            "the outcome: {outcome}"
        );
        b.screenshot("import-xlsx-done").await?;
        b.find("the link to the framework", Locator::LinkText("Open odp"))
            .await?
            .click()
            .await?;
        let heading = b
            .wait_js(
                "the framework page",
                "return location.pathname === '/frameworks/odp' ? document.body.innerText : null;",
            )
            .await?;
        ensure!(
            heading.as_str().is_some_and(|t| t.contains("2025-page")),
            "the framework page does not show the imported version"
        );
        b.screenshot("import-xlsx-framework").await
    });
    drop(dir);
}

/// An XLSX with a skill without a label and a requirement of a skill it does not define: both
/// problems listed with their sheet and cell, and nothing stored.
#[test]
fn browser_a_bad_framework_file_shows_its_problems_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut bundle = odp();
    bundle.framework.key = "odp-broken".to_owned();
    let file = write_xlsx(dir.path(), "broken.xlsx", &bundle, |workbook| {
        for sheet in &mut workbook.sheets {
            match sheet.name.as_str() {
                // Row 2 is the first skill: its label (column B) emptied.
                "skills" => sheet.rows[1].cells[1] = String::new(),
                // The first requirement names a skill that no row defines.
                "requirements" => sheet.rows[1].cells[1] = "no-such-skill".to_owned(),
                _ => {}
            }
        }
    });
    browser_test("import-bad", move |b| async move {
        upload(&b, &file).await?;
        let problems = b
            .wait_js(
                "the problems table",
                r"const rows = [...document.querySelectorAll('#import-problems tbody tr')];
                  return rows.length ? rows.map(r => [...r.cells].map(c => c.innerText.trim())) : null;",
            )
            .await?;
        let problems = problems.as_array().cloned().unwrap_or_default();
        let fields: Vec<String> = problems
            .iter()
            .filter_map(|p| p[3].as_str().map(str::to_owned))
            .collect();
        ensure!(
            fields.iter().any(|f| f.starts_with("skills!B2"))
                && fields.iter().any(|f| f.starts_with("requirements!B2")),
            "the problems are not at skills!B2 and requirements!B2: {problems:?}"
        );
        ensure!(
            problems
                .iter()
                .all(|p| p[0].as_str() == Some("broken.xlsx") && p[1].as_str() == Some("2")),
            "each problem names the file and its row: {problems:?}"
        );
        let summary = b
            .js("return document.getElementById('error-summary-title').innerText;")
            .await?;
        ensure!(
            summary
                .as_str()
                .is_some_and(|s| s.starts_with("Nothing was imported")),
            "the summary: {summary}"
        );
        b.screenshot("import-bad-problems").await?;
        let stored = b
            .client
            .execute_async(
                r"const done = arguments[arguments.length - 1];
                  fetch('/api/v1/frameworks').then(r => r.json())
                    .then(list => done(list.filter(f => f.key === 'odp-broken').length));",
                Vec::new(),
            )
            .await?;
        ensure!(stored == 0, "the bad file was stored: {stored}");
        Ok(())
    });
    drop(dir);
}

/// The purge counts the demo's assessments (all recorded in March 2026) as older than a day,
/// deletes nothing until confirmed, then deletes exactly that many; counted again, none is left.
/// Then the users page, beside the purge on the audit page.
#[test]
fn browser_old_assessments_are_counted_then_purged() {
    browser_test("purge", |b| async move {
        b.goto("/admin/audit").await?;
        b.find(
            "the audit page's link to the purge",
            Locator::LinkText("Purge old assessments"),
        )
        .await?
        .click()
        .await?;
        b.by_label("Older than (a number and a unit: 3y years, 18m months, 6w weeks, 90d days)")
            .await?
            .send_keys("1d")
            .await?;
        b.find(
            "the count button",
            Locator::XPath("//form[@action='/admin/purge']//button"),
        )
        .await?
        .click()
        .await?;
        let counted = b
            .wait_js(
                "the count of what would go",
                "const p = document.getElementById('purge-count'); return p ? p.innerText : null;",
            )
            .await?;
        let counted = counted.as_str().unwrap_or_default().to_owned();
        let count: u64 = counted
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
            .with_context(|| format!("no count in {counted:?}"))?;
        ensure!(
            count > 0,
            "the demo's assessments are not counted: {counted}"
        );
        b.screenshot("purge-confirm").await?;
        b.find(
            "the delete button",
            Locator::XPath("//form[@action='/admin/purge' and @method='post']//button"),
        )
        .await?
        .click()
        .await?;
        let outcome = b
            .wait_js(
                "the outcome of the purge",
                "const n = document.getElementById('purge-outcome'); return n ? n.innerText : null;",
            )
            .await?;
        ensure!(
            outcome
                .as_str()
                .is_some_and(|t| t.starts_with(&format!("{count} assessments"))),
            "the purge did not delete the {count} counted: {outcome}"
        );
        b.screenshot("purge-done").await?;
        b.goto("/admin/purge?older_than=1d").await?;
        let again = b
            .wait_js(
                "the count again",
                "const p = document.getElementById('purge-count'); return p ? p.innerText : null;",
            )
            .await?;
        ensure!(
            again
                .as_str()
                .is_some_and(|t| t.starts_with("No assessment was recorded")),
            "assessments are left after the purge: {again}"
        );
        // The users page, linked from the audit log beside the purge.
        b.goto("/admin/audit").await?;
        b.find(
            "the audit page's link to the users",
            Locator::LinkText("Users"),
        )
        .await?
        .click()
        .await?;
        let users = b
            .wait_js(
                "the users table",
                "return document.querySelectorAll('table.users tbody tr').length;",
            )
            .await?;
        ensure!(users.as_u64().is_some_and(|n| n > 0), "no users listed");
        b.screenshot("users").await
    });
}

/// The crosswalk review's table fits a 1280 px window: nothing to scroll sideways, the decision
/// buttons in view.
#[test]
fn browser_crosswalk_table_fits_a_1280_px_window() {
    browser_test("crosswalk-1280", |b| async move {
        b.goto("/crosswalk?from=odp&to=esco-extract").await?;
        let widths = b
            .wait_js(
                "the crosswalk table laid out",
                r"const w = document.querySelector('.table-wrap');
                  const t = document.querySelector('table.crosswalk');
                  return (w && t) ? [window.innerWidth, w.clientWidth, w.scrollWidth] : null;",
            )
            .await?;
        let (window, wrap, table) = (
            widths[0].as_u64().unwrap_or(0),
            widths[1].as_u64().unwrap_or(0),
            widths[2].as_u64().unwrap_or(u64::MAX),
        );
        ensure!(
            window <= 1280 && table <= wrap,
            "the crosswalk table is {table} px wide in a {wrap} px frame (window {window} px)"
        );
        b.screenshot("crosswalk-1280").await
    });
}
