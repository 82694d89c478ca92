//! Browser tests: the real server (`rolemap serve --demo`) and headless Chromium, driven through
//! chromedriver (WebDriver) with fantoccini, walking what a person does: search and open a role,
//! rate themselves and read the gap report, open a team's heatmap, print a job description, and
//! on a large database pick two roles by typing part of their titles and compare them.
//!
//! Each test starts its own server on a fresh database and its own chromedriver, one browser at a
//! time; every process is killed when the test ends, however it ends. Screenshots (full page) and
//! the printed PDF are saved under `target/test-artifacts/browser/`, and on a failure the page's
//! screenshot and HTML as `<test>-failure.png` and `.html`.
//!
//! Where Chromium (`/usr/bin/chromium`) or chromedriver is missing the tests say so and pass, except
//! when `CI` is set: there a missing browser fails them, so CI cannot skip them silently.

#![cfg(unix)]

use std::fs::{self, File};
use std::future::Future;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use fantoccini::key::Key;
use fantoccini::wd::{Capabilities, PrintConfiguration};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const MISSING: &str =
    "chromium/chromedriver not installed (apt-get install chromium chromium-driver)";

/// How long one wait for something on a page may take.
const WAIT: Duration = Duration::from_secs(10);
/// How long one whole scenario may take, browser start-up excluded.
const SCENARIO: Duration = Duration::from_secs(45);
/// How long the server and chromedriver may take to answer after they are started.
const START: Duration = Duration::from_secs(20);

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
        ensure!(
            lines
                .first()
                .is_some_and(|l| l.starts_with("person,role,grade,readiness"))
                && lines.len() == 1 + GRACE_TEAM.len(),
            "the team CSV should have a header and 8 lines:\n{text}"
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

// ---------------------------------------------------------------------------------------------
// The harness

/// One browser at a time: two cores run Chromium, the server and the other tests.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Whether CI runs this (`CI` set to anything but empty, `false` or `0`).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn chromedriver() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("chromedriver"))
        .find(|p| p.is_file())
}

/// Where screenshots and PDFs go: `<workspace>/target/test-artifacts/browser/`.
fn artifacts() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest.ancestors().nth(2).unwrap_or(manifest);
    workspace.join("target/test-artifacts/browser")
}

/// Runs one scenario against a fresh server and browser; skips (or, under CI, fails) without a
/// browser; fails with the scenario's error, the page's address and the server's log.
fn browser_test<F, Fut>(name: &'static str, scenario: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    browser_test_on(name, |_| {}, scenario);
}

/// As [`browser_test`], with `prepare` run on the test's directory (its database is `b.db`)
/// before the server starts.
fn browser_test_on<F, Fut>(name: &'static str, prepare: impl FnOnce(&Path), scenario: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = Result<()>> + Send + 'static,
{
    let Some(driver_bin) = chromedriver().filter(|_| Path::new(CHROMIUM).is_file()) else {
        assert!(
            !in_ci(),
            "{MISSING}, and CI is set: there the browser tests must run, not skip"
        );
        println!("skipped: {MISSING}");
        return;
    };
    let _one = ONE_BROWSER.lock().unwrap_or_else(PoisonError::into_inner);
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temporary directory");
    fs::create_dir_all(artifacts()).expect("create target/test-artifacts/browser");
    for stale in ["png", "html"] {
        let _ = fs::remove_file(artifacts().join(format!("{name}-failure.{stale}")));
    }

    prepare(dir.path());
    let server = Server::start(dir.path());
    let driver = Driver::start(&driver_bin, dir.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let profile = dir.path().join("chromium-profile");
    let outcome: Result<(), String> = runtime.block_on(async {
        let client = connect(driver.port, &profile)
            .await
            .map_err(|e| format!("{e:#}\n-- chromedriver log --\n{}", driver.log()))?;
        let browser = Browser {
            client: client.clone(),
            base: format!("http://127.0.0.1:{}", server.port),
        };
        let run = tokio::spawn(tokio::time::timeout(SCENARIO, scenario(browser)));
        let result = match run.await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(format!("{e:#}")),
            Ok(Err(_)) => Err(format!("the scenario took longer than {SCENARIO:?}")),
            Err(e) if e.is_panic() => Err(panic_text(e.into_panic())),
            Err(e) => Err(e.to_string()),
        };
        let result = match result {
            Ok(()) => Ok(()),
            Err(e) => Err(format!("{e}\n{}", keep_failure(&client, name).await)),
        };
        // Closing the session ends Chromium; the guards kill whatever is left.
        let _ = client.close().await;
        result
    });
    println!(
        "browser test {name}: {:.1} s; artefacts in {}",
        started.elapsed().as_secs_f64(),
        artifacts().display()
    );
    if let Err(message) = outcome {
        panic!(
            "browser test {name} failed: {message}\n-- server log (last lines) --\n{}",
            server.log()
        );
    }
}

fn panic_text(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "the scenario panicked".to_owned())
}

/// Saves the page as it was when the scenario failed; says where, and at which address.
async fn keep_failure(client: &Client, name: &str) -> String {
    let url = client
        .current_url()
        .await
        .map_or_else(|e| format!("(unknown: {e})"), |u| u.to_string());
    let dir = artifacts();
    if let Ok(png) = client.screenshot().await {
        let _ = fs::write(dir.join(format!("{name}-failure.png")), png);
    }
    if let Ok(html) = client.source().await {
        let _ = fs::write(dir.join(format!("{name}-failure.html")), html);
    }
    format!(
        "page: {url}; its screenshot and HTML: {}",
        dir.join(format!("{name}-failure.{{png,html}}")).display()
    )
}

async fn connect(port: u16, profile: &Path) -> Result<Client> {
    let mut capabilities = Capabilities::new();
    capabilities.insert(
        "goog:chromeOptions".to_owned(),
        json!({
            "binary": CHROMIUM,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--window-size=1280,1600",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .context("start a Chromium session through chromedriver")
}

/// The page under test.
#[derive(Debug)]
struct Browser {
    client: Client,
    base: String,
}

impl Browser {
    async fn goto(&self, path: &str) -> Result<()> {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .with_context(|| format!("open {path}"))
    }

    async fn find(
        &self,
        what: &str,
        locator: Locator<'_>,
    ) -> Result<fantoccini::elements::Element> {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(locator)
            .await
            .with_context(|| format!("find {what}"))
    }

    /// The form control the first `<label>` with exactly this text (ignoring markup and spacing)
    /// is for.
    async fn by_label(&self, text: &str) -> Result<fantoccini::elements::Element> {
        let label = self
            .find(
                &format!("the label {text:?}"),
                Locator::XPath(&format!(
                    "//label[normalize-space(.) = {}]",
                    xpath_literal(text)
                )),
            )
            .await?;
        let id = label
            .attr("for")
            .await?
            .with_context(|| format!("the label {text:?} has no `for`"))?;
        self.client
            .find(Locator::Id(&id))
            .await
            .with_context(|| format!("the control #{id} of the label {text:?}"))
    }

    /// Runs a script (a function body; `return` gives the value).
    async fn js(&self, script: &str) -> Result<Value> {
        self.client
            .execute(script, Vec::new())
            .await
            .with_context(|| format!("run the script\n{script}"))
    }

    /// Runs a script until it returns something other than null, false, 0 or "".
    async fn wait_js(&self, what: &str, script: &str) -> Result<Value> {
        self.wait_js_with(what, script, Vec::new()).await
    }

    async fn wait_js_with(&self, what: &str, script: &str, args: Vec<Value>) -> Result<Value> {
        let until = Instant::now() + WAIT;
        loop {
            let value = self
                .client
                .execute(script, args.clone())
                .await
                .with_context(|| format!("wait for {what}"))?;
            let empty = match &value {
                Value::Null => true,
                Value::Bool(b) => !b,
                Value::Number(n) => n.as_f64() == Some(0.0),
                Value::String(s) => s.is_empty(),
                _ => false,
            };
            if !empty {
                return Ok(value);
            }
            if Instant::now() > until {
                bail!("waited {WAIT:?} for {what}, in vain");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Lets the page lay itself out again after the window changed size.
    async fn settle(&self) {
        let _ = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                Vec::new(),
            )
            .await;
    }

    /// A screenshot of the whole page at the window's width, saved as `<name>.png`.
    async fn screenshot(&self, name: &str) -> Result<()> {
        let (width, height) = self.client.get_window_size().await?;
        let sizes = self
            .js("return [document.documentElement.scrollHeight, window.innerHeight]")
            .await?;
        let (page, viewport) = (
            sizes[0].as_u64().unwrap_or(height),
            sizes[1].as_u64().unwrap_or(height),
        );
        // The window is taller than its viewport by the browser's own frame.
        let tall = (height.saturating_sub(viewport) + page).clamp(height, 8000);
        let (width, height) = (u32::try_from(width)?, u32::try_from(height)?);
        self.client
            .set_window_size(width, u32::try_from(tall)?)
            .await?;
        self.settle().await;
        let png = self.client.screenshot().await;
        self.client.set_window_size(width, height).await?;
        self.settle().await;
        self.save_png(name, &png.context("take a screenshot")?)
    }

    fn save_png(&self, name: &str, png: &[u8]) -> Result<()> {
        self.save(&format!("{name}.png"), png)
    }

    fn save(&self, file: &str, bytes: &[u8]) -> Result<()> {
        let path = artifacts().join(file);
        fs::write(&path, bytes).with_context(|| format!("write {}", path.display()))
    }
}

/// A string as an XPath 1.0 literal.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

// ---------------------------------------------------------------------------------------------
// The processes

/// A free port on the loopback interface (free when asked; the OS could reuse it, rarely).
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free port on 127.0.0.1")
        .port()
}

/// A plain HTTP/1.1 GET on the loopback interface: the status and the body, or None. Reads up to
/// the end of the stream or `Content-Length`, whichever comes first (chromedriver keeps the
/// connection open).
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(1)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = Vec::new();
    let mut buf = [0_u8; 8192];
    loop {
        let n = stream.read(&mut buf).ok()?;
        response.extend_from_slice(&buf[..n]);
        let text = String::from_utf8_lossy(&response);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head.lines().find_map(|l| {
                let (name, value) = l.split_once(':')?;
                name.eq_ignore_ascii_case("content-length")
                    .then(|| value.trim().parse::<usize>().ok())?
            });
            if n == 0 || length.is_some_and(|len| body.len() >= len) {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                return Some((status, body.to_owned()));
            }
        }
        if n == 0 {
            return None;
        }
    }
}

/// A child process with its output in a log file; killed (with its process group) on drop.
#[derive(Debug)]
struct Process {
    child: Child,
    log: PathBuf,
    port: u16,
}

impl Process {
    fn spawn(mut command: Command, log: PathBuf, port: u16) -> Process {
        let out = File::create(&log).expect("create a log file");
        let err = out.try_clone().expect("clone the log file");
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            // Its own process group, so that what it starts (Chromium) is killed with it.
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("start {command:?}: {e}"));
        Process { child, log, port }
    }

    /// The last lines of the log.
    fn log(&self) -> String {
        let text = fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Waits until GET `path` answers 200 with a body containing `needle`.
    fn wait_ready(&mut self, what: &str, path: &str, needle: &str) {
        let until = Instant::now() + START;
        loop {
            if let Some((200, body)) = http_get(self.port, path)
                && body.contains(needle)
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{what} exited ({status}) before answering:\n{}", self.log());
            }
            assert!(
                Instant::now() < until,
                "{what} did not answer {path} within {START:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let group = format!("-{}", self.child.id());
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// `rolemap --db DIR/b.db serve --demo --addr 127.0.0.1:PORT`, answering /healthz.
#[derive(Debug)]
struct Server(Process);

impl Server {
    fn start(dir: &Path) -> Server {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_rolemap"));
        command
            .arg("--db")
            .arg(dir.join("b.db"))
            .args(["serve", "--demo", "--addr", &format!("127.0.0.1:{port}")])
            .env_remove("ROLEMAP_DB")
            .env_remove("ROLEMAP_ADDR")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1");
        let mut process = Process::spawn(command, dir.join("server.log"), port);
        process.wait_ready("the rolemap server", "/healthz", "");
        Server(process)
    }
}

impl std::ops::Deref for Server {
    type Target = Process;
    fn deref(&self) -> &Process {
        &self.0
    }
}

/// `chromedriver --port=PORT`, ready for a session.
#[derive(Debug)]
struct Driver(Process);

impl Driver {
    fn start(bin: &Path, dir: &Path) -> Driver {
        let port = free_port();
        let mut command = Command::new(bin);
        command.arg(format!("--port={port}"));
        let mut process = Process::spawn(command, dir.join("chromedriver.log"), port);
        process.wait_ready("chromedriver", "/status", "\"ready\":true");
        Driver(process)
    }
}

impl std::ops::Deref for Driver {
    type Target = Process;
    fn deref(&self) -> &Process {
        &self.0
    }
}
