//! Browser scenario for the manager's review and development plans: Daniel rates himself on two
//! skills and adds a goal from his gap page; Aisha, his manager, finds both self-ratings waiting
//! on her team page, agrees with one and sets another level with a note, and sees his goal
//! listed as due; Daniel then reads the outcome of both reviews on his own page.

use anyhow::ensure;
use fantoccini::Locator;

use super::harness::*;

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

/// Clicks the option of a skill's fieldset on the assessment form whose label starts so.
async fn pick(b: &Browser, skill: &str, option: &str) -> anyhow::Result<()> {
    b.find(
        &format!("the option {option:?} of {skill:?}"),
        Locator::XPath(&format!(
            "//fieldset[.//span[@class='skill-name' and normalize-space(.)={}]]//label[starts-with(normalize-space(.), {})]",
            xpath_literal(skill),
            xpath_literal(option)
        )),
    )
    .await?
    .click()
    .await?;
    Ok(())
}

/// The button whose `aria-label` starts so.
async fn button(b: &Browser, label: &str) -> anyhow::Result<fantoccini::elements::Element> {
    b.find(
        &format!("the button {label:?}"),
        Locator::XPath(&format!(
            "//button[starts-with(@aria-label, {})]",
            xpath_literal(label)
        )),
    )
    .await
}

fn main_text_has(needle: &str) -> String {
    format!(
        "return document.querySelector('main')?.innerText.includes({}) || null",
        serde_json::Value::from(needle)
    )
}

#[test]
fn browser_manager_reviews_self_ratings_and_sees_a_goal_come_due() {
    let due = rolemap_service::add_days(rolemap_service::day_of(&rolemap_service::now()), 14);
    browser_test_as(
        "review",
        Some("daniel"),
        |_| {},
        move |b| async move {
            // Daniel rates himself a level up on two skills.
            b.goto("/assess?role=odp:front-line-help-and-advice&person=daniel-mensah")
                .await?;
            pick(&b, "Data and insight (core skill)", "Practitioner").await?;
            pick(&b, "Adaptability to change", "Practitioner").await?;
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
            "Daniel's gap page with the goal forms",
            "return (location.pathname === '/people/daniel-mensah/gap' && document.getElementById('add-goal')) || null",
        )
        .await?;

            // A goal from the gap, due in two weeks.
            let skill = b
                .js(r"const f = document.querySelector('#add-goal form');
                  return f ? f.querySelector('.goal-offer-skill').textContent.trim() : null;")
                .await?;
            let skill = skill.as_str().unwrap_or_default().to_owned();
            ensure!(!skill.is_empty(), "the gap page offers no skill as a goal");
            b.js(&format!(
                r"const f = document.querySelector('#add-goal form');
              f.querySelector('input[name=due]').value = {};
              f.querySelector('input[name=note]').value = 'Shadow Aisha on the weekly report';
              return true;",
                serde_json::Value::from(due.as_str())
            ))
            .await?;
            b.screenshot("review-daniel-gap-goal").await?;
            button(&b, &format!("Add a goal: {skill}"))
                .await?
                .click()
                .await?;
            b.wait_js(
                "Daniel's page with the goal and its chart",
                r"return (location.pathname === '/people/daniel-mensah'
                && document.querySelector('#plan svg.goal-chart')
                && document.querySelector('#plan').innerText.includes('Shadow Aisha')) || null",
            )
            .await?;
            b.screenshot("review-daniel-plan").await?;
            sign_out(&b).await?;

            // Aisha reviews: agrees with one, sets another level with a note.
            b.sign_in("aisha").await?;
            b.goto("/teams/aisha-rahman").await?;
            b.wait_js(
            "Daniel's self-ratings waiting on Aisha's team page",
            r"const s = document.getElementById('reviews');
              return (s && s.innerText.includes('Daniel Mensah') && s.innerText.includes('Adaptability to change')) || null",
        )
        .await?;
            b.screenshot("review-aisha-waiting").await?;
            button(&b, "Agree: Daniel Mensah, Data and insight")
                .await?
                .click()
                .await?;
            b.wait_js(
                "the team page again, Data and insight no longer waiting for Daniel",
                r"const s = document.getElementById('reviews');
              const daniel = s && [...s.querySelectorAll('.review-person')]
                  .find(p => p.innerText.includes('Daniel Mensah'));
              return (location.pathname === '/teams/aisha-rahman' && daniel
                  && !daniel.innerText.includes('Data and insight')) || null",
            )
            .await?;
            let changed = b
            .js(r"const s = document.getElementById('reviews');
                  const item = [...s.querySelectorAll('.review-item')].find(i =>
                      i.closest('.review-person').innerText.includes('Daniel Mensah')
                      && i.innerText.includes('Adaptability to change'));
                  if (!item) return null;
                  item.querySelector('details').open = true;
                  item.querySelector('select[name=level]').value = 'W';
                  item.querySelector('input[name=note]').value = 'Not yet: lead one change on your own first';
                  return true;")
            .await?;
            ensure!(
                changed == true,
                "no waiting item for Daniel's Adaptability to change"
            );
            b.screenshot("review-aisha-change").await?;
            button(
                &b,
                "Save the level for Daniel Mensah, Adaptability to change",
            )
            .await?
            .click()
            .await?;
            b.wait_js(
            "nothing of Daniel's waiting any more, and his goal listed as due",
            &format!(
                r#"const s = document.getElementById('reviews');
                  const g = document.getElementById('goals');
                  const waiting = [...s.querySelectorAll('.review-person')]
                      .some(p => p.innerText.includes('Daniel Mensah'));
                  const row = g && [...g.querySelectorAll('tr')].find(r =>
                      r.innerText.includes('Daniel Mensah') && r.querySelector('time[datetime="{due}"]'));
                  return (!waiting && row) ? row.innerText : null;"#
            ),
        )
        .await?;
            b.screenshot("review-aisha-done").await?;
            sign_out(&b).await?;

            // Daniel reads the outcomes.
            b.sign_in("daniel").await?;
            b.goto("/people/daniel-mensah").await?;
            b.wait_js(
                "the agreed outcome",
                &main_text_has("agreed by Aisha Rahman"),
            )
            .await?;
            b.wait_js(
                "the changed outcome with its note",
                &main_text_has("Not yet: lead one change on your own first"),
            )
            .await?;
            let text = b
                .js("return document.getElementById('reviews').innerText")
                .await?;
            ensure!(
                text.as_str()
                    .is_some_and(|t| t.contains("changed to Working (W) by Aisha Rahman")),
                "the outcome of the change: {text}"
            );
            b.screenshot("review-daniel-outcome").await?;
            Ok(())
        },
    );
}
