//! Browser scenario for signing in: a wrong password is refused on the form, the demo employee
//! signs in and is sent back where they came from with their name in the header, and signs out.

use anyhow::ensure;
use fantoccini::Locator;

use super::harness::*;

async fn header(b: &Browser) -> anyhow::Result<String> {
    Ok(b.find(
        "the header's account line",
        Locator::Css(".site-header .account"),
    )
    .await?
    .text()
    .await?
    // The line's parts are flex items, each on a line of its own in `innerText`.
    .split_whitespace()
    .collect::<Vec<_>>()
    .join(" "))
}

async fn sign_in(b: &Browser, username: &str, password: &str) -> anyhow::Result<()> {
    b.by_label("Username").await?.send_keys(username).await?;
    b.by_label("Password").await?.send_keys(password).await?;
    b.find(
        "the sign-in button",
        Locator::XPath("//form[@action='/login']//button"),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

#[test]
fn browser_sign_in_shows_the_user_and_sign_out_ends_it() {
    browser_test_as(
        "sign-in",
        None,
        |_| {},
        |b| async move {
            b.goto("/people").await?;
            ensure!(header(&b).await? == "Sign in", "anonymous header");
            b.goto("/login?next=/people").await?;
            sign_in(&b, "daniel", "not the password").await?;
            b.wait_js(
                "the form says the password was wrong",
                "return document.body.innerText.includes('Wrong username or password.') || null",
            )
            .await?;
            // The username is kept; the password is typed again.
            b.by_label("Password")
                .await?
                .send_keys(rolemap_service::DEMO_PASSWORD)
                .await?;
            b.find(
                "the sign-in button",
                Locator::XPath("//form[@action='/login']//button"),
            )
            .await?
            .click()
            .await?;
            b.wait_js(
            "the people page with Daniel signed in",
            "return (location.pathname === '/people' && document.querySelector('.site-header .account')?.innerText.includes('Daniel Mensah')) || null",
        )
        .await?;
            let line = header(&b).await?;
            ensure!(
                line.contains("Signed in as Daniel Mensah (employee)"),
                "header: {line}"
            );
            b.screenshot("signed-in").await?;
            b.find(
                "the sign-out button",
                Locator::XPath("//header//form[@action='/logout']//button"),
            )
            .await?
            .click()
            .await?;
            b.wait_js(
            "the header offers to sign in again",
            "return document.querySelector('.site-header .account')?.innerText.trim() === 'Sign in' || null",
        )
        .await?;
            Ok(())
        },
    );
}
