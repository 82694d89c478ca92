//! Browser scenarios for what lists and job descriptions show: a short framework listed whole,
//! A to Z whatever the case, and a job description that says what the role is, along its
//! dimensions.

use anyhow::ensure;

use super::harness::*;

/// The ODP framework's 13 roles are all on its page, in order, with no letters to click through.
#[test]
fn browser_a_short_framework_is_listed_whole() {
    browser_test("framework-whole", |b| async move {
        b.goto("/frameworks/odp").await?;
        let titles = b
            .wait_js(
                "the role list on the framework page",
                r"const items = [...document.querySelectorAll('ul.role-columns li a')];
                  return items.length ? items.map(a => a.innerText.trim()) : null;",
            )
            .await?;
        let titles: Vec<String> = titles
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        ensure!(titles.len() == 13, "the roles listed: {titles:?}");
        let mut sorted = titles.clone();
        sorted.sort_by_key(|t| t.to_lowercase());
        ensure!(titles == sorted, "not in A-Z order: {titles:?}");
        let letters = b
            .js("return document.querySelector('nav[aria-label=\"Roles by first letter\"]') !== null;")
            .await?;
        ensure!(letters == false, "a 13-role framework is paged by letter");
        b.screenshot("framework-whole").await?;
        Ok(())
    });
}

/// Operations Manager's job description: what the role is under "About the role", then its
/// twelve dimensions under "The role in detail".
#[test]
fn browser_job_description_uses_the_role_dimensions() {
    browser_test("jd-dimensions", |b| async move {
        b.goto("/roles/ops-compared:operations-manager/jd").await?;
        let dimensions = b
            .wait_js(
                "the dimensions under \"The role in detail\"",
                r"const dl = document.querySelector('article.jd dl.dimensions');
                  return dl ? [...dl.querySelectorAll('dt')].map(d => d.innerText.trim()) : null;",
            )
            .await?;
        let dimensions = dimensions.as_array().cloned().unwrap_or_default();
        ensure!(dimensions.len() == 12, "dimensions: {dimensions:?}");
        ensure!(
            dimensions.iter().any(|d| d == "Budget authority"),
            "dimensions: {dimensions:?}"
        );
        b.screenshot("jd-dimensions").await?;

        b.goto("/roles/ops-compared:facilities-manager/jd").await?;
        let about = b
            .wait_js(
                "the facilities manager's \"About the role\"",
                r"const h = [...document.querySelectorAll('article.jd h2')]
                      .find(h => h.innerText.trim() === 'About the role');
                  return h ? h.nextElementSibling.innerText.trim() : null;",
            )
            .await?;
        let about = about.as_str().unwrap_or_default().to_owned();
        ensure!(
            about == "Oversees the day-to-day running of an organisation or department."
                && !about.contains("article"),
            "About the role: {about}"
        );
        b.screenshot("jd-about-facilities").await?;
        Ok(())
    });
}
