//! Browser tests: the real server (`rolemap serve --demo`) and headless Chromium, driven through
//! chromedriver (WebDriver) with fantoccini, walking what a person does: search and open a role,
//! rate themselves and read the gap report, open a team's heatmap, print a job description, and
//! on a large database pick two roles by typing part of their titles and compare them; the
//! progression map measured as Chromium draws it and the routes page (`routes.rs`).
//!
//! Each test starts its own server on a fresh database and its own chromedriver, one browser at a
//! time; every process is killed when the test ends, however it ends. Screenshots (full page) and
//! the printed PDF are saved under `target/test-artifacts/browser/`, and on a failure the page's
//! screenshot and HTML as `<test>-failure.png` and `.html`.
//!
//! Where Chromium (`/usr/bin/chromium`) or chromedriver is missing the tests say so and pass, except
//! when `CI` is set: there a missing browser fails them, so CI cannot skip them silently.

#![cfg(unix)]

use std::fs;
use std::path::Path;

use anyhow::{Context, anyhow, ensure};
use fantoccini::Locator;
use fantoccini::key::Key;
use fantoccini::wd::PrintConfiguration;
use serde_json::{Value, json};

mod assess;
mod authoring;
mod compare;
mod files;
mod harness;
mod names;
mod people;
mod permissions;
mod privacy;
mod review;
mod routes;
mod signin;
mod tools;

use harness::*;

/// The demo team below Grace Okafor (`crates/rolemap-formats/builtin/demo.toml`).
const GRACE_TEAM: [&str; 8] = [
    "Aisha Rahman",
    "Liam Doyle",
    "Mei Chen",
    "Daniel Mensah",
    "Sophie Turner",
    "Raj Patel",
    "Hannah Kowalski",
    "Owen Price",
];

// ---------------------------------------------------------------------------------------------
// The scenarios

/// Home: the typeahead offers "Team Leader" for "team lea"; arrow keys and Enter open the role,
/// whose page shows the skills table.
#[test]
fn browser_search_and_open_a_role() {
    browser_test("search", |b| async move {
        b.goto("/").await?;
        let q = b
            .find("the home page's search box", Locator::Css("input#q"))
            .await?;
        q.click().await?;
        q.send_keys("team lea").await?;
        let options = b
            .wait_js(
                "the typeahead list #q-options shows an option with \"Team Leader\"",
                r"const list = document.getElementById('q-options');
                  if (!list || list.hidden) return null;
                  const opts = [...list.querySelectorAll('[role=option]')]
                      .map(o => o.textContent.trim().replace(/\s+/g, ' '));
                  return opts.some(t => t.includes('Team Leader')) ? opts : null;",
            )
            .await?;

        // Down until "Team Leader" is the active option, then Enter, as the page's hint says.
        let count = options.as_array().map_or(0, Vec::len);
        let mut active = Value::Null;
        for _ in 0..count {
            b.client
                .active_element()
                .await?
                .send_keys(&Key::Down)
                .await?;
            active = b
                .js(r"const q = document.getElementById('q');
                      const id = q && q.getAttribute('aria-activedescendant');
                      const el = (id && document.getElementById(id))
                          || document.querySelector('#q-options [aria-selected=true]')
                          || document.activeElement.closest('#q-options [role=option]');
                      return el ? el.textContent.trim().replace(/\s+/g, ' ') : null;")
                .await?;
            if active.as_str().is_some_and(|t| t.contains("Team Leader")) {
                break;
            }
        }
        ensure!(
            active.as_str().is_some_and(|t| t.contains("Team Leader")),
            "the down arrow never made \"Team Leader\" the active option (aria-activedescendant \
             on #q, aria-selected in #q-options or focus); options: {options}; last active: {active}"
        );
        b.screenshot("home-typeahead").await?;
        b.client
            .active_element()
            .await?
            .send_keys(&Key::Enter)
            .await?;

        b.wait_js(
            "the Team Leader role page (a /roles/ address with the heading \"Team Leader\")",
            r"const h1 = document.querySelector('h1');
              return location.pathname.startsWith('/roles/') && h1
                  && h1.textContent.trim() === 'Team Leader' ? location.pathname : null;",
        )
        .await?;
        let skills = b
            .wait_js(
                "the skills table on the role page",
                r"const t = document.querySelector('main table');
                  return t ? t.innerText : null;",
            )
            .await?;
        ensure!(
            skills
                .as_str()
                .is_some_and(|t| t.contains("Data and insight")),
            "the skills table does not list \"Data and insight\":\n{skills}"
        );
        b.screenshot("role-team-leader").await
    });
}

/// Self-assessment: from the role page to the form, a new person rates every skill by clicking
/// the levels' labels, and lands on the gap report with its radar chart and development list.
#[test]
fn browser_self_assessment_shows_the_gap_report() {
    browser_test("assess", |b| async move {
        b.goto("/roles/odp:operations-manager").await?;
        b.find(
            "the role page's link \"Assess myself against this\"",
            Locator::LinkText("Assess myself against this"),
        )
        .await?
        .click()
        .await?;
        b.wait_js(
            "the self-assessment form with radio buttons",
            r"return location.pathname === '/assess'
                  && document.querySelector('form input[type=radio]') ? location.search : null;",
        )
        .await?;

        // The grade is chosen above the form ("Change role or grade"); G7 is the default, and
        // choosing it again goes through the same form a person would use.
        b.by_label("Grade").await?.select_by_label("G7").await?;
        b.find(
            "the \"Change\" button of the role and grade form",
            Locator::XPath("//form[.//label[normalize-space(.)='Grade']]//button"),
        )
        .await?
        .click()
        .await?;
        b.wait_js(
            "the form again, for grade G7",
            r"return new URLSearchParams(location.search).get('grade') === 'G7'
                  && document.querySelector('form input[type=radio]') ? location.search : null;",
        )
        .await?;
        let grade = b
            .js(
                r"const g = document.querySelector('form[method=post] [name=grade]');
                  return g ? g.value : null;",
            )
            .await?;
        ensure!(
            grade == "G7",
            "the ratings form does not send grade G7: {grade}"
        );
        b.by_label("Or, if you are new, your name")
            .await?
            .send_keys("Robin Browser")
            .await?;

        // One level per skill, cycling through the scale so the report has gaps and strengths.
        let wanted = ["Awareness", "Working", "Practitioner", "Expert"];
        let fieldsets = b
            .client
            .find_all(Locator::XPath("//form//fieldset[.//input[@type='radio']]"))
            .await?;
        ensure!(
            !fieldsets.is_empty(),
            "no fieldset of radio buttons on the form"
        );
        for (i, fieldset) in fieldsets.iter().enumerate() {
            let labels = fieldset.find_all(Locator::Css("label")).await?;
            let mut texts = Vec::new();
            for label in &labels {
                texts.push(label.text().await?);
            }
            let pick = texts
                .iter()
                .position(|t| t.starts_with(wanted[i % wanted.len()]))
                .or_else(|| texts.iter().position(|t| !t.starts_with("Not rated")))
                .with_context(|| format!("skill {} offers no level to pick: {texts:?}", i + 1))?;
            labels[pick].click().await?;
            let radio_id = labels[pick]
                .attr("for")
                .await?
                .with_context(|| format!("the label {:?} has no `for`", texts[pick]))?;
            let radio = b.client.find(Locator::Id(&radio_id)).await?;
            ensure!(
                radio.is_selected().await?,
                "clicking the label {:?} did not check its radio button #{radio_id}",
                texts[pick]
            );
        }
        b.screenshot("assess-form").await?;

        b.find(
            "the form's submit button",
            Locator::XPath("//form[.//input[@type='radio']]//button[@type='submit']"),
        )
        .await?
        .click()
        .await?;

        b.wait_js(
            "the gap report (/people/<key>/gap)",
            r"return /^\/people\/[^/]+\/gap$/.test(location.pathname) ? location.href : null;",
        )
        .await?;
        let heading = b
            .js("return document.querySelector('h1')?.innerText ?? ''")
            .await?;
        let body = b.js("return document.body.innerText").await?;
        ensure!(
            body.as_str().is_some_and(|t| t.contains("Robin Browser")),
            "the gap report does not name the person assessed (h1: {heading})"
        );
        let radar = b
            .wait_js(
                "the radar chart: an <svg> with the required and the assessed polygon",
                r"for (const svg of document.querySelectorAll('main svg')) {
                      const series = svg.querySelectorAll('polygon.series').length;
                      const box = svg.getBoundingClientRect();
                      if (series) return {series, width: box.width, height: box.height};
                  }
                  return null;",
            )
            .await?;
        ensure!(
            radar["series"] == 2,
            "the radar should draw two polygons (required, assessed): {radar}"
        );
        ensure!(
            radar["width"].as_f64().unwrap_or(0.0) >= 200.0,
            "the radar chart is drawn too small to read: {radar}"
        );
        let development = b
            .js(
                r"const h = [...document.querySelectorAll('main h2, main h3')]
                      .find(e => /develop/i.test(e.textContent));
                  if (!h) return null;
                  let list = null;
                  const section = h.closest('section');
                  if (section) list = section.querySelector('ol, ul, table');
                  for (let e = h.nextElementSibling; !list && e && !/^H[1-3]$/.test(e.tagName);
                       e = e.nextElementSibling)
                      list = e.matches('ol, ul, table') ? e : e.querySelector('ol, ul, table');
                  return {heading: h.textContent.trim(),
                          items: list ? list.querySelectorAll('li, tbody tr').length : 0};",
            )
            .await?;
        ensure!(
            development["items"].as_u64().unwrap_or(0) > 0,
            "no development list (a heading mentioning development with a non-empty list \
             below it) on the gap report: {development}"
        );
        b.screenshot("gap-report").await?;

        // The same report at phone width.
        b.client.set_window_size(400, 1000).await?;
        b.settle().await;
        let overflow = b
            .js("return [document.documentElement.scrollWidth, window.innerWidth]")
            .await?;
        println!("gap report at phone width: [scrollWidth, innerWidth] = {overflow}");
        b.save_png("gap-report-phone", &b.client.screenshot().await?)?;
        b.screenshot("gap-report-phone-full").await
    });
}

/// Team: Grace Okafor's page has the heatmap with a row per member of her team (8), and the CSV
/// download link, which answers a CSV with a header and one line per member.
#[test]
fn browser_team_heatmap() {
    browser_test("team", |b| async move {
        b.goto("/teams/grace-okafor").await?;
        let heatmap = b
            .wait_js_with(
                "the heatmap: a table marked as a heatmap (class, id, caption, aria-label or \
                 heading mentioning \"heat\") with the team's names in its rows",
                r"const names = arguments[0];
                  const marks = t => {
                      const s = t.closest('section, figure, [role=region]');
                      return [t.className, t.id, t.caption?.textContent, t.getAttribute('aria-label'),
                              s?.className, s?.id, s?.getAttribute('aria-label'),
                              s?.querySelector('h2, h3')?.textContent].join(' ');
                  };
                  const tables = [...document.querySelectorAll('main table')];
                  const t = tables.find(t => /heat/i.test(marks(t)));
                  if (!t) return null;
                  const rows = [...t.tBodies].flatMap(b => [...b.rows]);
                  return {rows: rows.length,
                          columns: Math.max(0, ...rows.map(r => r.cells.length)),
                          missing: names.filter(n => !rows.some(r => r.cells[0]
                              && r.cells[0].textContent.includes(n)))};",
                vec![json!(GRACE_TEAM)],
            )
            .await?;
        ensure!(
            heatmap["rows"] == 8 && heatmap["missing"] == json!([]),
            "the heatmap should have one row per member of the team (8): {heatmap}"
        );
        ensure!(
            heatmap["columns"].as_u64().unwrap_or(0) > 2,
            "the heatmap has no skill columns: {heatmap}"
        );

        let href = b
            .js(r"const a = [...document.querySelectorAll('a[href]')]
                      .find(a => new URL(a.href).pathname === '/teams/grace-okafor.csv');
                  return a ? a.href : null;")
            .await?;
        let href = href
            .as_str()
            .context("no link to /teams/grace-okafor.csv (the CSV download)")?
            .to_owned();
        let csv = b
            .client
            .execute_async(
                r"const done = arguments[arguments.length - 1];
                  fetch(arguments[0])
                      .then(r => r.text().then(text => done({status: r.status,
                          type: r.headers.get('content-type'), text})))
                      .catch(e => done({error: String(e)}));",
                vec![json!(href)],
            )
            .await?;
        ensure!(
            csv["status"] == 200
                && csv["type"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("text/csv")),
            "the CSV link {href} did not answer a CSV: {csv}"
        );
        let text = csv["text"].as_str().unwrap_or_default();
        let lines: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
        // One line per person and skill (the demo team's roles ask five), levels apart.
        ensure!(
            lines.first().is_some_and(|l| {
                *l == "person,key,role,grade,readiness,skill,held,required,status"
            }) && lines.len() == 1 + GRACE_TEAM.len() * 5,
            "the team CSV should have a header and 8 x 5 lines:\n{text}"
        );
        b.screenshot("team-heatmap").await
    });
}

/// Job description: the page at G7, printed through WebDriver's Print Page to a PDF, with the
/// navigation and the buttons hidden by the print stylesheet.
#[test]
fn browser_job_description_prints() {
    browser_test("jd", |b| async move {
        b.goto("/roles/odp:operations-manager/jd?grade=G7").await?;
        let title = b
            .wait_js(
                "the job description's heading",
                r"const h = document.querySelector('main article h1, main h1');
                  return h ? h.textContent.trim() : null;",
            )
            .await?;
        ensure!(
            title
                .as_str()
                .is_some_and(|t| t.contains("Operations Manager")),
            "the job description is headed {title}"
        );
        let body = b.js("return document.body.innerText").await?;
        ensure!(
            body.as_str().is_some_and(|t| t.contains("G7")),
            "the job description does not give its grade, G7"
        );
        let print_button = b
            .js(r"const p = [...document.querySelectorAll('button, a')]
                      .find(e => e.textContent.trim() === 'Print');
                  return p ? p.getBoundingClientRect().width > 0 : null;")
            .await?;
        ensure!(
            print_button == true,
            "the job description has no visible Print button on screen: {print_button}"
        );
        b.screenshot("jd-screen").await?;

        let config = PrintConfiguration::builder()
            .build()
            .map_err(|e| anyhow!("a print configuration: {e:?}"))?;
        let pdf = b.client.print(config).await.context("print the page")?;
        b.save("jd-print.pdf", &pdf)?;
        ensure!(
            pdf.starts_with(b"%PDF-") && pdf.len() > 4096,
            "the printed job description is not a plausible PDF ({} bytes, starting {:?})",
            pdf.len(),
            String::from_utf8_lossy(&pdf[..pdf.len().min(16)])
        );

        // What the print stylesheet hides: `display: none` rules under `@media print` (or in a
        // print-only stylesheet), applied to each element or one of its ancestors.
        let print = b
            .js(r"const rules = [];
                  const isPrint = m => [...m].some(x => /^\s*(only\s+)?print\b/i.test(x));
                  const collect = (list, print) => {
                      for (const r of list) {
                          if (r instanceof CSSMediaRule) collect(r.cssRules, print || isPrint(r.media));
                          else if (r instanceof CSSStyleRule) {
                              if (print && r.style.display === 'none') rules.push(r.selectorText);
                              if (r.cssRules && r.cssRules.length) collect(r.cssRules, print);
                          } else if (r.cssRules) collect(r.cssRules, print);
                      }
                  };
                  for (const s of document.styleSheets) {
                      let list;
                      try { list = s.cssRules; } catch (e) { continue; }
                      collect(list, isPrint(s.media));
                  }
                  const hit = e => rules.some(sel => { try { return e.matches(sel); } catch (x) { return false; } });
                  const hidden = e => { for (let a = e; a; a = a.parentElement) if (hit(a)) return true; return false; };
                  const shown = [...document.querySelectorAll('nav, button, a.button, select')]
                      .filter(e => !hidden(e))
                      .map(e => e.outerHTML.slice(0, 100));
                  return {rules, shown};")
            .await?;
        ensure!(
            print["rules"].as_array().is_some_and(|r| !r.is_empty()),
            "no `@media print` rule hides anything: {print}"
        );
        ensure!(
            print["shown"] == json!([]),
            "in print, these navigation elements and buttons are not hidden: {}",
            print["shown"]
        );
        Ok(())
    });
}

/// Compare on a large database (400 more roles): the role pickers are typed fields; typing part
/// of a title offers it, the arrow keys and Enter put it in the field without leaving the page,
/// and submitting compares the two roles.
#[test]
fn browser_compare_roles_typed_on_a_large_database() {
    browser_test_on("compare-typed", import_many_roles, |b| async move {
        b.goto("/compare").await?;
        for (id, typed, wanted) in [
            ("cmp-a", "archive spec", "Archive specialist 1"),
            ("cmp-b", "bakery specialist 2", "Bakery specialist 2"),
        ] {
            let field = b
                .find(
                    &format!("the typed role field #{id}"),
                    Locator::Css(&format!("input#{id}[role=combobox]")),
                )
                .await?;
            field.click().await?;
            field.send_keys(typed).await?;
            let options = b
                .wait_js_with(
                    &format!("the suggestions of #{id} offer {wanted:?}"),
                    r"const list = document.getElementById(arguments[0] + '-options');
                      if (!list || list.hidden) return null;
                      const opts = [...list.querySelectorAll('[role=option]')]
                          .map(o => o.textContent.trim().replace(/\s+/g, ' '));
                      return opts.some(t => t.startsWith(arguments[1] + ' ·')) ? opts : null;",
                    vec![json!(id), json!(wanted)],
                )
                .await?;
            let count = options.as_array().map_or(0, Vec::len);
            let mut active = Value::Null;
            for _ in 0..count {
                b.client
                    .active_element()
                    .await?
                    .send_keys(&Key::Down)
                    .await?;
                active = b
                    .client
                    .execute(
                        r"const q = document.getElementById(arguments[0]);
                          const id = q && q.getAttribute('aria-activedescendant');
                          const el = id && document.getElementById(id);
                          return el ? el.textContent.trim().replace(/\s+/g, ' ') : null;",
                        vec![json!(id)],
                    )
                    .await?;
                if active
                    .as_str()
                    .is_some_and(|t| t.starts_with(&format!("{wanted} ·")))
                {
                    break;
                }
            }
            ensure!(
                active
                    .as_str()
                    .is_some_and(|t| t.starts_with(&format!("{wanted} ·"))),
                "the down arrow never made {wanted:?} the active option of #{id}; options: \
                 {options}; last active: {active}"
            );
            if id == "cmp-b" {
                b.screenshot("compare-typed-suggestions").await?;
            }
            b.client
                .active_element()
                .await?
                .send_keys(&Key::Enter)
                .await?;
            let filled = b
                .wait_js_with(
                    &format!(
                        "#{id} filled in with {wanted:?}, its suggestions closed, still on /compare"
                    ),
                    r"const q = document.getElementById(arguments[0]);
                      const list = document.getElementById(arguments[0] + '-options');
                      return location.pathname === '/compare' && q.value === arguments[1]
                          && list.hidden && q.getAttribute('aria-expanded') === 'false'
                          ? q.value : null;",
                    vec![json!(id), json!(wanted)],
                )
                .await?;
            ensure!(filled == wanted, "#{id} holds {filled}");
        }
        b.screenshot("compare-typed-form").await?;
        b.find(
            "the compare form's button",
            Locator::XPath("//form[@action='/compare']//button[@type='submit']"),
        )
        .await?
        .click()
        .await?;
        let heading = b
            .wait_js(
                "the comparison of Archive specialist 1 and Bakery specialist 2",
                r"const h1 = document.querySelector('h1');
                  const p = new URLSearchParams(location.search);
                  return p.get('a') && p.get('b') && h1 && /Archive specialist 1/.test(h1.textContent)
                      && /Bakery specialist 2/.test(h1.textContent) ? h1.textContent.trim() : null;",
            )
            .await?;
        let body = b
            .js("return document.querySelector('main').innerText")
            .await?;
        ensure!(
            body.as_str()
                .is_some_and(|t| t.contains("Shared skills (1)") && t.contains("Core craft")),
            "the comparison ({heading}) does not show the shared skill:\n{body}"
        );
        b.screenshot("compare-typed-result").await
    });
}

/// A framework of 400 generated roles ("Archive specialist 1", "Bakery specialist 1", ...), each
/// requiring one or two skills, imported into the test's database before the server starts.
fn import_many_roles(dir: &Path) {
    const WORDS: [&str; 26] = [
        "Archive",
        "Bakery",
        "Cargo",
        "Dairy",
        "Energy",
        "Forest",
        "Garden",
        "Harbour",
        "Insurance",
        "Jewellery",
        "Kitchen",
        "Laundry",
        "Market",
        "Nursery",
        "Office",
        "Print",
        "Quarry",
        "Rail",
        "Salon",
        "Textile",
        "Upholstery",
        "Vineyard",
        "Warehouse",
        "Xylophone",
        "Yacht",
        "Zoo",
    ];
    let mut toml = String::from(
        "[framework]\nkey = \"big\"\nname = \"Big generated framework\"\nversion = \"1\"\n\
         source = \"Generated for the tests\"\nlicence = \"Test licence\"\n\
         attribution = \"Generated test data\"\n\n\
         [[skills]]\nkey = \"core\"\nlabel = \"Core craft\"\ndescription = \"The trade itself.\"\nkind = \"skill\"\n\n\
         [[skills]]\nkey = \"care\"\nlabel = \"Customer care\"\ndescription = \"Looking after customers.\"\nkind = \"skill\"\n\n",
    );
    for i in 0..400 {
        toml.push_str(&format!(
            "[[roles]]\nkey = \"r{i}\"\ntitle = \"{} specialist {}\"\n\n\
             [[roles.requirements]]\nskill = \"core\"\nimportance = \"essential\"\n\n",
            WORDS[i % 26],
            i / 26 + 1
        ));
        if i % 2 == 0 {
            toml.push_str(
                "[[roles.requirements]]\nskill = \"care\"\nimportance = \"optional\"\n\n",
            );
        }
    }
    let file = dir.join("big.toml");
    fs::write(&file, toml).expect("write the generated framework");
    let file = file.to_str().expect("a UTF-8 path");
    crate::ok(&dir.join("b.db"), &["import", "framework", file]);
}
