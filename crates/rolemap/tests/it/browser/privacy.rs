//! Browser scenarios for privacy: the demo employee Daniel downloads everything held about him
//! from his page; the administrator Grace erases Aisha Rahman through the confirm page and then
//! finds her nowhere: not on the people page, her manager's team page, Daniel's page or the
//! audit log.

use anyhow::ensure;
use fantoccini::Locator;

use super::harness::*;

#[test]
fn browser_an_employee_downloads_his_own_data() {
    browser_test_as(
        "privacy-export",
        Some("daniel"),
        |_| {},
        |b| async move {
            b.goto("/people/daniel-mensah").await?;
            let link = b
                .find(
                    "the download button",
                    Locator::XPath("//a[contains(., 'Download all data (JSON)')]"),
                )
                .await?;
            let href = link.attr("href").await?.unwrap_or_default();
            ensure!(href == "/people/daniel-mensah/export", "href: {href}");
            b.screenshot("privacy-export-person-page").await?;
            // What the button downloads, fetched with the page's own session.
            let export = b
                .wait_js(
                    "the export downloaded",
                    r"if (!window.__export) {
                        window.__export = 'pending';
                        fetch('/people/daniel-mensah/export', {credentials: 'same-origin'})
                          .then(r => r.json()).then(j => { window.__export = j; });
                      }
                      return window.__export === 'pending' ? null : window.__export;",
                )
                .await?;
            ensure!(
                export["person"]["key"] == "daniel-mensah",
                "person: {}",
                export["person"]
            );
            ensure!(
                export["user"]["username"] == "daniel",
                "user: {}",
                export["user"]
            );
            let assessments = export["assessments"].as_array().map_or(0, Vec::len);
            ensure!(assessments > 0, "no assessments: {export}");
            let audit = export["audit"].as_array().cloned().unwrap_or_default();
            ensure!(
                audit.iter().any(|e| e["action"] == "person.add"),
                "no audit entries: {export}"
            );
            Ok(())
        },
    );
}

#[test]
fn browser_an_admin_erases_a_person_who_is_then_found_nowhere() {
    browser_test("privacy-erase", |b| async move {
        b.goto("/people/aisha-rahman").await?;
        b.find(
            "the erase button",
            Locator::XPath("//a[contains(., 'Erase')]"),
        )
        .await?
        .click()
        .await?;
        b.wait_js(
            "the confirm page",
            "return document.querySelector('h1')?.innerText.includes('Erase Aisha Rahman?') || null",
        )
        .await?;
        b.screenshot("privacy-erase-confirm").await?;
        b.find(
            "the confirm button",
            Locator::XPath("//form[contains(@action, '/erase')]//button"),
        )
        .await?
        .click()
        .await?;
        b.wait_js(
            "the erasure done",
            "return document.querySelector('h1')?.innerText.trim() === 'Erased' || null",
        )
        .await?;
        b.screenshot("privacy-erase-done").await?;
        for path in [
            "/people",
            "/",
            "/teams/grace-okafor",
            "/people/daniel-mensah",
            "/admin/audit?limit=1000",
        ] {
            b.goto(path).await?;
            b.settle().await;
            let text = b
                .js("return document.body.innerText")
                .await?
                .as_str()
                .unwrap_or_default()
                .to_lowercase();
            ensure!(!text.contains("rahman"), "{path} still shows her");
        }
        b.goto("/admin/audit?action=person.erase").await?;
        b.wait_js(
            "the tombstone in the audit log",
            "return document.body.innerText.includes('person.erase') || null",
        )
        .await?;
        b.screenshot("privacy-erase-audit").await?;
        b.goto("/people/aisha-rahman").await?;
        b.wait_js(
            "her page is gone",
            "return document.querySelector('.error-status')?.innerText.includes('404') || null",
        )
        .await?;
        Ok(())
    });
}
