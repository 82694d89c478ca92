//! Browser scenario for framework authoring: a draft started from a copy of ODP, a level
//! descriptor changed, a level code no scale knows shown as a problem at its field, the draft
//! published as version 2025 and its diff read, then that version downloaded as its document and
//! imported again (the same content: nothing to do; with a new version: stored).

use anyhow::ensure;
use fantoccini::Locator;
use serde_json::json;

use super::harness::*;

/// Clicks the button with this exact text.
async fn press(b: &Browser, text: &str) -> anyhow::Result<()> {
    b.find(
        &format!("the button \"{text}\""),
        Locator::XPath(&format!(
            "//button[normalize-space(.)={}]",
            xpath_literal(text)
        )),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

#[test]
fn browser_author_a_framework_version_from_a_copy() {
    browser_test("author", |b| async move {
        b.goto("/drafts").await?;
        b.find("the copy choice", Locator::Css("input#how-copy"))
            .await?
            .click()
            .await?;
        b.js("document.getElementById('start-framework').value = 'odp 2024'; return true;")
            .await?;
        press(&b, "Start the draft").await?;
        b.wait_js(
            "the draft editor of odp 2025",
            "return (location.pathname.startsWith('/drafts/') && document.querySelector('h1').innerText.includes('odp version 2025')) || null",
        )
        .await?;
        let draft = b.js("return location.pathname").await?;
        let draft = draft.as_str().unwrap_or_default().to_owned();

        // A level descriptor changed and saved.
        b.js("document.getElementById('scales').open = true; return true;")
            .await?;
        let descriptor = b
            .find(
                "the Working level's descriptor",
                Locator::Css("textarea[name='scales[0].levels[1].descriptor']"),
            )
            .await?;
        descriptor.clear().await?;
        descriptor
            .send_keys("Applies the skill alone in everyday work.")
            .await?;
        press(&b, "Save Scales and level descriptors").await?;
        b.wait_js(
            "the descriptor kept",
            "const t = document.querySelector(\"textarea[name='scales[0].levels[1].descriptor']\");
             return (t && t.value === 'Applies the skill alone in everyday work.') || null",
        )
        .await?;
        b.screenshot("author-draft-level").await?;

        // A level code the scale does not have: the edit is refused, the problem at its field.
        let field = b
            .wait_js(
                "a level cell of a requirement",
                r"const i = [...document.querySelectorAll('input[name]')]
                      .find(i => /^roles\[\d+\]\.requirements\[\d+\]\.levels\./.test(i.name)
                                 && (i.closest('.field').querySelector('.hint') || {textContent: ''}).textContent.includes('levels:'));
                  if (!i) return null;
                  i.closest('details').open = true;
                  return i.name;",
            )
            .await?;
        let field = field.as_str().unwrap_or_default().to_owned();
        let cell = b
            .find(
                "the level cell",
                Locator::Css(&format!("input[name='{field}']")),
            )
            .await?;
        cell.clear().await?;
        cell.send_keys("X").await?;
        b.client.execute(
            "document.querySelector(`input[name='${arguments[0]}']`).closest('form').querySelector('button:not([name])').click(); return true;",
            vec![json!(field)],
        )
        .await?;
        let problem = b
            .wait_js_with(
                "the problem shown at the level cell",
                "const i = document.querySelector(`input[name='${arguments[0]}']`);
                 if (!i || i.getAttribute('aria-invalid') !== 'true') return null;
                 return i.closest('.field').querySelector('.field-error').innerText;",
                vec![json!(field)],
            )
            .await?;
        let problem = problem.as_str().unwrap_or_default().to_owned();
        ensure!(
            problem.contains("unknown level 'X'") && problem.contains("valid levels"),
            "the field's problem: {problem}"
        );
        b.client.execute(
            "document.querySelector(`input[name='${arguments[0]}']`).scrollIntoView(); return true;",
            vec![json!(field)],
        )
        .await?;
        b.screenshot("author-field-error").await?;

        // Published: the diff of 2024 to 2025 names the one change, before and after.
        b.goto(&draft).await?;
        press(&b, "Publish as odp version 2025").await?;
        let summary = b
            .wait_js(
                "the diff page",
                "return (location.pathname === '/frameworks/odp/diff' && document.getElementById('diff-summary')) ? document.getElementById('diff-summary').innerText : null",
            )
            .await?;
        ensure!(
            summary.as_str() == Some("0 items added, 0 removed, 1 changed."),
            "summary: {summary}"
        );
        let row = b
            .js("const r = document.querySelector('table.diff tbody tr'); return r ? r.innerText : ''")
            .await?;
        let row = row.as_str().unwrap_or_default();
        ensure!(
            row.contains("odp-levels/W") && row.contains("independently") && row.contains("alone"),
            "the change: {row}"
        );
        b.screenshot("author-diff").await?;

        // Exported and imported again: the same content is already stored; a new version goes in.
        b.goto("/frameworks/odp").await?;
        b.find(
            "the download on the framework page",
            Locator::XPath("//a[contains(., 'as a framework document')]"),
        )
        .await?;
        b.screenshot("author-framework-download").await?;
        let statuses = b
            .wait_js(
                "the export imported again",
                r"if (window.reimport === undefined) {
                      window.reimport = null;
                      (async () => {
                          const href = [...document.querySelectorAll('a')]
                              .find(a => a.innerText.includes('as a framework document')).href;
                          const text = await (await fetch(href)).text();
                          const post = body => fetch('/api/v1/frameworks?name=odp-2025.toml',
                              {method: 'POST', headers: {'content-type': 'text/plain'}, body});
                          const same = await post(text);
                          const next = await post(text.replace('version = \x222025\x22', 'version = \x222026\x22'));
                          window.reimport = [text.includes('alone in everyday work'), same.status, next.status];
                      })();
                  }
                  return window.reimport;",
            )
            .await?;
        ensure!(
            statuses == json!([true, 200, 201]),
            "document has the edit, same import, new version: {statuses}"
        );
        Ok(())
    });
}
