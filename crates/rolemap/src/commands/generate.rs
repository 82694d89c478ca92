//! `rolemap demo --generate`: an invented organisation of any size on the built-in framework,
//! for demonstrations and for measuring rolemap at scale (`scripts/bench-scale.sh`).
//!
//! The tree: one head, then layers of managers whose spans follow from the size of what is
//! below them. A manager with `below` people picks the largest of [`LAYERS`] that still gives
//! them two or more reports, and splits `below` among that many reports, each share drawn
//! within ±15% of an equal one; someone with too few below for any layer manages them all
//! directly. So 100,000 people come out as a head, 8 directors of ~12,500, units of ~2,000
//! (the size of the team page's benchmark), managers of ~250 and ~40 and team leaders of ~8.
//! Roles and grades follow the size of a person's tree; everyone else is on a front-line or
//! support role at one of its grades.
//!
//! Assessments: each person's history over three years (2024-2026), oldest first, from
//! themselves, their manager and evidence, mostly on their role's skills and some on the
//! framework's others, at levels of each skill's own scale around a level the person holds.
//!
//! Everything comes from one seeded generator (splitmix64) and is stored by key, so the same
//! seed gives the same organisation on SQLite and PostgreSQL. Stored in one transaction
//! through the store's bulk path ([`rolemap_store::Store::load_organisation`]), as demo data.
//! `rolemap bench-team` builds one smaller team with reviews, goals and a cycle for the team
//! page alone; this builds the whole organisation, without them.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use rolemap_core::{RoleId, SkillId, Source};
use rolemap_service::{Service, now};
use rolemap_store::{Actor, OrgAssessment, OrgPerson, Organisation};

/// The framework everyone's role comes from.
const FRAMEWORK: &str = "odp";
/// Sizes of the trees the layers below a head manage, largest first.
const LAYERS: [usize; 5] = [12_500, 2_000, 250, 40, 8];
/// Roles of the people who manage no one, drawn evenly from this list (so help and advice,
/// listed twice, is the most common, as in a contact centre).
const MEMBER_ROLES: [&str; 7] = [
    "front-line-help-and-advice",
    "front-line-service-delivery",
    "front-line-validation-and-compliance",
    "front-line-safety-and-enforcement",
    "operational-support",
    "business-management",
    "front-line-help-and-advice",
];
/// The days assessments fall on: three years from this one.
const FIRST_DAY: &str = "2024-01-01";
const DAYS: u32 = 3 * 365;
const FIRST_NAMES: [&str; 32] = [
    "Amelia", "Oliver", "Priya", "Kwame", "Sofia", "Liam", "Aisha", "Noah", "Mei", "Jack",
    "Fatima", "Ethan", "Chloe", "Tomasz", "Zara", "Daniel", "Grace", "Omar", "Isla", "Ravi",
    "Hannah", "Lucas", "Nia", "Samuel", "Leah", "Arjun", "Ruby", "Felix", "Yusuf", "Elena",
    "Callum", "Ines",
];
const SURNAMES: [&str; 32] = [
    "Smith", "Okafor", "Patel", "Nowak", "Jones", "Khan", "Williams", "Chen", "Brown", "Murphy",
    "Ahmed", "Taylor", "Kowalski", "Davies", "Singh", "Evans", "Hughes", "Ali", "Wilson", "Rossi",
    "Campbell", "Mensah", "Walker", "Ibrahim", "Wright", "Garcia", "Robinson", "Haddad",
    "Thompson", "Kaur", "Green", "Novak",
];

/// What `demo --generate` is asked for.
#[derive(Debug, Clone, Copy)]
pub(super) struct Asked {
    pub people: usize,
    pub per_person: usize,
    pub seed: u64,
}

/// splitmix64: small, fast and the same on every platform, which is all a generator of
/// invented data needs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        let n = n.max(1) as u64;
        usize::try_from(self.next() % n).unwrap_or(0)
    }

    /// A number in `0.0..1.0`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// One place in the tree: who manages it and how many people are below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    manager: Option<u32>,
    below: usize,
}

/// The management tree of `people` people, managers before their reports (breadth first).
fn tree(people: usize, rng: &mut Rng) -> Vec<Place> {
    let mut places = Vec::with_capacity(people);
    if people == 0 {
        return places;
    }
    places.push(Place {
        manager: None,
        below: people - 1,
    });
    let mut next = 0;
    while next < places.len() {
        let below = places[next].below;
        let manager = u32::try_from(next).ok();
        next += 1;
        if below == 0 {
            continue;
        }
        let Some(layer) = LAYERS.iter().find(|&&t| below >= 2 * (t + 1)) else {
            // Too few below for another layer of managers: they all report here directly.
            for _ in 0..below {
                places.push(Place { manager, below: 0 });
            }
            continue;
        };
        // `below` over a report's tree with them in it, rounded to the nearest.
        let reports = (below + layer.div_ceil(2)) / (layer + 1);
        let weights: Vec<f64> = (0..reports).map(|_| 0.85 + 0.3 * rng.unit()).collect();
        let total: f64 = weights.iter().sum();
        let mut left = below;
        for (i, weight) in weights.iter().enumerate() {
            // Each report is one person with their share less themselves below them; the last
            // takes what rounding left, so the shares add up to `below` exactly.
            let share = if i + 1 == reports {
                left
            } else {
                ((below as f64 * weight / total) as usize).clamp(1, left - (reports - i - 1))
            };
            left -= share;
            places.push(Place {
                manager,
                below: share - 1,
            });
        }
    }
    places
}

/// A manager's role and grade by the size of their tree.
fn manager_role(below: usize, head: bool) -> (&'static str, &'static str) {
    match below {
        _ if head => ("chief-executive-officer", "SCS3"),
        10_000.. => ("operations-director", "SCS2"),
        1_000.. => ("operations-director", "SCS1"),
        150.. => ("operations-manager", "G6"),
        30.. => ("operations-manager", "G7"),
        _ => ("team-leader", "SEO"),
    }
}

/// What the generator needs of a stored role: its id, grades and the skills it requires.
struct RoleFacts {
    id: RoleId,
    grades: Vec<String>,
    skills: Vec<SkillId>,
}

/// A skill and the positions of its scale's level codes in [`Organisation::levels`].
struct SkillFacts {
    id: SkillId,
    levels: Vec<u16>,
}

async fn role_facts(service: &Service, key: &str) -> Result<RoleFacts> {
    let store = service.store();
    let id = store
        .role_by_key(FRAMEWORK, key)
        .await?
        .with_context(|| format!("the built-in framework has no role '{FRAMEWORK}:{key}'"))?;
    let role = store.role(id).await?;
    Ok(RoleFacts {
        id,
        grades: role.grades.clone(),
        skills: role.requirements.iter().map(|r| r.skill.id).collect(),
    })
}

/// The day `offset` days after [`FIRST_DAY`], as a time.
fn day(offset: u32) -> String {
    format!(
        "{}T09:00:00Z",
        rolemap_service::add_days(FIRST_DAY, i64::from(offset))
    )
}

/// Builds the organisation in memory; `roles` and `skills` come from the store.
fn organisation(
    asked: Asked,
    roles: &HashMap<&'static str, RoleFacts>,
    skills: &[SkillFacts],
    levels: Vec<String>,
) -> Result<(Organisation, Vec<Place>)> {
    let mut rng = Rng(asked.seed);
    let places = tree(asked.people, &mut rng);
    let by_id: HashMap<SkillId, &SkillFacts> = skills.iter().map(|s| (s.id, s)).collect();
    let mut org = Organisation {
        people: Vec::with_capacity(places.len()),
        levels,
        times: (0..DAYS).map(day).collect(),
        assessments: Vec::with_capacity(places.len() * asked.per_person),
    };
    let mut days = Vec::with_capacity(asked.per_person);
    for (position, place) in (0u32..).zip(&places) {
        let (key, grade) = if position == 0 || place.below > 0 {
            let (key, grade) = manager_role(place.below, position == 0);
            (key, Some(grade))
        } else {
            (MEMBER_ROLES[rng.below(MEMBER_ROLES.len())], None)
        };
        let role = roles
            .get(key)
            .with_context(|| format!("role '{key}' was not looked up"))?;
        let grade = match grade {
            Some(grade) => grade.to_owned(),
            None => role.grades[rng.below(role.grades.len())].clone(),
        };
        let name = format!(
            "{} {}",
            FIRST_NAMES[rng.below(FIRST_NAMES.len())],
            SURNAMES[rng.below(SURNAMES.len())]
        );
        let team = match place.manager {
            None => "Executive (demo)".to_owned(),
            Some(manager) => format!("Team {manager:06} (demo)"),
        };
        org.people.push(OrgPerson {
            key: format!("org-{position:06}"),
            name,
            role: role.id,
            grade,
            manager: place.manager,
            team,
        });

        // The level the person holds in each skill drifts up by at most one step over the
        // three years; each assessment reads it, now and then one step off.
        days.clear();
        days.extend((0..asked.per_person).map(|_| rng.below(DAYS as usize) as u32));
        days.sort_unstable();
        for (i, &at) in days.iter().enumerate() {
            let skill = if !role.skills.is_empty() && rng.unit() < 0.75 {
                role.skills[rng.below(role.skills.len())]
            } else {
                skills[rng.below(skills.len())].id
            };
            let Some(facts) = by_id.get(&skill) else {
                continue;
            };
            if facts.levels.is_empty() {
                continue;
            }
            let top = facts.levels.len() - 1;
            let held = (position as usize + skill.0 as usize) % facts.levels.len();
            let grown = (held + usize::from(at > DAYS / 2)).min(top);
            let level = match rng.below(6) {
                0 => grown.saturating_sub(1),
                1 => (grown + 1).min(top),
                _ => grown,
            };
            let source = match i % 3 {
                0 => Source::SelfAssessed,
                1 => Source::Manager,
                _ => Source::Evidence,
            };
            org.assessments.push(OrgAssessment {
                person: position,
                skill,
                level: facts.levels[level],
                source,
                at,
            });
        }
    }
    Ok((org, places))
}

/// The place whose tree is nearest 2,000 people (the team page's benchmark), first on ties.
fn team_of_about_2000(places: &[Place]) -> Option<(usize, usize)> {
    places
        .iter()
        .enumerate()
        .filter(|(_, p)| p.below > 0)
        .min_by_key(|(_, p)| p.below.abs_diff(2_000))
        .map(|(i, p)| (i, p.below))
}

pub(super) async fn run(service: &Service, asked: Asked, out: &mut dyn Write) -> Result<()> {
    if asked.people == 0 {
        bail!("an organisation needs at least one person (--people)");
    }
    if u32::try_from(asked.people).is_err() {
        bail!(
            "--people {} is more than rolemap can generate",
            asked.people
        );
    }
    let actor = Actor::cli();
    service.init(false, &actor, &now()).await?;
    if service.person("org-000000").await.is_ok() {
        bail!("a generated organisation is already in this database (org-000000)");
    }
    let started = Instant::now();
    let mut roles = HashMap::new();
    let wanted = MEMBER_ROLES.iter().copied().chain([
        "chief-executive-officer",
        "operations-director",
        "operations-manager",
        "team-leader",
    ]);
    for key in wanted {
        if !roles.contains_key(key) {
            roles.insert(key, role_facts(service, key).await?);
        }
    }
    let store = service.store();
    let mut codes: Vec<String> = Vec::new();
    let mut skills = Vec::new();
    for entry in store.skill_names(Some(FRAMEWORK)).await? {
        let skill = store.skill(entry.id).await?;
        let scale = skill.assessment_scale();
        let mut levels = Vec::new();
        for level in scale.levels() {
            let position = match codes.iter().position(|c| *c == level.code) {
                Some(position) => position,
                None => {
                    codes.push(level.code.clone());
                    codes.len() - 1
                }
            };
            levels.push(u16::try_from(position).context("too many level codes")?);
        }
        skills.push(SkillFacts {
            id: skill.id,
            levels,
        });
    }
    // Stored order may differ between backends; the generator must not.
    skills.sort_by_key(|s| s.id);
    if skills.is_empty() {
        bail!("the built-in framework has no skills to assess");
    }
    let (org, places) = organisation(asked, &roles, &skills, codes)?;
    let built = started.elapsed();
    let stored_at = Instant::now();
    let outcome = store.load_organisation(&org, &actor, &now()).await?;
    let stored = stored_at.elapsed().as_secs_f64();
    writeln!(
        out,
        "Generated an organisation (seed {}): {} people and {} assessments, marked as demo data.",
        asked.seed, outcome.people, outcome.assessments
    )?;
    writeln!(
        out,
        "Built in {:.2} s, stored in {stored:.2} s ({:.0} assessments/s).",
        built.as_secs_f64(),
        outcome.assessments as f64 / stored.max(1e-9)
    )?;
    writeln!(out, "Head: org-000000 ({} people below).", asked.people - 1)?;
    if let Some((position, below)) = team_of_about_2000(&places) {
        writeln!(
            out,
            "Team nearest 2,000: org-{position:06} ({below} people below)."
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{Place, Rng, day, manager_role, team_of_about_2000, tree};

    fn below_counts(places: &[Place]) -> Vec<usize> {
        // Counted back from the managers, to check each place's `below` against the tree.
        let mut counts = vec![0; places.len()];
        for i in (0..places.len()).rev() {
            if let Some(m) = places[i].manager {
                counts[m as usize] += counts[i] + 1;
            }
        }
        counts
    }

    #[test]
    fn the_tree_has_everyone_once_below_one_head() {
        for people in [1, 2, 17, 300, 5_000] {
            let places = tree(people, &mut Rng(7));
            assert_eq!(places.len(), people);
            assert_eq!(places.iter().filter(|p| p.manager.is_none()).count(), 1);
            for (i, place) in places.iter().enumerate() {
                assert!(place.manager.is_none_or(|m| (m as usize) < i));
            }
            let counts = below_counts(&places);
            for (place, count) in places.iter().zip(&counts) {
                assert_eq!(place.below, *count);
            }
        }
    }

    #[test]
    fn a_hundred_thousand_make_units_of_about_two_thousand_and_small_spans() {
        let places = tree(100_000, &mut Rng(1));
        let mut reports = vec![0usize; places.len()];
        for place in &places {
            if let Some(m) = place.manager {
                reports[m as usize] += 1;
            }
        }
        let widest = reports.iter().max().copied().unwrap_or(0);
        assert!(widest <= 18, "a manager has {widest} direct reports");
        let (_, below) = team_of_about_2000(&places).expect("a team");
        assert!((1_700..=2_300).contains(&below), "nearest 2,000 is {below}");
        assert_eq!(
            manager_role(places[0].below, true).0,
            "chief-executive-officer"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_tree_and_another_seed_another() {
        assert_eq!(tree(3_000, &mut Rng(5)), tree(3_000, &mut Rng(5)));
        assert_ne!(tree(3_000, &mut Rng(5)), tree(3_000, &mut Rng(6)));
    }

    #[test]
    fn days_count_from_the_first_of_january_2024() {
        assert_eq!(day(0), "2024-01-01T09:00:00Z");
        assert_eq!(day(59), "2024-02-29T09:00:00Z");
        assert_eq!(day(366), "2025-01-01T09:00:00Z");
        assert_eq!(day(3 * 365 - 1), "2026-12-30T09:00:00Z");
    }
}
