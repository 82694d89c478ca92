//! Browser scenario for who sees what: the demo employee Daniel signs in and rates himself; his
//! manager Aisha signs in and finds him on her team page with his rating; another employee, Mei,
//! signs in and is refused Daniel's gap page with the 403 page.

use anyhow::ensure;
use fantoccini::Locator;

use super::harness::*;

/// Sets up the demo database and adds Mei Chen's user (an employee), before the server starts.
fn add_another_employee(dir: &std::path::Path) {
    use std::io::Write;
    let db = dir.join("b.db");
    crate::ok(&db, &["init", "--demo"]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rolemap"))
        .arg("--db")
        .arg(&db)
        .args([
            "user",
            "add",
            "mei",
            "--role",
            "employee",
            "--person",
            "mei-chen",
            "--password-stdin",
        ])
        .env_remove("ROLEMAP_DB")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run rolemap user add");
    let password = format!("{}\n", rolemap_service::DEMO_PASSWORD);
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(password.as_bytes())
        .expect("write the password");
    assert!(child.wait().expect("user add").success(), "user add failed");
}

async fn sign_out(b: &Browser) -> anyhow::Result<()> {
    b.find(
        "the sign-out button",
        Locator::XPath("//header//form[@action='/logout']//button"),
    )
    .await?
    .click()
    .await?;
    b.wait_js(
        "signed out",
        "return document.querySelector('.site-header .account')?.innerText.trim() === 'Sign in' || null",
    )
    .await?;
    Ok(())
}

#[test]
fn browser_employee_rates_himself_manager_sees_him_another_is_refused() {
    browser_test_as(
        "permissions",
        Some("daniel"),
        add_another_employee,
        |b| async move {
            // Daniel's own form: he is the only person offered, and saving rates him as himself.
            b.goto("/assess?role=odp:team-leader&person=daniel-mensah")
                .await?;
            let offered = b
                .wait_js(
                    "the people offered on the form",
                    r"const s = document.querySelector('select[name=person]');
                      return s ? [...s.options].map(o => o.value).filter(v => v) : null;",
                )
                .await?;
            ensure!(
                offered == serde_json::json!(["daniel-mensah"]),
                "an employee is offered only himself: {offered}"
            );
            let label = b
                .find(
                    "an option of Adaptability to change",
                    Locator::XPath(
                        "//fieldset[.//span[@class='skill-name' and normalize-space(.)='Adaptability to change']]//label[starts-with(normalize-space(.), 'Expert')]",
                    ),
                )
                .await?;
            label.click().await?;
            b.screenshot("permissions-daniel-assess").await?;
            b.find(
                "the ratings form's submit button",
                Locator::XPath(
                    "//form[@method='post']//button[starts-with(normalize-space(.), 'Save my ratings')]",
                ),
            )
            .await?
            .click()
            .await?;
            b.wait_js(
                "Daniel's gap page after saving",
                "return location.pathname === '/people/daniel-mensah/gap' || null",
            )
            .await?;
            let source = b
                .client
                .execute_async(
                    r"const done = arguments[arguments.length - 1];
                      fetch('/api/v1/people/daniel-mensah').then(r => r.json())
                          .then(p => done(p.history[p.history.length - 1].source), e => done(String(e)));",
                    vec![],
                )
                .await?;
            ensure!(
                source == "self",
                "Daniel's own rating is stored as {source}"
            );
            b.screenshot("permissions-daniel-gap").await?;
            sign_out(&b).await?;

            // Aisha, his manager, sees him on her team page.
            b.sign_in("aisha").await?;
            b.goto("/teams/aisha-rahman").await?;
            b.wait_js(
                "Daniel on Aisha's team page",
                "return document.querySelector('main')?.innerText.includes('Daniel Mensah') || null",
            )
            .await?;
            b.screenshot("permissions-aisha-team").await?;
            sign_out(&b).await?;

            // Mei, another employee, is refused Daniel's gap page.
            b.sign_in("mei").await?;
            b.goto("/people/daniel-mensah/gap").await?;
            let refused = b
                .wait_js(
                    "the 403 page",
                    r"const h = document.querySelector('h1')?.textContent ?? '';
                      return h.includes('Not allowed') ? document.body.innerText : null;",
                )
                .await?;
            ensure!(
                !refused.to_string().contains("Daniel Mensah"),
                "the refusal shows nothing of Daniel: {refused}"
            );
            b.screenshot("permissions-mei-refused").await?;
            Ok(())
        },
    );
}
