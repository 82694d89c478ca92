//! Names on the pages: skills that share a label say what tells them apart, an exact title names
//! its role in the role field, and no page shows an ESCO URI where a title and code belong.

use std::path::Path;

use anyhow::ensure;
use serde_json::json;

use super::harness::*;

/// The demo, 400 generated roles (so role fields are typed) and the ESCO fixtures, where "ICT
/// operations manager" is one occupation's title and another's alternative title, and "ICT
/// operations director" the alternative title of both.
fn import_esco_with_shared_labels(dir: &Path) {
    super::import_many_roles(dir);
    let dirs = crate::names::esco_with_shared_labels(dir);
    let path = |p: &Path| p.to_str().expect("a UTF-8 path").to_owned();
    crate::ok(
        &dir.join("b.db"),
        &["import", "esco", &path(&dirs[0]), &path(&dirs[1])],
    );
}

/// What a person reads on the page: its text and the values of its text fields.
const SHOWN: &str = r"return [document.body.innerText,
    ...[...document.querySelectorAll('input:not([type=hidden]), select')]
        .map(f => f.value)].join('\n');";

#[test]
fn browser_names_tell_skills_apart_and_show_no_uris() {
    browser_test_on("names", import_esco_with_shared_labels, |b| async move {
        // Search: ODP's two "Data and insight" skills, each with what it is.
        b.goto("/search?q=data+and+insight").await?;
        let text = b.js(SHOWN).await?;
        let text = text.as_str().unwrap_or_default();
        for label in [
            "Data and insight (core skill)",
            "Data and insight (SCS capability)",
        ] {
            ensure!(
                text.contains(label),
                "the search page lacks {label:?}:\n{text}"
            );
        }
        b.screenshot("names-search").await?;

        // A role page's skills table says which one the role requires.
        b.goto("/roles/odp:operations-director").await?;
        let text = b.js(SHOWN).await?;
        ensure!(
            text.as_str()
                .is_some_and(|t| t.contains("Data and insight (SCS capability)")),
            "the Operations Director's page does not say which Data and insight: {text}"
        );
        b.screenshot("names-role").await?;

        // A name that fits two ESCO occupations: titles and codes, never URIs.
        b.goto("/roles/ICT%20operations%20director").await?;
        let links = b
            .wait_js(
                "the \"More than one match\" page lists its candidates",
                r"if (!document.querySelector('h1') ||
                      document.querySelector('h1').textContent !== 'More than one match')
                      return null;
                  return [...document.querySelectorAll('ul.suggestions a')]
                      .map(a => [a.textContent, a.getAttribute('href')]);",
            )
            .await?;
        let links = links.as_array().cloned().unwrap_or_default();
        ensure!(links.len() == 2, "two candidates expected: {links:?}");
        for (link, title) in links
            .iter()
            .zip(["ICT operations manager", "ICT operations lead"])
        {
            let label = link[0].as_str().unwrap_or_default();
            ensure!(
                label.starts_with(&format!("{title}, esco, ISCO 1330 (no. ")),
                "candidate {label:?} should read \"{title}, esco, ISCO 1330 (no. ID)\""
            );
        }
        let text = b.js(SHOWN).await?;
        ensure!(
            !text.as_str().unwrap_or_default().contains("://"),
            "the page shows a URI: {text}"
        );
        b.screenshot("names-ambiguous").await?;
        // Each candidate opens its role.
        b.goto(links[1][1].as_str().unwrap_or_default()).await?;
        let h1 = b
            .js("return document.querySelector('h1').textContent")
            .await?;
        ensure!(h1 == json!("ICT operations lead"), "opened {h1}");

        // The gap page's role field names the role by framework and title: the demo's ESCO
        // extract has an "ICT operations manager" too, and within ESCO the title is this role's
        // own, whatever other roles list it among their other titles.
        b.goto(
            "/people/grace-okafor/gap?target=esco:http:%2F%2Fdata.europa.eu%2Fesco%2Foccupation%2Fict-operations-manager",
        )
        .await?;
        let value = b
            .wait_js(
                "the gap page's typed role field",
                r"const f = document.querySelector('input#gap-target');
                  return f ? f.value : null;",
            )
            .await?;
        ensure!(
            value == json!("esco:ICT operations manager"),
            "the role field holds {value}, not the framework and title"
        );
        let text = b.js(SHOWN).await?;
        ensure!(
            !text.as_str().unwrap_or_default().contains("://"),
            "the gap page shows a URI: {text}"
        );
        b.screenshot("names-gap").await?;

        // The role page's reference is a name people can type, not the URI.
        b.goto("/roles/esco:ICT%20operations%20manager").await?;
        let text = b.js(SHOWN).await?;
        let text = text.as_str().unwrap_or_default();
        ensure!(
            text.to_lowercase().contains("reference") && !text.contains("://"),
            "the role page shows a URI, or no reference: {text}"
        );
        Ok(())
    });
}
